-- The tamper-evident audit log (docs/audit-log.md). Schema audit comes from 0001_schemas.sql.

CREATE TABLE audit.event (
    seq         bigint PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    actor       text NOT NULL,
    kind        text NOT NULL,
    subject     text NOT NULL,
    details     jsonb NOT NULL,
    prev_hash   bytea NOT NULL,
    hash        bytea NOT NULL,
    CONSTRAINT event_seq_is_positive CHECK (seq > 0),
    CONSTRAINT event_details_is_an_object CHECK (jsonb_typeof(details) = 'object'),
    CONSTRAINT event_hashes_are_sha256 CHECK (octet_length(prev_hash) = 32 AND octet_length(hash) = 32)
);
CREATE INDEX event_kind_seq_idx ON audit.event (kind, seq);
CREATE INDEX event_actor_seq_idx ON audit.event (actor, seq);
CREATE INDEX event_occurred_at_idx ON audit.event (occurred_at);
COMMENT ON TABLE audit.event IS 'One row per audited event (sign-in, load, model run, review decision, export, account change), numbered 1, 2, 3… without gaps. Append-only: updates, deletes and truncation are refused by triggers; hash = SHA-256(prev_hash || RFC 8785 canonical JSON of the row), so an edit, deletion, insertion or reordering breaks the chain.';
COMMENT ON COLUMN audit.event.seq IS 'Position in the chain, from 1 (or from the last purge anchor + 1), without gaps; assigned under an advisory lock by the one writer at a time.';
COMMENT ON COLUMN audit.event.occurred_at IS 'When it happened (UTC, microseconds), from the writer''s clock.';
COMMENT ON COLUMN audit.event.actor IS 'User name of who acted, or ''system''.';
COMMENT ON COLUMN audit.event.kind IS 'What happened, as area.action (auth.sign_in, ingest.load, model.run, review.approve, export, account.change…).';
COMMENT ON COLUMN audit.event.subject IS 'What it was done to, as type:id (release:12, account:jdupont); empty when nothing.';
COMMENT ON COLUMN audit.event.details IS 'What an auditor needs to know, a JSON object. Never a password, token or one-time-password secret (refused before writing).';
COMMENT ON COLUMN audit.event.prev_hash IS 'Hash of the event before (32 zero bytes for event 1).';
COMMENT ON COLUMN audit.event.hash IS 'SHA-256(prev_hash || UTF-8 RFC 8785 canonical JSON of {actor, details, kind, occurred_at, prev_hash, seq, subject}).';

CREATE TABLE audit.chain_anchor (
    purged_through_seq bigint PRIMARY KEY,
    hash               bytea NOT NULL,
    last_occurred_at   timestamptz NOT NULL,
    cutoff             timestamptz NOT NULL,
    purged_count       bigint NOT NULL,
    purged_at          timestamptz NOT NULL,
    CONSTRAINT chain_anchor_hash_is_sha256 CHECK (octet_length(hash) = 32),
    CONSTRAINT chain_anchor_purges_before_cutoff CHECK (last_occurred_at < cutoff)
);
COMMENT ON TABLE audit.chain_anchor IS 'One row per purge of expired audit events: the last purged event''s sequence number and hash, where the retained chain now starts. Append-only; a row is accepted only if it matches the chain and every event up to it is older than its cutoff.';

-- Nothing may change or remove an event, whoever asks: triggers hold for the table's owner too.
CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit.% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING HINT = 'Expired events are removed only by audit.purge_through(); see docs/audit-log.md.';
END
$$;
COMMENT ON FUNCTION audit.refuse_change() IS 'Trigger: refuses any UPDATE or TRUNCATE of the audit tables (and DELETE of anchors).';

