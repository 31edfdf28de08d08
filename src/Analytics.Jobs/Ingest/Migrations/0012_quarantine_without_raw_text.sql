-- Quarantine keeps where and why a record was refused, never its text: a refused row may hold what the product
-- must not store (a direct identifier in a badly formed line), and stewards, administrators and auditors read the
-- quarantine. Rows kept so far lose their text with the column.
ALTER TABLE ingest.quarantine DROP COLUMN raw;
COMMENT ON TABLE ingest.quarantine IS 'One row per rejected record of a batch: its line, field and reason; no text of the record (it may hold what the product must not store).';
