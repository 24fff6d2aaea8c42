package io.hephaestus.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.zaxxer.hikari.HikariDataSource;

import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.jdbc.JdbcSchema;
import io.hephaestus.jdbc.JdbcStorage;
import io.hephaestus.jdbc.testing.TestDatabases;

/**
 * Fresh tables on the test PostgreSQL database (instances and db-scheduler's tasks, named with a
 * unique prefix), and cluster nodes on them, each with its own connection pool, storage and
 * scheduler. Closing the fixture closes the nodes and drops the tables.
 */
final class ClusterFixture implements AutoCloseable {

    /** The polling interval of test nodes. */
    static final Duration POLLING = Duration.ofMillis(100);

    /** The heartbeat of test nodes: with 4 missed heartbeats, a dead node's work is taken over after 2 s. */
    static final Duration HEARTBEAT = Duration.ofMillis(500);

    final String prefix;

    final HikariDataSource admin;

    private final List<ClusterRunner> runners = new ArrayList<>();

    private final List<HikariDataSource> pools = new ArrayList<>();

    ClusterFixture(String name) {
        this.prefix = TestDatabases.uniqueTableName(name);
        this.admin = TestDatabases.postgresql("admin-" + this.prefix, 4);
        JdbcSchema.apply(this.admin, instancesTable());
        ClusterSchema.apply(this.admin, tasksTable());
    }

    String instancesTable() {
        return this.prefix + "_instances";
    }

    String tasksTable() {
        return this.prefix + "_tasks";
    }

    JdbcStorage storage() {
        return JdbcStorage.builder(this.admin).tableName(instancesTable()).build();
    }

    /**
     * Return a started node with {@code threads} threads and its own pool, configured further by
     * {@code customizer}.
     */
    ClusterRunner node(String name, WorkflowRegistry registry, int threads, Consumer<ClusterRunner.Builder> customizer) {
        HikariDataSource pool = TestDatabases.postgresql("node-" + name, threads + 8);
        this.pools.add(pool);
        JdbcStorage storage = JdbcStorage.builder(pool).tableName(instancesTable()).build();
        ClusterRunner.Builder builder = ClusterRunner.builder(registry, storage, pool)
            .name(name)
            .threads(threads)
            .tableName(tasksTable())
            .pollingInterval(POLLING)
            .heartbeatInterval(HEARTBEAT)
            .missedHeartbeatsLimit(4)
            .shutdownGracePeriod(Duration.ofSeconds(1));
        customizer.accept(builder);
        ClusterRunner runner = builder.build();
        this.runners.add(runner);
        return runner;
    }

    /**
     * Return a pool of {@code size} connections on the test database, closed with the fixture.
     */
    HikariDataSource pool(String name, int size) {
        HikariDataSource pool = TestDatabases.postgresql("pool-" + name, size);
        this.pools.add(pool);
        return pool;
    }

    /**
     * Close {@code runner} with the fixture.
     */
    ClusterRunner track(ClusterRunner runner) {
        this.runners.add(runner);
        return runner;
    }

    /**
     * Return the number of rows in db-scheduler's table for a task name.
     */
    long tasks(String taskName) {
        return TestDatabases.count(this.admin, "SELECT COUNT(*) FROM " + tasksTable() + " WHERE task_name = '"
                + taskName + "'");
    }

    @Override
    public void close() {
        this.runners.forEach(ClusterRunner::close);
        TestDatabases.drop(this.admin, instancesTable());
        TestDatabases.drop(this.admin, tasksTable());
        this.pools.forEach(HikariDataSource::close);
        this.admin.close();
    }
}
