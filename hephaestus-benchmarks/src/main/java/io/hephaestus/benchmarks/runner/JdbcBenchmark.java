package io.hephaestus.benchmarks.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.jdbc.JdbcDialect;
import io.hephaestus.jdbc.JdbcSchema;
import io.hephaestus.jdbc.JdbcStorage;

/**
 * {@link JdbcBenchmark} measures the local runner on durable storage: W1, W2 and W3 (the shapes of
 * the in-memory runner benchmarks) in workflows per second on a {@link LocalRunner} with a
 * {@link JdbcStorage} on PostgreSQL, the storage writes each workflow costs, and, in the same run on
 * the same database, raw db-scheduler running a chain of five tasks ({@link DbSchedulerChain}).
 *
 * <pre>{@code
 * java -cp hephaestus-benchmarks/target/benchmarks.jar io.hephaestus.benchmarks.runner.JdbcBenchmark [options]
 * }</pre>
 *
 * <p><strong>Why a harness and not JMH.</strong> One workflow costs milliseconds of database round
 * trips, so what JMH protects against (dead code, constant folding, timer granularity) does not
 * arise, and what matters here JMH does not offer: the engines run in <em>interleaved rounds</em>
 * in one JVM (round {@code r} runs db-scheduler, W1, W2 and W3 one batch each, in an order rotated
 * every round), so that the load other processes put on the two shared cores and on the database
 * falls on both engines alike and each round gives a ratio measured minutes apart at most; the SQL
 * statements of every batch are counted exactly, per engine; and the tables are created once and
 * dropped at the end.
 *
 * <p><strong>What one sample is.</strong> A batch of {@code --batch} workflows (default
 * {@value #DEFAULT_BATCH}) started and all completed (W3: all started, all parked on their wait,
 * all resumed, all completed), timed from the first start to the last completion. The batch is
 * started by {@code --starters} caller threads (default: as many as the engines' worker threads),
 * each starting its share one at a time, as an application's request threads would; with one
 * starter, the start path (a round trip or more per workflow on one thread) bounds the throughput
 * of both engines. After each batch the engine's table is truncated, outside the
 * measurement, so every batch starts on an empty table (db-scheduler deletes its rows itself; the
 * runner keeps finished instances for its retention period).
 *
 * <p><strong>Fair configuration.</strong> Both engines get the same number of worker threads
 * ({@code --threads}, default the runner's own default, twice the processors and at least 4), the
 * same starter threads, and each its own HikariCP pool with a connection per worker thread, per
 * starter thread and for db-scheduler's polling thread. db-scheduler is configured as
 * {@link DbSchedulerChain} describes. Both run on PostgreSQL as it is configured (durable commits
 * included), through the same statement counter ({@link CountingDataSource}).
 *
 * <p>Options: {@code --rounds N} (measured rounds, default {@value #DEFAULT_ROUNDS}),
 * {@code --warmup N} (rounds before, default {@value #DEFAULT_WARMUP}), {@code --batch N},
 * {@code --threads N}, {@code --starters N}, {@code --subjects W1,W2,W3,db-scheduler}, {@code --polling-interval-ms N}
 * (db-scheduler, default {@value #DEFAULT_POLLING_MS}), {@code --lower X} and {@code --upper X}
 * (db-scheduler's lock-and-fetch limits as fractions of its threads, defaults
 * {@value #DEFAULT_LOWER} and {@value #DEFAULT_UPPER}), {@code --csv FILE} (one line per sample),
 * {@code --group-commit N} and {@code --concurrent-groups N} (the runner's JDBC storage), {@code --writer-threads N}
 * (the runner's writer threads, default 0),
 * {@code --peer-threads N} (db-scheduler's threads, default {@code --threads}, with a pool to match),
 * {@code --snapshot-compression pglz|lz4} and {@code --fillfactor N} (tuning of the runner's table under test).
 * The database is {@code jdbc:postgresql://127.0.0.1:5432/test} as {@code postgres} without a
 * password unless {@code HEPHAESTUS_TEST_JDBC_URL}, {@code HEPHAESTUS_TEST_JDBC_USER} and
 * {@code HEPHAESTUS_TEST_JDBC_PASSWORD} say otherwise. Two tables with random names are created and
 * dropped at the end (also on Ctrl-C).
 */
public final class JdbcBenchmark {

    static final int DEFAULT_ROUNDS = 5;

