-- Hephaestus JDBC storage: schema version 1 for H2 (2.x).
-- One row per workflow run. "snapshot" holds the whole instance (InstanceJson format 2) as text; the
-- other columns copy what the storage filters and sorts on. Idempotent: every statement may run again.
-- Another table name: JdbcSchema.script(dialect, name) renames the table and its indexes.

CREATE TABLE IF NOT EXISTS hephaestus_instance (
    seq              BIGINT GENERATED ALWAYS AS IDENTITY,
    run_id           VARCHAR                  NOT NULL,
    business_id      VARCHAR                  NOT NULL,
    workflow         VARCHAR                  NOT NULL,
    workflow_version INTEGER                  NOT NULL,
    status           VARCHAR(16)              NOT NULL,
    uniqueness_key   VARCHAR,
    revision         BIGINT                   NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    next_timer_due   TIMESTAMP WITH TIME ZONE,
    finished_at      TIMESTAMP WITH TIME ZONE,
    snapshot         CHARACTER LARGE OBJECT   NOT NULL,
    CONSTRAINT hephaestus_instance_pk PRIMARY KEY (run_id),
    CONSTRAINT hephaestus_instance_status_check
        CHECK (status IN ('pending', 'running', 'waiting', 'completed', 'failed', 'cancelled'))
);

-- Listing one workflow by status, newest first; counting one workflow's statuses.
CREATE INDEX IF NOT EXISTS hephaestus_instance_workflow_idx
    ON hephaestus_instance (workflow, status, seq DESC);

-- Listing every workflow by status, newest first; counting all statuses.
CREATE INDEX IF NOT EXISTS hephaestus_instance_status_idx
    ON hephaestus_instance (status, seq DESC);

-- The runs of one business id, newest first; the uniqueness check of a start.
CREATE INDEX IF NOT EXISTS hephaestus_instance_business_id_idx
    ON hephaestus_instance (business_id, seq DESC);

-- At most one active run per uniqueness key (scope + business id). H2 has no partial indexes: the
-- storage clears the key when a run finishes, and a unique index allows any number of NULLs.
CREATE UNIQUE INDEX IF NOT EXISTS hephaestus_instance_uniqueness_idx
    ON hephaestus_instance (uniqueness_key);

-- Retention: finished runs, oldest first.
CREATE INDEX IF NOT EXISTS hephaestus_instance_finished_idx
    ON hephaestus_instance (finished_at);

-- Timers: runs with a timer, the soonest due first.
CREATE INDEX IF NOT EXISTS hephaestus_instance_timer_idx
    ON hephaestus_instance (next_timer_due);
