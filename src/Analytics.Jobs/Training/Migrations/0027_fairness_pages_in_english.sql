-- The fairness report's pages in English beside the French ones (?lang=en on the fairness.html routes). Runs trained
-- before this have none: their French page is served, and says so.
ALTER TABLE ml.fairness_report
    ADD COLUMN html_en           text,
    ADD COLUMN published_html_en text,
    ADD CONSTRAINT fairness_report_english_whole CHECK ((html_en IS NULL) OR (published_report IS NULL) = (published_html_en IS NULL));
COMMENT ON COLUMN ml.fairness_report.html_en IS 'The whole report as a self-contained English HTML page (reviewers and auditors); NULL for runs trained before English pages.';
COMMENT ON COLUMN ml.fairness_report.published_html_en IS 'The analyst-facing view as a self-contained English HTML page; NULL where published_html is, or for runs trained before English pages.';