    static final int DEFAULT_WARMUP = 2;

    static final int DEFAULT_BATCH = 1000;

    static final int DEFAULT_POLLING_MS = 10;

    static final double DEFAULT_LOWER = 0.5;

    static final double DEFAULT_UPPER = 4.0;

    /** The label of the peer in the results. */
    static final String DB_SCHEDULER = "db-scheduler";

    private static final List<String> SUBJECTS = List.of(DB_SCHEDULER, "W1", "W2", "W3");

    private static final PrintStream out = System.out;

    private JdbcBenchmark() {
    }

    /**
     * Run the benchmark and print the results as Markdown.
     * @param args the options, see the class comment
     * @throws Exception if the database fails or an engine gets stuck
     */
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        new Run(options).run();
    }

    /**
     * The options of a run.
     * @param rounds measured rounds
     * @param warmup rounds before the measured ones
     * @param batch workflows per sample
     * @param threads worker threads of each engine
     * @param starters caller threads that start (and resume) the workflows of a batch
     * @param subjects what to measure, among {@code W1}, {@code W2}, {@code W3}, {@code db-scheduler}
     * @param pollingInterval db-scheduler's polling interval
     * @param lower db-scheduler's lower limit, per thread
     * @param upper db-scheduler's upper limit, per thread
     * @param csv where to write one line per sample, or empty
     * @param groupCommit the most updates the runner's storage writes in one transaction ({@code --group-commit}, 1 for none)
     * @param concurrentGroups the most groups of updates written at once ({@code --concurrent-groups})
     * @param writerThreads the runner's writer threads ({@code --writer-threads}, 0 for none)
     * @param peerThreads db-scheduler's threads ({@code --peer-threads}, default {@code threads})
     * @param tuning the tuning of the runner's table ({@code --snapshot-compression}, {@code --fillfactor})
     * @param url the JDBC URL
     * @param user the database user
     * @param password the database password
     */
    record Options(int rounds, int warmup, int batch, int threads, int starters, List<String> subjects, Duration pollingInterval,
            double lower, double upper, String csv, int groupCommit, int concurrentGroups, int writerThreads, int peerThreads, TableTuning tuning,
            String url,
            String user, String password) {

        static Options parse(String[] args) {
            HarnessArgs values = HarnessArgs.parse(args, List.of("rounds", "warmup", "batch", "threads", "starters",
                    "subjects", "polling-interval-ms", "lower", "upper", "csv", "group-commit", "concurrent-groups",
                    "writer-threads", "peer-threads", TableTuning.OPTIONS.get(0), TableTuning.OPTIONS.get(1)));
            int threads = values.intOption("threads", Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
            List<String> subjects = Arrays.asList(values.string("subjects", String.join(",", SUBJECTS)).split(","));
            for (String subject : subjects) {
                if (!SUBJECTS.contains(subject)) {
                    throw new IllegalArgumentException("unknown subject '" + subject + "'; valid: " + SUBJECTS);
                }
            }
            Options options = new Options(values.intOption("rounds", DEFAULT_ROUNDS),
                    values.intOption("warmup", DEFAULT_WARMUP), values.intOption("batch", DEFAULT_BATCH), threads,
                    values.intOption("starters", threads), List.copyOf(subjects),
                    Duration.ofMillis(values.intOption("polling-interval-ms", DEFAULT_POLLING_MS)),
                    values.doubleOption("lower", DEFAULT_LOWER), values.doubleOption("upper", DEFAULT_UPPER),
                    values.string("csv", ""), values.intOption("group-commit", JdbcStorage.DEFAULT_GROUP_COMMIT),
                    values.intOption("concurrent-groups", JdbcStorage.DEFAULT_CONCURRENT_GROUPS),
                    values.intOption("writer-threads", 0), values.intOption("peer-threads", threads),
                    TableTuning.parse(values), HarnessArgs.url(),
                    HarnessArgs.user(), HarnessArgs.password());
            if (options.rounds() < 1 || options.warmup() < 0 || options.batch() < 1 || options.threads() < 1
                    || options.starters() < 1 || options.groupCommit() < 1 || options.concurrentGroups() < 1
                    || options.writerThreads() < 0 || options.peerThreads() < 1) {
                throw new IllegalArgumentException("rounds, batch, threads, starters, group-commit, "
                        + "concurrent-groups and peer-threads must be positive, warmup and writer-threads not negative: " + options);
            }
            return options;
        }
    }

    /**
     * One measured batch.
     * @param subject {@code W1}, {@code W2}, {@code W3} or {@code db-scheduler}
     * @param round the round, from 1
     * @param workflows workflows (or chains) in the batch
     * @param nanos wall time of the batch
     * @param sql the engine's statements during the batch
     * @param storage the runner's storage calls during the batch (zero for db-scheduler)
     * @param javaCpuNanos CPU time of this JVM during the batch
     * @param allocatedBytes bytes allocated by this JVM's threads during the batch
     * @param cpu the machine's CPU during the batch, with the PostgreSQL server's share
     */
    record Sample(String subject, int round, int workflows, long nanos, CountingDataSource.Counts sql,
            CountingStorage.Counts storage, long javaCpuNanos, long allocatedBytes, CpuTimes cpu) {

        /**
         * Return the CPU time the PostgreSQL server's processes used during the batch.
         * @return nanoseconds, from clock ticks
         */
        long postgresCpuNanos() {
            return this.cpu.postgresNanos(this.nanos);
        }

        /**
         * Return the CPU time processes other than this JVM and PostgreSQL used during the batch.
         * @return nanoseconds, from clock ticks
         */
        long otherCpuNanos() {
            return Math.max(0, this.cpu.busyNanos(this.nanos) - this.javaCpuNanos - postgresCpuNanos());
        }

        double perSecond() {
            return this.workflows * 1e9 / this.nanos;
        }

        double per(long count) {
            return (double) count / this.workflows;
        }
    }

    /**
     * The machine's CPU time from {@code /proc/stat}, and the CPU time of the PostgreSQL backends that
     * serve one engine's pool from {@code /proc/<pid>/stat}, in clock ticks (Linux only; zero
     * elsewhere). Server-wide work (the WAL writer, checkpoints, autovacuum) is in neither engine's
     * backends: it shows in the machine's time only.
     * @param busy ticks not idle and not waiting for I/O, all CPUs
     * @param ioWait ticks idle while waiting for I/O, all CPUs
     * @param total all ticks, all CPUs
     * @param postgres user and system ticks of the engine's backends
     */
    record CpuTimes(long busy, long ioWait, long total, long postgres) {

        static CpuTimes read(List<Integer> backends) {
            try {
                String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
                long[] ticks = Arrays.stream(line.trim().split("\\s+")).skip(1).mapToLong(Long::parseLong).toArray();
                long total = Arrays.stream(ticks).limit(8).sum();
                return new CpuTimes(total - ticks[3] - ticks[4], ticks[4], total, processTicks(backends));
            }
            catch (IOException | RuntimeException ex) {
                return new CpuTimes(0, 0, 0, 0);
            }
        }

        private static long processTicks(List<Integer> pids) {
            long ticks = 0;
            for (int pid : pids) {
                try {
                    String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
                    // After the name: state, ppid, pgrp, session, tty, tpgid, flags, minflt, cminflt, majflt,
                    // cmajflt, utime, stime.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                }
                catch (IOException | RuntimeException ex) {
                    // The backend ended (the pool replaced a connection), or the server is elsewhere.
                }
            }
            return ticks;
        }

        CpuTimes minus(CpuTimes earlier) {
            return new CpuTimes(this.busy - earlier.busy, this.ioWait - earlier.ioWait, this.total - earlier.total,
                    this.postgres - earlier.postgres);
        }

        /**
         * Return the ticks per second of one CPU, derived from all ticks over an interval.
         */
        private double ticksPerNano(long nanos) {
            return (double) this.total / Runtime.getRuntime().availableProcessors() / nanos;
        }

        long postgresNanos(long nanos) {
            return (this.total == 0) ? 0 : (long) (this.postgres / ticksPerNano(nanos));
        }

        long busyNanos(long nanos) {
            return (this.total == 0) ? 0 : (long) (this.busy / ticksPerNano(nanos));
        }

        double busyShare() {
            return (this.total == 0) ? Double.NaN : (double) this.busy / this.total;
        }

        double ioWaitShare() {
            return (this.total == 0) ? Double.NaN : (double) this.ioWait / this.total;
        }
    }

    /**
     * One run: the pools, tables, engines and samples.
     */
    private static final class Run {

        private final Options options;

        private final String suffix = UUID.randomUUID().toString().substring(0, 8);

        private final String runnerTable = "hephaestus_bench_" + this.suffix;

        private final String schedulerTable = "dbscheduler_bench_" + this.suffix;

        private final AtomicBoolean dropped = new AtomicBoolean();

        private final List<Sample> samples = new ArrayList<>();

        private CountingDataSource runnerSql;

        private CountingStorage runnerStorage;

        private CountingDataSource schedulerSql;

        private LocalRunner runner;

        private Completions completions;

        private DbSchedulerChain chain;

        private final AtomicLong nextId = new AtomicLong();

        private Starters starters;

        Run(Options options) {
            this.options = options;
        }

        void run() throws Exception {
            printHeader();
            Thread dropOnExit = new Thread(this::dropTables, "drop-benchmark-tables");
            Runtime.getRuntime().addShutdownHook(dropOnExit);
            int poolSize = poolSize();
            try (HikariDataSource runnerPool = pool("hephaestus", poolSize);
                    HikariDataSource schedulerPool = pool("db-scheduler",
                            this.options.peerThreads() + this.options.starters() + 1);
                    Starters starters = new Starters(this.options.starters())) {
                this.starters = starters;
                createTables(runnerPool);
                this.runnerSql = new CountingDataSource(runnerPool);
                this.runnerStorage = new CountingStorage(JdbcStorage.builder(this.runnerSql)
                    .dialect(JdbcDialect.POSTGRESQL)
                    .tableName(this.runnerTable)
                    .groupCommit(this.options.groupCommit())
                    .concurrentGroups(this.options.concurrentGroups())
                    .build());
                Telemetry telemetry = Telemetry.create();
                this.completions = Completions.attachTo(telemetry);
                this.runner = LocalRunner.builder(WorkflowRegistry.of(LinearWorkflowBenchmark.workflow(),
                        ParallelWorkflowBenchmark.workflow(), WaitingWorkflowBenchmark.workflow()))
                    .name("jdbc-benchmark")
                    .storage(this.runnerStorage)
                    .telemetry(telemetry)
                    .threads(this.options.threads())
                    .writerThreads(this.options.writerThreads())
                    .build();
                this.schedulerSql = new CountingDataSource(schedulerPool);
                this.chain = new DbSchedulerChain(this.schedulerSql, this.schedulerTable,
                        new DbSchedulerChain.Settings(this.options.peerThreads(), this.options.pollingInterval(),
                                this.options.lower(), this.options.upper()));
                try {
                    verify();
                    int rounds = this.options.warmup() + this.options.rounds();
                    for (int round = 1; round <= rounds; round++) {
                        boolean warmup = round <= this.options.warmup();
                        int measured = round - this.options.warmup();
                        List<String> order = new ArrayList<>(this.options.subjects());
                        Collections.rotate(order, -(round - 1));
                        for (String subject : order) {
                            Sample sample = measure(subject, measured);
                            out.printf(Locale.ROOT, "%s %2d  %-12s %5d in %7.3f s = %8.1f /s   writes/wf %5.2f  "
                                    + "commits/wf %5.2f  round trips/wf %5.2f  db wait %6.2f ms/wf  CPU µs/wf: JVM %5.0f PG %5.0f rest %5.0f%n",
                                    warmup ? "warm-up" : "round  ", warmup ? round : measured, subject,
                                    sample.workflows(), sample.nanos() / 1e9, sample.perSecond(),
                                    sample.per(sample.sql().writes()), sample.per(sample.sql().durableCommits()),
                                    sample.per(sample.sql().roundTrips()), sample.per(sample.sql().databaseNanos()) / 1e6,
                                    sample.per(sample.javaCpuNanos()) / 1e3, sample.per(sample.postgresCpuNanos()) / 1e3,
                                    sample.per(sample.otherCpuNanos()) / 1e3);
                            if (!warmup) {
                                this.samples.add(sample);
                            }
                        }
                    }
                }
                finally {
                    this.runner.close();
                    this.chain.close();
                }
            }
            finally {
                dropTables();
                Runtime.getRuntime().removeShutdownHook(dropOnExit);
            }
            printSummary();
            writeCsv();
        }

        /**
         * Return the connections of each engine's pool: one per worker thread, one per starter
         * thread, and one for db-scheduler's polling thread.
         */
        private int poolSize() {
            return this.options.threads() + this.options.starters() + 1;
        }

        private HikariDataSource pool(String name, int size) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(this.options.url());
            config.setUsername(this.options.user());
            config.setPassword(this.options.password());
            config.setMaximumPoolSize(size);
            config.setMinimumIdle(size);
            config.setPoolName(name);
            // Names the backends in pg_stat_activity, so that their CPU time can be read per engine.
            config.addDataSourceProperty("ApplicationName", this.suffix + "-" + name);
            return new HikariDataSource(config);
        }

        private void createTables(HikariDataSource pool) throws SQLException {
            JdbcSchema.apply(pool, JdbcDialect.POSTGRESQL, this.runnerTable);
            this.options.tuning().apply(pool, this.runnerTable);
            String script = resource("db-scheduler/postgresql_tables.sql")
                .replaceAll("(?i)create index (\\w+)", "CREATE INDEX " + this.schedulerTable + "_$1")
                .replace("scheduled_tasks", this.schedulerTable);
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                for (String sql : script.replaceAll("(?m)^--.*$", "").split(";")) {
                    if (!sql.isBlank()) {
                        statement.execute(sql);
                    }
                }
            }
        }

        private void dropTables() {
            if (!this.dropped.compareAndSet(false, true)) {
                return;
            }
            try (Connection connection = DriverManager.getConnection(this.options.url(), this.options.user(),
                    this.options.password()); Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + this.runnerTable);
                statement.execute("DROP TABLE IF EXISTS " + this.schedulerTable);
            }
            catch (SQLException ex) {
                System.err.println("Could not drop the benchmark tables " + this.runnerTable + " and "
                        + this.schedulerTable + ": " + ex.getMessage());
            }
        }

        private void truncate(String table) {
            try (Connection connection = DriverManager.getConnection(this.options.url(), this.options.user(),
                    this.options.password()); Statement statement = connection.createStatement()) {
                statement.execute("TRUNCATE " + table);
            }
            catch (SQLException ex) {
                throw new IllegalStateException("could not truncate " + table + ": " + ex.getMessage(), ex);
            }
        }

        /**
         * Run one workflow of each shape and one chain, and fail unless each ends as it should.
         */
        private void verify() {
            this.completions.expect(2);
            String linear = start(LinearWorkflowBenchmark.WORKFLOW);
            String parallel = start(ParallelWorkflowBenchmark.WORKFLOW);
            this.completions.awaitFinished();
            Instance w1 = this.runner.get(LinearWorkflowBenchmark.WORKFLOW, linear).orElseThrow();
            RunnerBenchmarks.check("W1 status", Status.COMPLETED, w1.status());
            RunnerBenchmarks.check("W1 step5", LinearWorkflowBenchmark.STEPS, Increment.read(w1.context(), "step5"));
            Instance w2 = this.runner.get(ParallelWorkflowBenchmark.WORKFLOW, parallel).orElseThrow();
            RunnerBenchmarks.check("W2 status", Status.COMPLETED, w2.status());
            RunnerBenchmarks.check("W2 join", 3, Increment.read(w2.context(), "join"));
            runWaiting(1);
            this.chain.open();
            this.chain.runBatch(1, new Starters(1));
            this.chain.close();
            truncate(this.runnerTable);
            truncate(this.schedulerTable);
        }

        private String start(String workflow) {
            return this.runner
                .start(StartRequest.of(workflow, Long.toString(this.nextId.getAndIncrement())).context(RunnerBenchmarks.SEED_CONTEXT))
                .id();
        }

        private Sample measure(String subject, int round) {
            int batch = this.options.batch();
            if (subject.equals(DB_SCHEDULER)) {
                this.chain.open();
            }
            CountingDataSource sql = subject.equals(DB_SCHEDULER) ? this.schedulerSql : this.runnerSql;
            CountingDataSource.Counts sqlBefore = sql.counts();
            CountingStorage.Counts storageBefore = this.runnerStorage.counts();
            long cpuBefore = javaCpuNanos();
            long allocatedBefore = allocatedBytes();
            List<Integer> backends = backends(subject.equals(DB_SCHEDULER) ? "db-scheduler" : "hephaestus");
            CpuTimes machineBefore = CpuTimes.read(backends);
            long started = System.nanoTime();
            switch (subject) {
                case DB_SCHEDULER -> this.chain.runBatch(batch, this.starters);
                case "W1" -> runLine(LinearWorkflowBenchmark.WORKFLOW, batch);
                case "W2" -> runLine(ParallelWorkflowBenchmark.WORKFLOW, batch);
                case "W3" -> runWaiting(batch);
                default -> throw new IllegalArgumentException("unknown subject " + subject);
            }
            long nanos = System.nanoTime() - started;
            CountingDataSource.Counts sqlAfter = sql.counts();
            long cpuAfter = javaCpuNanos();
            long allocatedAfter = allocatedBytes();
            CpuTimes machineAfter = CpuTimes.read(backends);
            if (subject.equals(DB_SCHEDULER)) {
                this.chain.close();
            }
            Sample sample = new Sample(subject, round, batch, nanos, sqlAfter.minus(sqlBefore),
                    subject.equals(DB_SCHEDULER) ? CountingStorage.Counts.ZERO
                            : this.runnerStorage.counts().minus(storageBefore),
                    cpuAfter - cpuBefore, allocatedAfter - allocatedBefore, machineAfter.minus(machineBefore));
            truncate(subject.equals(DB_SCHEDULER) ? this.schedulerTable : this.runnerTable);
            return sample;
        }

        /**
         * Return the process ids of the PostgreSQL backends of one of the pools.
         */
        private List<Integer> backends(String pool) {
            try (Connection connection = DriverManager.getConnection(this.options.url(), this.options.user(),
                    this.options.password());
                    var select = connection.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
                select.setString(1, this.suffix + "-" + pool);
                List<Integer> pids = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        pids.add(rows.getInt(1));
                    }
                }
                return pids;
            }
            catch (SQLException ex) {
                throw new IllegalStateException("could not list the backends of pool " + pool + ": " + ex.getMessage(), ex);
            }
        }

        private void runLine(String workflow, int batch) {
            this.completions.expect(batch);
            this.starters.split(batch, (i) -> start(workflow));
            this.completions.awaitFinished();
        }

        private void runWaiting(int batch) {
            String[] ids = new String[batch];
            this.completions.expect(batch);
            this.starters.split(batch, (i) -> ids[i] = start(WaitingWorkflowBenchmark.WORKFLOW));
            this.completions.awaitWaiting();
            this.starters.split(batch,
                    (i) -> this.runner.resume(WaitingWorkflowBenchmark.WORKFLOW, ids[i], WaitingWorkflowBenchmark.EVENT));
            this.completions.awaitFinished();
            if (batch == 1) {
                Instance w3 = this.runner.get(WaitingWorkflowBenchmark.WORKFLOW, ids[0]).orElseThrow();
                RunnerBenchmarks.check("W3 status", Status.COMPLETED, w3.status());
                RunnerBenchmarks.check("W3 after", 2, Increment.read(w3.context(), "after"));
            }
        }

        private void printHeader() {
            out.println("# Hephaestus on PostgreSQL vs db-scheduler");
            out.println();
            out.printf(Locale.ROOT, "- date: %s%n", Instant.now());
            out.printf(Locale.ROOT, "- machine: %d CPUs (%s), %s; load average at start: %s%n",
                    Runtime.getRuntime().availableProcessors(), cpuModel(), memory(), loadAverage());
            out.printf(Locale.ROOT, "- JVM: %s %s, max heap %d MiB%n", System.getProperty("java.vm.name"),
                    System.getProperty("java.runtime.version"), Runtime.getRuntime().maxMemory() >> 20);
            out.printf(Locale.ROOT, "- database: %s, %s%n", this.options.url(), serverSettings());
            out.printf(Locale.ROOT, "- run: %d warm-up + %d measured rounds of %d workflows per subject, %d threads "
                    + "per engine, started from %d threads, pools of %d; db-scheduler 16.7.1 lock-and-fetch (%.2f, %.2f) x threads, polling every "
                    + "%d ms, immediate execution; runner's storage: group commit %d, concurrent groups %d; runner's "
                    + "writer threads %d; db-scheduler's threads %d; runner's table: %s%n%n",
                    this.options.warmup(), this.options.rounds(), this.options.batch(),
                    this.options.threads(), this.options.starters(), poolSize(), this.options.lower(), this.options.upper(),
                    this.options.pollingInterval().toMillis(), this.options.groupCommit(), this.options.concurrentGroups(),
                    this.options.writerThreads(), this.options.peerThreads(),
                    this.options.tuning().describe());
        }

        private String serverSettings() {
            try (Connection connection = DriverManager.getConnection(this.options.url(), this.options.user(),
                    this.options.password()); Statement statement = connection.createStatement()) {
                List<String> settings = new ArrayList<>();
                try (ResultSet row = statement.executeQuery("SELECT version()")) {
                    row.next();
                    settings.add(row.getString(1).replaceAll(" on .*", ""));
                }
                for (String name : List.of("synchronous_commit", "fsync", "wal_sync_method", "shared_buffers",
                        "max_connections")) {
                    try (ResultSet row = statement.executeQuery("SHOW " + name)) {
                        row.next();
                        settings.add(name + "=" + row.getString(1));
                    }
                }
                return String.join(", ", settings);
            }
            catch (SQLException ex) {
                throw new IllegalStateException("cannot reach PostgreSQL at " + this.options.url() + " as "
                        + this.options.user() + " (set HEPHAESTUS_TEST_JDBC_URL, _USER, _PASSWORD): " + ex.getMessage(),
                        ex);
            }
        }

        private void printSummary() {
            out.printf(Locale.ROOT, "%n- load average at end: %s%n%n", loadAverage());
            out.println("| subject | per second: mean ± sd (min–max) | storage writes / wf (create + update) "
                    + "| SQL writes / wf | SQL reads + locks / wf | durable commits / wf | round trips / wf "
                    + "| ms per write | DB wait ms / wf | JVM CPU µs / wf | JVM KB allocated / wf | PostgreSQL CPU µs / wf | rest of machine CPU µs / wf "
                    + "| machine busy | I/O wait |");
            out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (String subject : this.options.subjects()) {
                List<Sample> of = samplesOf(subject);
                Stats rate = Stats.of(of, Sample::perSecond);
                boolean peer = subject.equals(DB_SCHEDULER);
                out.printf(Locale.ROOT, "| %s | %.1f ± %.1f (%.1f–%.1f) | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f "
                        + "| %.0f | %.1f | %.0f | %.0f | %.0f%% | %.0f%% |%n", peer ? "db-scheduler chain of 5" : subject + " (LocalRunner)",
                        rate.mean(), rate.sd(), rate.min(), rate.max(),
                        peer ? "–" : String.format(Locale.ROOT, "%.2f (%.2f + %.2f)",
                                mean(of, (s) -> s.per(s.storage().creates() + s.storage().updates())),
                                mean(of, (s) -> s.per(s.storage().creates())),
                                mean(of, (s) -> s.per(s.storage().updates()))),
                        mean(of, (s) -> s.per(s.sql().writes())),
                        mean(of, (s) -> s.per(s.sql().reads() + s.sql().locks())),
                        mean(of, (s) -> s.per(s.sql().durableCommits())), mean(of, (s) -> s.per(s.sql().roundTrips())),
                        mean(of, (s) -> s.sql().writeNanos() / 1e6 / Math.max(1, s.sql().writes())),
                        mean(of, (s) -> s.per(s.sql().databaseNanos()) / 1e6),
                        mean(of, (s) -> s.per(s.javaCpuNanos()) / 1e3), mean(of, (s) -> s.per(s.allocatedBytes()) / 1024),
                        mean(of, (s) -> s.per(s.postgresCpuNanos()) / 1e3),
                        mean(of, (s) -> s.per(s.otherCpuNanos()) / 1e3), mean(of, (s) -> s.cpu().busyShare() * 100),
                        mean(of, (s) -> s.cpu().ioWaitShare() * 100));
            }
            if (!this.options.subjects().contains(DB_SCHEDULER)) {
                return;
            }
            out.println();
            out.println("| shape | ratio of means | ratio per round: median (min–max) | target |");
            out.println("|---|---:|---:|---|");
            Stats peer = Stats.of(samplesOf(DB_SCHEDULER), Sample::perSecond);
            for (String subject : this.options.subjects()) {
                if (subject.equals(DB_SCHEDULER)) {
                    continue;
                }
                List<Double> ratios = new ArrayList<>();
                for (Sample sample : samplesOf(subject)) {
                    samplesOf(DB_SCHEDULER).stream()
                        .filter((other) -> other.round() == sample.round())
                        .findFirst()
                        .ifPresent((other) -> ratios.add(sample.perSecond() / other.perSecond()));
                }
                Stats ratio = Stats.of(ratios, Double::doubleValue);
                double ofMeans = Stats.of(samplesOf(subject), Sample::perSecond).mean() / peer.mean();
                out.printf(Locale.ROOT, "| %s / db-scheduler | %.2f× | %.2f× (%.2f–%.2f×) | %s |%n", subject, ofMeans,
                        ratio.median(), ratio.min(), ratio.max(), (ofMeans >= 2) ? "≥ 2×: met" : "≥ 2×: **missed**");
            }
        }

        private void writeCsv() throws IOException {
            if (this.options.csv().isEmpty()) {
                return;
            }
            List<String> lines = new ArrayList<>();
            lines.add("subject,round,workflows,seconds,per_second,storage_creates,storage_updates,storage_gets,"
                    + "storage_queries,sql_writes,sql_reads,sql_locks,commits_and_rollbacks,durable_commits,"
                    + "db_wait_ms,write_wait_ms,jvm_cpu_ms,jvm_allocated_mb,postgres_cpu_ms,other_cpu_ms,machine_busy,io_wait");
            for (Sample s : this.samples) {
                lines.add(String.format(Locale.ROOT, "%s,%d,%d,%.4f,%.2f,%d,%d,%d,%d,%d,%d,%d,%d,%d,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.4f,%.4f",
                        s.subject(), s.round(), s.workflows(), s.nanos() / 1e9, s.perSecond(), s.storage().creates(),
                        s.storage().updates(), s.storage().gets(), s.storage().queries(), s.sql().writes(),
                        s.sql().reads(), s.sql().locks(), s.sql().endings(), s.sql().durableCommits(),
                        s.sql().databaseNanos() / 1e6, s.sql().writeNanos() / 1e6, s.javaCpuNanos() / 1e6, s.allocatedBytes() / 1048576.0, s.postgresCpuNanos() / 1e6, s.otherCpuNanos() / 1e6,
                        s.cpu().busyShare(), s.cpu().ioWaitShare()));
            }
            Files.write(Path.of(this.options.csv()), lines, StandardCharsets.UTF_8);
            out.printf("%nSamples written to %s%n", this.options.csv());
        }

        private List<Sample> samplesOf(String subject) {
            return this.samples.stream().filter((sample) -> sample.subject().equals(subject)).toList();
        }

        private static double mean(List<Sample> samples, ToDoubleFunction<Sample> value) {
            return samples.stream().mapToDouble(value).average().orElse(Double.NaN);
        }
    }

    /**
     * Mean, sample standard deviation, median and range of some values.
     */
    record Stats(double mean, double sd, double median, double min, double max) {

        static <T> Stats of(List<T> items, ToDoubleFunction<T> value) {
            double[] values = items.stream().mapToDouble(value).sorted().toArray();
            if (values.length == 0) {
                return new Stats(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            double mean = Arrays.stream(values).average().orElseThrow();
            double squares = Arrays.stream(values).map((v) -> (v - mean) * (v - mean)).sum();
            double sd = (values.length > 1) ? Math.sqrt(squares / (values.length - 1)) : 0;
            int middle = values.length / 2;
            double median = (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
            return new Stats(mean, sd, median, values[0], values[values.length - 1]);
        }
    }

    private static long javaCpuNanos() {
        OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        return (bean instanceof com.sun.management.OperatingSystemMXBean os) ? os.getProcessCpuTime() : 0;
    }

    /**
     * Return the bytes allocated so far by the live threads of this JVM (the engines' pools live for
     * the whole run, so a difference over a batch is what the batch allocated).
     */
    private static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported()) {
            return Arrays.stream(threads.getThreadAllocatedBytes(threads.getAllThreadIds())).filter((b) -> b > 0).sum();
        }
        return 0;
    }

    private static String cpuModel() {
        return firstLineStartingWith(Path.of("/proc/cpuinfo"), "model name", (line) -> line.replaceAll(".*:\\s*", ""));
    }

    private static String memory() {
        return firstLineStartingWith(Path.of("/proc/meminfo"), "MemTotal",
                (line) -> (Long.parseLong(line.replaceAll("\\D", "")) >> 20) + " GiB");
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        }
        catch (IOException ex) {
            return "unknown";
        }
    }

    private static String firstLineStartingWith(Path file, String prefix, Function<String, String> format) {
        try {
            return Files.readAllLines(file)
                .stream()
                .filter((line) -> line.startsWith(prefix))
                .findFirst()
                .map(format)
                .orElse("unknown");
        }
        catch (IOException | RuntimeException ex) {
            return "unknown";
        }
    }

    private static String resource(String name) {
        try (InputStream in = JdbcBenchmark.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
