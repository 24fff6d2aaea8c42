-- The table of db-scheduler 16.x (com.github.kagkarlsson:db-scheduler), which the Hephaestus cluster runner
-- executes its steps and timers on, for H2 (tests and single-machine development).
-- Source: db-scheduler publishes no H2 script; this is its published PostgreSQL schema
-- (db-scheduler/src/test/resources/postgresql_tables.sql in https://github.com/kagkarlsson/db-scheduler, Apache
-- License 2.0) in H2's types, as its HSQLDB script does it (hsql_tables.sql there): BLOB for the task data and
-- VARCHAR for the names. Changes: IF NOT EXISTS, so that applying it at every start is safe; index names start with
-- the table name, so that several tables can share a schema.
CREATE TABLE IF NOT EXISTS scheduled_tasks (
    task_name VARCHAR(100) NOT NULL,
    task_instance VARCHAR(1000) NOT NULL,
    task_data BLOB,
    execution_time TIMESTAMP WITH TIME ZONE NOT NULL,
    picked BOOLEAN NOT NULL,
    picked_by VARCHAR(200),
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
