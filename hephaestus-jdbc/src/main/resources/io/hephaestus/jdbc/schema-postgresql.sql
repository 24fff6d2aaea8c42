-- Hephaestus JDBC storage: schema version 1 for PostgreSQL (11 or later).
-- One row per workflow run. "snapshot" holds the whole instance (InstanceJson format 2); the other
-- columns copy what the storage filters and sorts on. Idempotent: every statement may run again.
-- Another table name: JdbcSchema.script(dialect, name) renames the table and its indexes.

CREATE TABLE IF NOT EXISTS hephaestus_instance (
    seq              BIGINT GENERATED ALWAYS AS IDENTITY,
    run_id           TEXT        NOT NULL,
    business_id      TEXT        NOT NULL,
    workflow         TEXT        NOT NULL,
    workflow_version INTEGER     NOT NULL,
    status           TEXT        NOT NULL,
    uniqueness_key   TEXT,
    revision         BIGINT      NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    next_timer_due   TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ,
    snapshot         JSONB       NOT NULL,
    CONSTRAINT hephaestus_instance_pk PRIMARY KEY (run_id),
    CONSTRAINT hephaestus_instance_status_check
        CHECK (status IN ('pending', 'running', 'waiting', 'completed', 'failed', 'cancelled'))
) WITH (fillfactor = 90);

-- Listing one workflow by status, newest first; counting one workflow's statuses (index-only).
CREATE INDEX IF NOT EXISTS hephaestus_instance_workflow_idx
    ON hephaestus_instance (workflow, status, seq DESC);

-- Listing every workflow by status, newest first; counting all statuses (index-only).
CREATE INDEX IF NOT EXISTS hephaestus_instance_status_idx
    ON hephaestus_instance (status, seq DESC);

-- The runs of one business id, newest first; the uniqueness check of a start.
CREATE INDEX IF NOT EXISTS hephaestus_instance_business_id_idx
    ON hephaestus_instance (business_id, seq DESC);

-- At most one active run per uniqueness key (scope + business id), enforced by the database.
CREATE UNIQUE INDEX IF NOT EXISTS hephaestus_instance_uniqueness_idx
    ON hephaestus_instance (uniqueness_key)
    WHERE status IN ('pending', 'running', 'waiting');

-- Retention: finished runs, oldest first. Active runs are not in this index.
CREATE INDEX IF NOT EXISTS hephaestus_instance_finished_idx
    ON hephaestus_instance (finished_at)
    WHERE finished_at IS NOT NULL;

-- Timers: runs with a timer, the soonest due first.
CREATE INDEX IF NOT EXISTS hephaestus_instance_timer_idx
    ON hephaestus_instance (next_timer_due)
    WHERE next_timer_due IS NOT NULL;
