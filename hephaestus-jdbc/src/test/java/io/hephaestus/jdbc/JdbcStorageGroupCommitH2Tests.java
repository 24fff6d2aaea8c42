package io.hephaestus.jdbc;

/**
 * The storage contract on H2 with group commit on: every create, update and race of the
 * contract, with updates of concurrent callers written in shared transactions, one group at a time
 * so that the groups are as large as the races make them.
 */
class JdbcStorageGroupCommitH2Tests extends JdbcStorageH2Tests {

    @Override
    protected JdbcStorage.Builder configure(JdbcStorage.Builder builder) {
        return builder.groupCommit(16).concurrentGroups(1);
    }
}
