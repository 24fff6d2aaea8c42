package io.hephaestus.benchmarks.runner;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.hephaestus.jdbc.JdbcDialect;
import io.hephaestus.jdbc.JdbcSchema;

/**
 * {@link JdbcWriteCost} measures what one storage write costs on PostgreSQL, and what it would cost
 * if the writes of concurrent instances were grouped: the evidence behind the findings of
 * {@link JdbcBenchmark} (whose throughput is bound by round trips per workflow).
 *
 * <pre>{@code
 * java -cp hephaestus-benchmarks/target/benchmarks.jar io.hephaestus.benchmarks.runner.JdbcWriteCost [updates] [threads]
 * }</pre>
 *
 * <p>It creates a table with the runner's schema ({@link JdbcSchema}), fills it with rows whose
 * snapshot is about as large as a W1 instance's (1.7 KB of JSON), and has {@code threads} threads
 * (default 4) update them with the statement {@code JdbcStorage.update} sends (same columns, same
 * optimistic {@code WHERE}), {@code updates} times in all (default 8,000), in three ways:
 * <ul>
 * <li>{@code autocommit}: one statement and one durable commit per update, what the runner does
 * today;</li>
 * <li>{@code batch-10}: ten updates of different rows sent as one JDBC batch in one transaction:
 * one network round trip for the ten statements and one commit, the way a storage that groups the
 * writes of concurrent instances would send them; each update still checks its revision (the
 * batch's update counts say which ones were stale);</li>
 * <li>{@code transaction-10}: the same ten updates in one transaction but each sent on its own,
 * to separate what the commit costs from what the round trip costs.</li>
 * </ul>
 * For each it prints updates per second, and per update the wall time, this JVM's CPU time and the
 * CPU time of the PostgreSQL backends serving the pool (from {@code /proc}). The table is dropped at
 * the end. The database is chosen as in {@link JdbcBenchmark}.
 */
public final class JdbcWriteCost {

    private static final int ROWS_PER_THREAD = 200;

    private static final int GROUP = 10;

    private JdbcWriteCost() {
    }

