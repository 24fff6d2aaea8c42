package io.hephaestus.benchmarks.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.hephaestus.cluster.ClusterRunner;
import io.hephaestus.cluster.ClusterSchema;
import io.hephaestus.cluster.ClusterTasks;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.jdbc.JdbcDialect;
import io.hephaestus.jdbc.JdbcSchema;
import io.hephaestus.jdbc.JdbcStorage;

/**
 * {@link ClusterBenchmark} measures the {@link ClusterRunner} on PostgreSQL with one node and with
 * two, next to raw db-scheduler running a chain of five tasks ({@link DbSchedulerChain}): W1 (five
 * steps in a line) and W2 (a fan-out to three branches and a join) in workflows per second.
 *
 * <pre>{@code
 * java -cp hephaestus-benchmarks/target/benchmarks.jar io.hephaestus.benchmarks.runner.ClusterBenchmark [options]
 * }</pre>
 *
 * <p><strong>Subjects</strong>, measured in interleaved rounds in one JVM (round {@code r} runs
 * each subject one batch, in an order rotated every round, so that the load of other processes on
 * the shared cores falls on all alike and each round gives ratios measured minutes apart at most):
 * {@code db-scheduler}, {@code W1/1}, {@code W2/1}, {@code W1/2} and {@code W2/2} (workflow / nodes).
 *
 * <p><strong>Nodes.</strong> A node is a {@code ClusterRunner} with its own db-scheduler
 * {@code Scheduler}, its own {@code JdbcStorage} and its own HikariCP pool, all nodes on the same
 * two tables (instances and db-scheduler's executions). The two nodes of a two-node subject run in
 * this one JVM: they share nothing but the database and the benchmark's telemetry listener, as two
 * processes would, except the JVM's heap and JIT (and the two cores, which two processes on this
 * machine would share too). The batch's starts alternate between the nodes, as a load balancer
 * would send them.
 *
 * <p><strong>Same executor settings.</strong> Every node's scheduler is configured like the peer's
 * ({@link DbSchedulerChain}): {@code --threads} threads, lock-and-fetch polling with the same
 * limits, the same polling interval and immediate execution. It is built and started before each
 * batch and stopped after it, outside the measurement, so that no idle scheduler polls while
 * another subject is measured; the tables are truncated after every batch.
 *
 * <p>Options: {@code --rounds N} (default {@value #DEFAULT_ROUNDS}), {@code --warmup N} (default
 * {@value #DEFAULT_WARMUP}), {@code --batch N} workflows per sample (default {@value #DEFAULT_BATCH}),
 * {@code --threads N} per node and for the peer (default 4), {@code --starters N} caller threads
 * (default the threads), {@code --subjects} a comma-separated subset, {@code --polling-interval-ms N}
 * (default {@value #DEFAULT_POLLING_MS}), {@code --snapshot-compression pglz|lz4} and {@code --fillfactor N}
 * (a tuning of the instance table, see {@link TableTuning}), {@code --group-commit N} and
 * {@code --concurrent-groups N} (each node's JDBC storage). The database is
 * {@code jdbc:postgresql://127.0.0.1:5432/test} as {@code postgres} unless
 * {@code HEPHAESTUS_TEST_JDBC_URL}, {@code _USER} and {@code _PASSWORD} say otherwise; the tables
 * have random names and are dropped at the end.
 */
public final class ClusterBenchmark {

    static final int DEFAULT_ROUNDS = 5;

    static final int DEFAULT_WARMUP = 1;

    static final int DEFAULT_BATCH = 500;

    /** The peer's polling interval, as in the JDBC benchmark. */
    static final int DEFAULT_POLLING_MS = JdbcBenchmark.DEFAULT_POLLING_MS;

    /** db-scheduler's lock-and-fetch limits, fractions of its threads, as in the JDBC benchmark. */
    static final double LOWER = JdbcBenchmark.DEFAULT_LOWER;

    static final double UPPER = JdbcBenchmark.DEFAULT_UPPER;

    private static final String PEER = "db-scheduler";

    private static final List<String> SUBJECTS = List.of(PEER, "W1/1", "W2/1", "W1/2", "W2/2");

    private static final PrintStream out = System.out;

    private ClusterBenchmark() {
    }