-- A delete passes only inside a purge: the transaction has set audit.purge_through (transaction-local)
-- and an anchor covering the row exists, which the anchor trigger accepted as matching the chain.
CREATE FUNCTION audit.allow_purge_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.seq <= coalesce(nullif(current_setting('audit.purge_through', true), '')::bigint, 0)
       AND OLD.seq <= coalesce((SELECT max(purged_through_seq) FROM audit.chain_anchor), 0) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit.event is append-only: DELETE of event % refused', OLD.seq
        USING HINT = 'Expired events are removed only by audit.purge_through(); see docs/audit-log.md.';
END
$$;
COMMENT ON FUNCTION audit.allow_purge_only() IS 'Trigger: lets a DELETE of audit.event through only for rows covered by an accepted anchor, within a purge.';

CREATE FUNCTION audit.check_anchor() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last_event audit.event%ROWTYPE;
BEGIN
    SELECT * INTO last_event FROM audit.event WHERE seq = NEW.purged_through_seq;
    IF NOT FOUND OR last_event.hash <> NEW.hash OR last_event.occurred_at <> NEW.last_occurred_at THEN
        RAISE EXCEPTION 'audit.chain_anchor: event % is not in the log with that hash and time', NEW.purged_through_seq;
    END IF;
    IF NEW.purged_through_seq <= coalesce((SELECT max(purged_through_seq) FROM audit.chain_anchor), 0) THEN
        RAISE EXCEPTION 'audit.chain_anchor: events up to % are already purged', NEW.purged_through_seq;
    END IF;
    IF EXISTS (SELECT FROM audit.event WHERE seq <= NEW.purged_through_seq AND occurred_at >= NEW.cutoff) THEN
        RAISE EXCEPTION 'audit.chain_anchor: events up to % are not all older than the cutoff %: recent events are kept', NEW.purged_through_seq, NEW.cutoff;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION audit.check_anchor() IS 'Trigger: accepts an anchor only if it is the hash and time of an existing event, beyond the previous anchor, with every event up to it older than the cutoff.';

-- Statement triggers refuse even a statement that would touch no row; deletes are judged row by row.
CREATE TRIGGER event_no_update BEFORE UPDATE OR TRUNCATE ON audit.event FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER event_purge_only BEFORE DELETE ON audit.event FOR EACH ROW EXECUTE FUNCTION audit.allow_purge_only();
CREATE TRIGGER chain_anchor_checked BEFORE INSERT ON audit.chain_anchor FOR EACH ROW EXECUTE FUNCTION audit.check_anchor();
CREATE TRIGGER chain_anchor_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit.chain_anchor FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

-- The one way to remove expired events: the oldest events up to p_seq, all older than p_cutoff,
-- with the anchor that lets the rest of the chain verify. Serialised with the writers (same lock).
CREATE FUNCTION audit.purge_through(p_seq bigint, p_hash bytea, p_cutoff timestamptz, p_purged_at timestamptz) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    purged bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(280603412820);
    INSERT INTO audit.chain_anchor (purged_through_seq, hash, last_occurred_at, cutoff, purged_count, purged_at)
    SELECT p_seq, p_hash, occurred_at, p_cutoff, (SELECT count(*) FROM audit.event WHERE seq <= p_seq), p_purged_at
    FROM audit.event WHERE seq = p_seq;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'audit.purge_through: there is no event %', p_seq;
    END IF;
    PERFORM set_config('audit.purge_through', p_seq::text, true);
    DELETE FROM audit.event WHERE seq <= p_seq;
    GET DIAGNOSTICS purged = ROW_COUNT;
    PERFORM set_config('audit.purge_through', '', true);
    RETURN purged;
END
$$;
COMMENT ON FUNCTION audit.purge_through(bigint, bytea, timestamptz, timestamptz) IS 'Purges events 1..p_seq (all older than p_cutoff, p_hash being event p_seq''s hash) and records the anchor; refused otherwise.';

-- Documents intent for any role other than the owner; the owner's limits are the triggers above.
REVOKE UPDATE, DELETE, TRUNCATE ON audit.event, audit.chain_anchor FROM PUBLIC;
