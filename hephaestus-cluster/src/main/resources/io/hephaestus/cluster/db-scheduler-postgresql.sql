-- The table of db-scheduler 16.x (com.github.kagkarlsson:db-scheduler), which the Hephaestus cluster runner
-- executes its steps and timers on, for PostgreSQL.
-- Source: db-scheduler's published PostgreSQL schema, db-scheduler/src/test/resources/postgresql_tables.sql in
-- https://github.com/kagkarlsson/db-scheduler (Apache License 2.0), as linked from its README. Changes: IF NOT EXISTS,
-- so that applying it at every start is safe; index names start with the table name, so that several tables can
-- share a schema; the later migrations of that file (a nullable execution_time and a
-- state column) are left out, as db-scheduler 16.x does not use them.
CREATE TABLE IF NOT EXISTS scheduled_tasks (
    task_name TEXT NOT NULL,
    task_instance TEXT NOT NULL,
    task_data BYTEA,
    execution_time TIMESTAMP WITH TIME ZONE NOT NULL,
    picked BOOLEAN NOT NULL,
    picked_by TEXT,
    last_success TIMESTAMP WITH TIME ZONE,
    last_failure TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat TIMESTAMP WITH TIME ZONE,
    version BIGINT NOT NULL,
    priority SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);

CREATE INDEX IF NOT EXISTS scheduled_tasks_execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX IF NOT EXISTS scheduled_tasks_last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX IF NOT EXISTS scheduled_tasks_priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