    /**
     * Run the benchmark and print the results as Markdown.
     * @param args the options, see the class comment
     * @throws Exception if the database fails or an engine gets stuck
     */
    public static void main(String[] args) throws Exception {
        new Run(Options.parse(args)).run();
    }

    /**
     * The options of a run.
     * @param rounds measured rounds
     * @param warmup rounds before them
     * @param batch workflows per sample
     * @param threads threads of each node's scheduler and of the peer's
     * @param starters caller threads that start a batch
     * @param subjects what to measure
     * @param settings the executor settings of every scheduler
     * @param tuning the tuning of the instance table ({@code --snapshot-compression}, {@code --fillfactor})
     * @param groupCommit each node's storage's group commit ({@code --group-commit}, 1 for none)
     * @param concurrentGroups each node's storage's concurrent groups ({@code --concurrent-groups})
     * @param url the JDBC URL
     * @param user the database user
     * @param password the database password
     */
    record Options(int rounds, int warmup, int batch, int threads, int starters, List<String> subjects,
            DbSchedulerChain.Settings settings, TableTuning tuning, int groupCommit, int concurrentGroups, String url, String user, String password) {

        static Options parse(String[] args) {
            HarnessArgs values = HarnessArgs.parse(args,
                    List.of("rounds", "warmup", "batch", "threads", "starters", "subjects", "polling-interval-ms",
                            TableTuning.OPTIONS.get(0), TableTuning.OPTIONS.get(1), "group-commit", "concurrent-groups"));
            int threads = values.intOption("threads", 4);
            List<String> subjects = Arrays.asList(values.string("subjects", String.join(",", SUBJECTS)).split(","));
            if (!SUBJECTS.containsAll(subjects)) {
                throw new IllegalArgumentException("unknown subject in " + subjects + "; valid: " + SUBJECTS);
            }
            Options options = new Options(values.intOption("rounds", DEFAULT_ROUNDS),
                    values.intOption("warmup", DEFAULT_WARMUP), values.intOption("batch", DEFAULT_BATCH), threads,
                    values.intOption("starters", threads), List.copyOf(subjects),
                    new DbSchedulerChain.Settings(threads,
                            Duration.ofMillis(values.intOption("polling-interval-ms", DEFAULT_POLLING_MS)), LOWER, UPPER),
                    TableTuning.parse(values), values.intOption("group-commit", JdbcStorage.DEFAULT_GROUP_COMMIT),
                    values.intOption("concurrent-groups", JdbcStorage.DEFAULT_CONCURRENT_GROUPS), HarnessArgs.url(), HarnessArgs.user(), HarnessArgs.password());
            if (options.rounds() < 1 || options.warmup() < 0 || options.batch() < 1 || threads < 1
                    || options.starters() < 1 || options.groupCommit() < 1 || options.concurrentGroups() < 1) {
                throw new IllegalArgumentException("rounds, batch, threads, starters, group-commit and concurrent-groups "
                        + "must be positive: " + options);
            }
            return options;
        }
    }

    /**
     * One batch of one subject.
     * @param subject the subject
     * @param round the measured round (or warm-up round)
     * @param workflows workflows in the batch
     * @param nanos from the first start to the last completion
     * @param sql the statements of every node (or of the peer) during the batch
     */
    record Sample(String subject, int round, int workflows, long nanos, CountingDataSource.Counts sql) {

        double perSecond() {
            return this.workflows * 1e9 / this.nanos;
        }

        double roundTripsPerWorkflow() {
            return per(this.sql.roundTrips());
        }

        double per(long count) {
            return (double) count / this.workflows;
        }
    }

    /**
     * One node: a cluster runner on its own scheduler, storage and pool.
     */
    private static final class Node implements AutoCloseable {

        final ClusterRunner runner;

        private final Scheduler scheduler;

