-- The analyst-facing form of each fairness report, computed when the report is written: no territory-level data,
-- groups too small to report on (and their complements) withheld under statistical secrecy.

ALTER TABLE ml.fairness_report
    ADD COLUMN published_report jsonb,
    ADD COLUMN published_html   text,
    ADD COLUMN published_csv    text,
    ADD CONSTRAINT fairness_report_published_whole CHECK (
        (published_report IS NULL) = (published_html IS NULL) AND (published_report IS NULL) = (published_csv IS NULL));

COMMENT ON TABLE ml.fairness_report IS 'One row per run and variant (the model as trained, and retrained with the under-served groups reweighted): the overall verdict; the whole report as JSON, a self-contained French HTML page (residual map in classes) and CSV, served on the review routes only; and its analyst-facing form (published_*), served behind the publication gate.';
COMMENT ON COLUMN ml.fairness_report.published_report IS 'The analyst-facing view (PublishedFairness): verdicts of every group, figures of the groups large enough to report on and not needed to protect another, no territory-level data. NULL for runs trained before this form existed: their fairness report is not served to analysts.';
COMMENT ON COLUMN ml.fairness_report.published_html IS 'The analyst-facing view as a self-contained French HTML page (no residual map).';
COMMENT ON COLUMN ml.fairness_report.published_csv IS 'The analyst-facing view as CSV (;), one row per dimension × group × metric, with the reason a group is withheld.';