    /**
     * Run the measurement.
     * @param args optionally the number of updates per mode and the number of threads
     * @throws Exception if the database fails
     */
    public static void main(String[] args) throws Exception {
        int updates = (args.length > 0) ? Integer.parseInt(args[0]) : 8000;
        int threads = (args.length > 1) ? Integer.parseInt(args[1]) : 4;
        String url = HarnessArgs.url();
        String table = "hephaestus_writecost_" + UUID.randomUUID().toString().substring(0, 8);
        String application = table;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(HarnessArgs.user());
        config.setPassword(HarnessArgs.password());
        config.setMaximumPoolSize(threads);
        config.setMinimumIdle(threads);
        config.addDataSourceProperty("ApplicationName", application);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JdbcSchema.apply(pool, JdbcDialect.POSTGRESQL, table);
            try {
                fill(pool, table, threads);
                String update = "UPDATE " + table + " SET status = ?, revision = ?, updated_at = ?, next_timer_due = ?, "
                        + "finished_at = ?, snapshot = CAST(? AS JSONB), uniqueness_key = CASE WHEN ? THEN uniqueness_key "
                        + "ELSE NULL END WHERE run_id = ? AND revision = ? AND business_id = ? AND workflow = ? "
                        + "AND workflow_version = ?";
                System.out.printf(Locale.ROOT, "%d updates per mode, %d threads, rows of %d bytes of JSON%n", updates,
                        threads, snapshot(0).length());
                System.out.println("| mode | updates/s | wall µs per update per thread | JVM CPU µs / update "
                        + "| PostgreSQL CPU µs / update | round trips / update | commits / update |");
                System.out.println("|---|---:|---:|---:|---:|---:|---:|");
                long[] revisions = new long[threads * ROWS_PER_THREAD];
                for (int repeat = 0; repeat < 2; repeat++) {
                    for (Mode mode : Mode.values()) {
                        measure(pool, table, update, mode, updates, threads, revisions, repeat == 1);
                    }
                }
            }
            finally {
                try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                    statement.execute("DROP TABLE IF EXISTS " + table);
                }
            }
        }
    }

    private enum Mode {
        AUTOCOMMIT, BATCH, TRANSACTION
    }

    private static void measure(HikariDataSource pool, String table, String update, Mode mode, int updates,
            int threads, long[] revisions, boolean print) throws Exception {
        List<Integer> backends = backends(pool, table);
        long postgresBefore = JdbcBenchmark.CpuTimes.read(backends).postgres();
        long totalBefore = JdbcBenchmark.CpuTimes.read(backends).total();
        var bean = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
            .getOperatingSystemMXBean();
        long cpuBefore = bean.getProcessCpuTime();
        long started = System.nanoTime();
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(executor.submit(() -> {
                updateRows(pool, update, mode, updates / threads, thread, revisions);
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        executor.shutdown();
        long nanos = System.nanoTime() - started;
        long cpu = bean.getProcessCpuTime() - cpuBefore;
        JdbcBenchmark.CpuTimes after = JdbcBenchmark.CpuTimes.read(backends);
        double ticksPerNano = (double) (after.total() - totalBefore) / Runtime.getRuntime().availableProcessors() / nanos;
        double postgresNanos = (after.postgres() - postgresBefore) / ticksPerNano;
        int total = (updates / threads) * threads;
        if (print) {
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f |%n", label(mode),
                    total * 1e9 / nanos, nanos / 1e3 / (total / (double) threads), cpu / 1e3 / total,
                    postgresNanos / 1e3 / total, (mode == Mode.BATCH) ? 2.0 / GROUP : (mode == Mode.TRANSACTION)
                            ? (GROUP + 1.0) / GROUP : 1.0, (mode == Mode.AUTOCOMMIT) ? 1.0 : 1.0 / GROUP);
        }
    }

    private static String label(Mode mode) {
        return switch (mode) {
            case AUTOCOMMIT -> "autocommit (today)";
            case BATCH -> "batch-" + GROUP + " (one round trip, one commit)";
            case TRANSACTION -> "transaction-" + GROUP + " (" + GROUP + " round trips, one commit)";
        };
    }

    private static void updateRows(HikariDataSource pool, String update, Mode mode, int count, int thread,
            long[] revisions) throws SQLException {
        try (Connection connection = pool.getConnection(); PreparedStatement statement = connection.prepareStatement(update)) {
            connection.setAutoCommit(mode == Mode.AUTOCOMMIT);
            for (int i = 0; i < count; i++) {
                int row = thread * ROWS_PER_THREAD + (i % ROWS_PER_THREAD);
                long revision = revisions[row];
                statement.setString(1, "running");
                statement.setLong(2, revision + 1);
                statement.setObject(3, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
                statement.setNull(4, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                statement.setNull(5, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                statement.setString(6, snapshot(revision + 1));
                statement.setBoolean(7, true);
                statement.setString(8, "run-" + row);
                statement.setLong(9, revision);
                statement.setString(10, "bench::" + row);
                statement.setString(11, "linear");
                statement.setInt(12, 1);
                revisions[row] = revision + 1;
                if (mode == Mode.BATCH) {
                    statement.addBatch();
                    if ((i + 1) % GROUP == 0 || i + 1 == count) {
                        for (int updated : statement.executeBatch()) {
                            check(updated);
                        }
                        connection.commit();
                    }
                }
                else {
                    check(statement.executeUpdate());
                    if (mode == Mode.TRANSACTION && ((i + 1) % GROUP == 0 || i + 1 == count)) {
                        connection.commit();
                    }
                }
            }
            connection.setAutoCommit(true);
        }
    }

    private static void check(int updated) {
        if (updated != 1) {
            throw new IllegalStateException("an update changed " + updated + " rows instead of 1");
        }
    }

    private static void fill(HikariDataSource pool, String table, int threads) throws SQLException {
        try (Connection connection = pool.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + table + " (run_id, business_id, workflow, workflow_version, status, uniqueness_key, "
                        + "revision, created_at, updated_at, snapshot) VALUES (?, ?, 'linear', 1, 'running', ?, 0, now(), "
                        + "now(), CAST(? AS JSONB))")) {
            for (int row = 0; row < threads * ROWS_PER_THREAD; row++) {
                insert.setString(1, "run-" + row);
                insert.setString(2, "bench::" + row);
                insert.setString(3, "w:6:linear:bench::" + row);
                insert.setString(4, snapshot(0));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Return a JSON text about as large as the snapshot of a W1 instance halfway (1.7 KB).
     */
    private static String snapshot(long revision) {
        StringBuilder json = new StringBuilder("{\"format\":1,\"revision\":").append(revision).append(",\"steps\":{");
        for (int i = 1; i <= 5; i++) {
            json.append((i > 1) ? "," : "").append("\"step").append(i).append("\":{\"value\":").append(i)
                .append(",\"attempts\":1,\"startedAt\":\"2026-12-06T01:00:00.123456Z\",")
                .append("\"endedAt\":\"2026-12-06T01:00:00.234567Z\",\"event\":\"incremented\",")
                .append("\"history\":[{\"from\":\"step").append(i).append("\",\"to\":\"step").append(i + 1)
                .append("\",\"at\":\"2026-12-06T01:00:00.345678Z\"}]}");
        }
        json.append("},\"context\":{\"n\":0},\"metadata\":{\"pad\":\"");
        json.append("x".repeat(Math.max(0, 1700 - json.length() - 3))).append("\"}}");
        return json.toString();
    }

    private static List<Integer> backends(HikariDataSource pool, String application) throws SQLException {
        List<Integer> pids = new ArrayList<>();
        try (Connection connection = pool.getConnection();
                PreparedStatement select = connection
                    .prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
            select.setString(1, application);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    pids.add(rows.getInt(1));
                }
            }
        }
        return pids;
    }
}