        Node(String name, CountingDataSource sql, String instanceTable, String taskTable, WorkflowRegistry registry,
                Telemetry telemetry, Options options) {
            DbSchedulerChain.Settings settings = options.settings();
            ClusterTasks tasks = ClusterTasks.create();
            this.scheduler = Scheduler.create(sql, tasks.all())
                .tableName(taskTable)
                .schedulerName(new SchedulerName.Fixed(name))
                .threads(settings.threads())
                .pollUsingLockAndFetch(settings.lowerLimitFractionOfThreads(), settings.upperLimitFractionOfThreads())
                .pollingInterval(settings.pollingInterval())
                .enableImmediateExecution()
                .shutdownMaxWait(Duration.ofSeconds(10))
                .build();
            JdbcStorage storage = JdbcStorage.builder(sql).dialect(JdbcDialect.POSTGRESQL).tableName(instanceTable)
                .groupCommit(options.groupCommit()).concurrentGroups(options.concurrentGroups()).build();
            this.runner = ClusterRunner.builder(registry, storage, sql)
                .name(name)
                .scheduler(this.scheduler, tasks)
                .tableName(taskTable)
                .telemetry(telemetry)
                .build();
            this.scheduler.start();
        }

        @Override
        public void close() {
            this.runner.close();
            this.scheduler.stop();
        }
    }

    /**
     * A run of the benchmark.
     */
    private static final class Run {

        private final Options options;

        private final String suffix = UUID.randomUUID().toString().substring(0, 8);

        private final String instanceTable = "hephaestus_cbench_" + this.suffix;

        private final String taskTable = "cbench_tasks_" + this.suffix;

        private final String chainTable = "cbench_chain_" + this.suffix;

        private final AtomicBoolean dropped = new AtomicBoolean();

        private final AtomicLong nextId = new AtomicLong();

        private final List<Sample> samples = new ArrayList<>();

        private final WorkflowRegistry registry = WorkflowRegistry.of(LinearWorkflowBenchmark.workflow(),
                ParallelWorkflowBenchmark.workflow());

        private final Telemetry telemetry = Telemetry.create();

        private final Completions completions = Completions.attachTo(this.telemetry);

        private final List<CountingDataSource> nodeSql = new ArrayList<>();

        private CountingDataSource chainSql;

        private DbSchedulerChain chain;

        private Starters starters;

        Run(Options options) {
            this.options = options;
        }

        void run() throws Exception {
            printHeader();
            Thread dropOnExit = new Thread(this::dropTables, "drop-benchmark-tables");
            Runtime.getRuntime().addShutdownHook(dropOnExit);
            // A connection per scheduler thread, per starter, for polling, and two for the runner's housekeeping.
            int poolSize = this.options.threads() + this.options.starters() + 3;
            try (HikariDataSource poolA = pool("node-a", poolSize); HikariDataSource poolB = pool("node-b", poolSize);
                    HikariDataSource chainPool = pool(PEER, poolSize);
                    Starters starters = new Starters(this.options.starters())) {
                this.starters = starters;
                createTables(poolA);
                this.nodeSql.add(new CountingDataSource(poolA));
                this.nodeSql.add(new CountingDataSource(poolB));
                this.chainSql = new CountingDataSource(chainPool);
                this.chain = new DbSchedulerChain(this.chainSql, this.chainTable, this.options.settings());
                verify();
                int rounds = this.options.warmup() + this.options.rounds();
                for (int round = 1; round <= rounds; round++) {
                    boolean warmup = round <= this.options.warmup();
                    int measured = warmup ? round : round - this.options.warmup();
                    List<String> order = new ArrayList<>(this.options.subjects());
                    Collections.rotate(order, -(round - 1));
                    for (String subject : order) {
                        Sample sample = measure(subject, measured);
                        out.printf(Locale.ROOT, "%s %2d  %-12s %5d in %7.3f s = %8.1f /s   round trips/wf %6.2f (writes "
                                + "%.2f, reads %.2f, locks %.2f, commits and rollbacks %.2f)%n", warmup ? "warm-up" : "round  ",
                                measured, subject, sample.workflows(), sample.nanos() / 1e9, sample.perSecond(),
                                sample.roundTripsPerWorkflow(), sample.per(sample.sql().writes()),
                                sample.per(sample.sql().reads()), sample.per(sample.sql().locks()),
                                sample.per(sample.sql().endings()));
                        if (!warmup) {
                            this.samples.add(sample);
                        }
                    }
                }
            }
            finally {
                dropTables();
                Runtime.getRuntime().removeShutdownHook(dropOnExit);
            }
            printSummary();
        }

