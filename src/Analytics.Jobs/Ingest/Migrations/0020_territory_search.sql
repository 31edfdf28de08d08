-- Searching territories by name the way people type them: case, accents, hyphens and apostrophes ignored
-- ("saint etienne" finds "Saint-Étienne", "oeuilly" finds "Œuilly"). One definition, geo.search_key, for the stored key and the query.

CREATE FUNCTION geo.search_key(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN btrim(regexp_replace(
    translate(replace(replace(lower($1), 'œ', 'oe'), 'æ', 'ae'), 'àáâäãåāçćčèéêëēėęìíîïīñńòóôöõøōùúûüūýÿžśšł''’-', 'aaaaaaaccceeeeeeeiiiiinnooooooouuuuuyyzssl   '),
    '\s+', ' ', 'g'));
COMMENT ON FUNCTION geo.search_key(text) IS 'A name as searched: lower case, accents dropped, œ and æ spelt out, hyphens and apostrophes as spaces, spaces collapsed.';

ALTER TABLE geo.territory ADD COLUMN search_key text GENERATED ALWAYS AS (geo.search_key(name)) STORED;
CREATE INDEX territory_search_key ON geo.territory (search_key text_pattern_ops);
