-- Territories of the latest vintage of each level whose name starts with the words typed ($1, searched through
-- geo.search_key) or whose code starts with them; $2 a level or NULL for all; at most $3. Exact codes first, then
-- communes before coarser levels, then by name.
WITH latest AS (SELECT level, max(vintage) AS vintage FROM geo.territory GROUP BY level)
SELECT t.code, t.name, t.level, t.vintage, p.code, p.name, p.level
FROM geo.territory t
JOIN latest l ON l.level = t.level AND l.vintage = t.vintage
LEFT JOIN geo.territory p ON p.id = t.parent_id
WHERE ($2::text IS NULL OR t.level = $2)
  AND (t.search_key LIKE geo.search_key($1) || '%' OR t.search_key LIKE '% ' || geo.search_key($1) || '%' OR t.code LIKE upper($1) || '%')
ORDER BY t.code = upper($1) DESC, array_position(ARRAY['commune', 'epci', 'departement', 'region'], t.level), t.search_key, t.code
LIMIT $3