        /**
         * Run one W1 and one W2 on one node and one chain, and check their results.
         */
        private void verify() {
            try (Node node = node(0)) {
                this.completions.expect(2);
                String linear = start(node, LinearWorkflowBenchmark.WORKFLOW);
                String parallel = start(node, ParallelWorkflowBenchmark.WORKFLOW);
                this.completions.awaitFinished();
                Instance w1 = node.runner.get(LinearWorkflowBenchmark.WORKFLOW, linear).orElseThrow();
                RunnerBenchmarks.check("W1 status", Status.COMPLETED, w1.status());
                RunnerBenchmarks.check("W1 step5", LinearWorkflowBenchmark.STEPS, Increment.read(w1.context(), "step5"));
                Instance w2 = node.runner.get(ParallelWorkflowBenchmark.WORKFLOW, parallel).orElseThrow();
                RunnerBenchmarks.check("W2 status", Status.COMPLETED, w2.status());
                RunnerBenchmarks.check("W2 join", 3, Increment.read(w2.context(), "join"));
            }
            this.chain.open();
            this.chain.runBatch(1, new Starters(1));
            this.chain.close();
            truncate(this.instanceTable, this.taskTable, this.chainTable);
        }

        private Node node(int index) {
            return new Node("bench-node-" + (char) ('a' + index), this.nodeSql.get(index), this.instanceTable,
                    this.taskTable, this.registry, this.telemetry, this.options);
        }

        private String start(Node node, String workflow) {
            return node.runner
                .start(StartRequest.of(workflow, Long.toString(this.nextId.getAndIncrement()))
                    .context(RunnerBenchmarks.SEED_CONTEXT))
                .id();
        }

