-- Analysts' comments, oldest first; $1 filters by state when not NULL.
SELECT i.id, i.spec_code, t.code, i.author, i.comment, i.created_at, i.state, i.answer, i.answered_by, i.answered_at
FROM review.item i JOIN geo.territory t ON t.id = i.territory_id
WHERE ($1::text IS NULL OR i.state = $1)
ORDER BY i.id
