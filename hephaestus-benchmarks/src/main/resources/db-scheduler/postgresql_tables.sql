-- db-scheduler's table for PostgreSQL, as published by the db-scheduler project (Apache License 2.0) in
-- db-scheduler/src/test/resources/postgresql_tables.sql of the kagkarlsson/db-scheduler repository, the script
-- its README links to (the 16.7.1 jar ships no schema script): the version with the priority column and the
-- three indexes, which is what 16.7.1's queries use. Later migration lines of that script (a "state" column,
-- a nullable execution_time) are not read or written by 16.7.1 and are left out.
-- The benchmark replaces scheduled_tasks by its own table name and prefixes the index names with it.

create table scheduled_tasks (
  task_name text not null,
  task_instance text not null,
  task_data bytea,
  execution_time timestamp with time zone not null,
  picked BOOLEAN not null,
  picked_by text,
  last_success timestamp with time zone,
  last_failure timestamp with time zone,
  consecutive_failures INT,
  last_heartbeat timestamp with time zone,
  version BIGINT not null,
  priority SMALLINT,
  PRIMARY KEY (task_name, task_instance)
);

CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);