        private Sample measure(String subject, int round) {
            int batch = this.options.batch();
            if (subject.equals(PEER)) {
                this.chain.open();
                CountingDataSource.Counts before = this.chainSql.counts();
                long started = System.nanoTime();
                this.chain.runBatch(batch, this.starters);
                long nanos = System.nanoTime() - started;
                Sample sample = new Sample(subject, round, batch, nanos, this.chainSql.counts().minus(before));
                this.chain.close();
                truncate(this.chainTable);
                return sample;
            }
            String workflow = subject.startsWith("W1") ? LinearWorkflowBenchmark.WORKFLOW
                    : ParallelWorkflowBenchmark.WORKFLOW;
            int count = Integer.parseInt(subject.substring(subject.indexOf('/') + 1));
            List<Node> nodes = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    nodes.add(node(i));
                }
                CountingDataSource.Counts before = sqlCounts();
                this.completions.expect(batch);
                long started = System.nanoTime();
                this.starters.split(batch, (i) -> start(nodes.get(i % nodes.size()), workflow));
                this.completions.awaitFinished();
                long nanos = System.nanoTime() - started;
                return new Sample(subject, round, batch, nanos, sqlCounts().minus(before));
            }
            finally {
                nodes.forEach(Node::close);
                truncate(this.instanceTable, this.taskTable);
            }
        }

        private CountingDataSource.Counts sqlCounts() {
return this.nodeSql.get(0).counts().plus(this.nodeSql.get(1).counts());
        }

        private HikariDataSource pool(String name, int size) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(this.options.url());
            config.setUsername(this.options.user());
            config.setPassword(this.options.password());
            config.setMaximumPoolSize(size);
            config.setMinimumIdle(size);
            config.setPoolName(name);
            return new HikariDataSource(config);
        }

        private void createTables(HikariDataSource pool) {
            JdbcSchema.apply(pool, JdbcDialect.POSTGRESQL, this.instanceTable);
            try {
                this.options.tuning().apply(pool, this.instanceTable);
            }
            catch (java.sql.SQLException ex) {
                throw new IllegalStateException("could not tune " + this.instanceTable + ": " + ex.getMessage(), ex);
            }
            ClusterSchema.apply(pool, this.taskTable);
            ClusterSchema.apply(pool, this.chainTable);
        }

        private void truncate(String... tables) {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("TRUNCATE " + String.join(", ", tables));
            }
            catch (SQLException ex) {
                throw new IllegalStateException("could not truncate " + List.of(tables) + ": " + ex.getMessage(), ex);
            }
        }

        private void dropTables() {
            if (!this.dropped.compareAndSet(false, true)) {
                return;
            }
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + this.instanceTable + ", " + this.taskTable + ", "
                        + this.chainTable);
            }
            catch (SQLException ex) {
                System.err.println("Could not drop the benchmark tables: " + ex.getMessage());
            }
        }

        private Connection connect() throws SQLException {
            return DriverManager.getConnection(this.options.url(), this.options.user(), this.options.password());
        }

        private void printHeader() {
            out.println("# Cluster runner on PostgreSQL, one and two nodes, vs db-scheduler");
            out.println();
            out.printf(Locale.ROOT, "- date: %s; %d CPUs; load average at start: %s%n", Instant.now(),
                    Runtime.getRuntime().availableProcessors(), loadAverage());
            out.printf(Locale.ROOT, "- JVM: %s %s%n", System.getProperty("java.vm.name"),
                    System.getProperty("java.runtime.version"));
            out.printf(Locale.ROOT, "- run: %d warm-up + %d measured rounds of %d workflows per subject; %d threads per "
                    + "node and for db-scheduler, started from %d threads; every scheduler lock-and-fetch (%.2f, %.2f) x "
                    + "threads, polling every %d ms, immediate execution; instance table: %s; group commit %d, concurrent groups %d%n%n", this.options.warmup(),
                    this.options.rounds(), this.options.batch(), this.options.threads(), this.options.starters(),
                    this.options.settings().lowerLimitFractionOfThreads(),
                    this.options.settings().upperLimitFractionOfThreads(),
                    this.options.settings().pollingInterval().toMillis(), this.options.tuning().describe(),
                    this.options.groupCommit(), this.options.concurrentGroups());
        }

        private void printSummary() {
            out.printf(Locale.ROOT, "%n- load average at end: %s%n%n", loadAverage());
            out.println("| subject | per second: mean ± sd (min–max) | ratio to db-scheduler: mean of rounds (min–max) "
                    + "| SQL round trips / wf |");
            out.println("|---|---:|---:|---:|");
            for (String subject : this.options.subjects()) {
                List<Sample> of = this.samples.stream().filter((sample) -> sample.subject().equals(subject)).toList();
                double[] rates = of.stream().mapToDouble(Sample::perSecond).toArray();
                double[] ratios = ratios(subject);
                out.printf(Locale.ROOT, "| %s | %.1f ± %.1f (%.1f–%.1f) | %s | %.2f |%n", subject, mean(rates), sd(rates),
                        min(rates), max(rates),
                        (ratios.length == 0) ? "–"
                                : String.format(Locale.ROOT, "%.2fx (%.2f–%.2f)", mean(ratios), min(ratios), max(ratios)),
                        of.stream().mapToDouble(Sample::roundTripsPerWorkflow).average().orElse(Double.NaN));
            }
            for (String workflow : List.of("W1", "W2")) {
                double[] scale = perRound(workflow + "/2", workflow + "/1");
                if (scale.length > 0) {
                    out.printf(Locale.ROOT, "%n- %s two nodes / one node, per round: %.2fx (%.2f–%.2f)%n", workflow,
                            mean(scale), min(scale), max(scale));
                }
            }
        }

        private double[] ratios(String subject) {
            return subject.equals(PEER) ? new double[0] : perRound(subject, PEER);
        }

        /**
         * Return, per measured round, the throughput of one subject divided by another's.
         */
        private double[] perRound(String subject, String reference) {
            List<Double> ratios = new ArrayList<>();
            for (Sample sample : this.samples) {
                if (sample.subject().equals(subject)) {
                    this.samples.stream()
                        .filter((other) -> other.subject().equals(reference) && other.round() == sample.round())
                        .findFirst()
                        .ifPresent((other) -> ratios.add(sample.perSecond() / other.perSecond()));
                }
            }
            return ratios.stream().mapToDouble(Double::doubleValue).toArray();
        }

        private static double mean(double[] values) {
            return Arrays.stream(values).average().orElse(Double.NaN);
        }

        private static double sd(double[] values) {
            double mean = mean(values);
            return Math.sqrt(Arrays.stream(values).map((v) -> (v - mean) * (v - mean)).sum()
                    / Math.max(1, values.length - 1));
        }

        private static double min(double[] values) {
            return Arrays.stream(values).min().orElse(Double.NaN);
        }

        private static double max(double[] values) {
            return Arrays.stream(values).max().orElse(Double.NaN);
        }

        private static String loadAverage() {
            try {
                return Files.readString(Path.of("/proc/loadavg")).trim();
            }
            catch (IOException ex) {
                return "unknown";
            }
        }
    }
}
