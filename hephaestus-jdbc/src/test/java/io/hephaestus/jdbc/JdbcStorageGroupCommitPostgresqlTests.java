package io.hephaestus.jdbc;

import io.hephaestus.jdbc.testing.RequiresPostgresql;
/**
 * The storage contract on PostgreSQL with group commit on: every create, update and race of the
 * contract, with updates of concurrent callers written in shared transactions, one group at a time
 * so that the groups are as large as the races make them.
 */
@RequiresPostgresql
class JdbcStorageGroupCommitPostgresqlTests extends JdbcStoragePostgresqlTests {

    @Override
    protected JdbcStorage.Builder configure(JdbcStorage.Builder builder) {
        return builder.groupCommit(16).concurrentGroups(1);
    }
}
