-- The territories above the health batch's ($1) communes, with their parent, level and vintage.
WITH RECURSIVE up AS (
    SELECT DISTINCT t.id, t.parent_id, t.level FROM facts.health_count h JOIN geo.territory t ON t.id = h.territory_id WHERE h.batch_id = $1
    UNION
    SELECT p.id, p.parent_id, p.level FROM up JOIN geo.territory p ON p.id = up.parent_id
)
SELECT up.id, up.parent_id, up.level, t.vintage FROM up JOIN geo.territory t ON t.id = up.id
