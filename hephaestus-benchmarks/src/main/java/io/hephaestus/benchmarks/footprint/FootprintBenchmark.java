package io.hephaestus.benchmarks.footprint;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.info.GraphStats;
import org.openjdk.jol.util.Multiset;

import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Context;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.CreateResult;
import io.hephaestus.core.runtime.InMemoryStorage;
import io.hephaestus.core.runtime.InstanceQuery;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.runtime.Storage;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.steps.WaitForEvent;

/**
 * {@link FootprintBenchmark} measures what parked instances cost: the heap one waiting instance
 * retains, and the time to list a page of waiting instances among a million stored ones.
 *
 * <p><strong>Heap per waiting instance</strong> ({@link #waitingInstanceFootprint}). A
 * {@link LocalRunner} starts 100,000 instances of a W3-shaped workflow (a step that adds a number to
 * the context, the built-in {@link WaitForEvent}, another such step, {@code Done}) and the trial
 * waits until every one of them is {@code WAITING}, with its indexes, history and waiting bookkeeping
 * as the engine really leaves them. JOL then walks the object graphs:
 * <ul>
 * <li>{@code :storageBytesPerWaitingInstance} is the total size of the storage's object graph minus
 * the same for the storage while it was empty, divided by 100,000: what the {@link InMemoryStorage}
 * retains per waiting instance (snapshot plus indexes). The target is at most 2 KB (2,048 bytes).
 * JOL's {@code GraphStats.parseInstance(storage).totalSize()} computes it: the same walk and total as
 * {@code GraphLayout.parseInstance(storage).totalSize()}, without a record per object.</li>
 * <li>{@code :storageObjectsPerWaitingInstance} is the same for the number of objects.</li>
 * <li>{@code :runnerBytesPerWaitingInstance} is the growth of everything reachable from the runner
 * (its storage included) per waiting instance: the local runner also keeps one in-memory driver
 * per waiting instance, so this is what a waiting instance really costs in a {@link LocalRunner}.</li>
 * </ul>
 * These are JMH auxiliary counters of type {@code EVENTS}, which JMH reports as the <em>sum</em>
 * over the measurement iterations. Memory is measured once per trial, and every measurement
 * iteration reports its share (the value divided by the number of measurement iterations), so the
 * result line carries the value itself whatever {@code -i} is; with the default single measurement
 * iteration the iteration line shows it too. The primary score (single-shot time) only times
 * copying the numbers and means nothing, and so does its {@code -prof gc} allocation (the whole
 * iteration's allocation charged to one shot). The trial takes about a minute on two cores: parking
 * the instances, then two walks of about 6.5 million objects. Run with {@code -jvmArgsPrepend
 * -Dhephaestus.footprint.details=true} to print, per class, the objects and bytes per instance
 * ({@code -jvmArgsAppend} on the command line would replace the heap and JOL options of the fork).
 *
 * <p><strong>Listing</strong> ({@link #listWaitingFromStorage}, {@link #listWaitingFromRunner}).
 * The trial fills an {@link InMemoryStorage} directly through {@link Storage#create} with 1,000,000
 * instances of 10 workflows, interleaved by creation: 90% completed, 9% waiting and 1% cancelled.
 * Their snapshots are copies of real W3 snapshots (a new run id, business id, workflow name and
 * initial context each; the immutable step results and history entries are shared with the
 * template, so the fill needs less heap than a million real runs would). Each invocation asks for
 * the newest 50 waiting instances of one workflow, through {@link Storage#query} and through
 * {@link LocalRunner#list} of a runner that recovered the stored instances (it only delegates to the
 * storage). Read the score in microseconds per listing against the target of 1 ms and against
 * {@link #baseline}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// A million stored instances, or 100,000 waiting ones plus JOL's walk of them, need a large heap.
@Fork(value = 1, jvmArgsAppend = { "-Xms4g", "-Xmx4g" })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FootprintBenchmark {

    /** The number of waiting instances whose footprint is measured. */
    static final int WAITING_INSTANCES = 100_000;

    /** The number of instances the listing searches. */
    static final int STORED_INSTANCES = 1_000_000;

    /** The number of workflows the stored instances belong to. */
    static final int WORKFLOWS = 10;

    /** The size of one listed page. */
    static final int PAGE = 50;

    private static final String BUSINESS_KEY = "orderid";

    private static final Duration PARKING_TIMEOUT = Duration.ofMinutes(3);

    /**
     * Do nothing, for reference.
     */
    @Benchmark
    public void baseline() {
    }

    /**
     * Report the heap retained per waiting instance through the auxiliary counters.
     * @param waiting the 100,000 waiting instances and their measured footprint
     * @param counters the counters JMH reports
     * @return the number of waiting instances, so that the call is not dead code
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    // JOL attaches itself for exact object sizes (Instrumentation). It reads fields by reflection, falling back
    // to costly exceptions where reflection is denied, so the JDK packages it walks are opened (a walk of 100,000
    // instances then takes seconds instead of minutes); magic field offsets cover records if the attach fails.
    @Fork(value = 1, jvmArgsAppend = { "-Xms4g", "-Xmx4g", "-Djdk.attach.allowAttachSelf=true",
            "-Djol.magicFieldOffset=true", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED" })
    // The footprint is measured once per trial, so one shot reports it; more iterations only repeat it.
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public long waitingInstanceFootprint(WaitingInstances waiting, FootprintCounters counters) {
        counters.storageBytesPerWaitingInstance = waiting.storageBytesPerInstance * counters.share;
        counters.storageObjectsPerWaitingInstance = waiting.storageObjectsPerInstance * counters.share;
        counters.runnerBytesPerWaitingInstance = waiting.runnerBytesPerInstance * counters.share;
        return waiting.instances;
    }

    /**
     * List the newest 50 waiting instances of one workflow straight from the storage.
     * @param stored the million stored instances
     * @return the page
     */
    @Benchmark
    public List<Instance> listWaitingFromStorage(StoredInstances stored) {
        return stored.storage.query(stored.page);
    }

    /**
     * List the newest 50 waiting instances of one workflow through the runner's API.
     * @param runner the runner over the million stored instances
     * @return the page
     */
    @Benchmark
    public List<Instance> listWaitingFromRunner(RecoveredRunner runner) {
        return runner.runner.list(runner.page);
    }

    /**
     * Run this class alone, for IDE runs.
     * @param args ignored
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(FootprintBenchmark.class.getSimpleName()).build()).run();
    }

    /**
     * 100,000 instances waiting in a local runner, and what JOL measured about them.
     */
    @State(Scope.Benchmark)
    public static class WaitingInstances {

        private static final String WORKFLOW = "w3";

        long instances;

        double storageBytesPerInstance;

        double storageObjectsPerInstance;

        double runnerBytesPerInstance;

        private ThreadPoolExecutor executor;

        private LocalRunner runner;

        /**
         * Park the instances and measure their footprint.
         * @throws InterruptedException if interrupted while waiting for the instances to park
         */
        @Setup(Level.Trial)
        public void park() throws InterruptedException {
            requireHeap();
            // Load and initialise every class on the path first, so that its one-off objects are not counted.
            parkInThrowawayRunner();
            InMemoryStorage storage = new InMemoryStorage();
            this.executor = newExecutor();
            this.runner = LocalRunner.builder(WorkflowRegistry.of(w3(WORKFLOW))).storage(storage).executor(this.executor)
                .build();
            GraphStats emptyStorage = GraphStats.parseInstance(storage);
            GraphStats idleRunner = GraphStats.parseInstance(this.runner);
            boolean details = Boolean.getBoolean("hephaestus.footprint.details");
            List<GraphLayout> before = details
                    ? List.of(GraphLayout.parseInstance(storage), GraphLayout.parseInstance(this.runner)) : List.of();

            startAndPark(this.runner, WORKFLOW, WAITING_INSTANCES);
            this.instances = storage.countByStatus(WORKFLOW).get(Status.WAITING);

            // GraphStats is JOL's walk of GraphLayout.parseInstance(...).totalSize() without the per-object records.
            GraphStats parkedStorage = GraphStats.parseInstance(storage);
            GraphStats parkedRunner = GraphStats.parseInstance(this.runner);
            this.storageBytesPerInstance = (parkedStorage.totalSize() - emptyStorage.totalSize())
                    / (double) WAITING_INSTANCES;
            this.storageObjectsPerInstance = (parkedStorage.totalCount() - emptyStorage.totalCount())
                    / (double) WAITING_INSTANCES;
            this.runnerBytesPerInstance = (parkedRunner.totalSize() - idleRunner.totalSize())
                    / (double) WAITING_INSTANCES;
            if (details) {
                System.out.println();
                System.out.println(perInstanceTable("InMemoryStorage, per waiting instance", before.get(0),
                        GraphLayout.parseInstance(storage)));
                System.out.println(perInstanceTable("LocalRunner (storage included), per waiting instance",
                        before.get(1), GraphLayout.parseInstance(this.runner)));
            }
        }

        /**
         * Stop the runner and its threads.
         */
        @TearDown(Level.Trial)
        public void close() {
            this.runner.close();
            this.executor.shutdownNow();
        }

        private static void parkInThrowawayRunner() throws InterruptedException {
            ThreadPoolExecutor executor = newExecutor();
            try (LocalRunner runner = LocalRunner.builder(WorkflowRegistry.of(w3(WORKFLOW))).executor(executor)
                .build()) {
                startAndPark(runner, WORKFLOW, 100);
                GraphStats.parseInstance(runner);
            }
            finally {
                executor.shutdownNow();
            }
        }

        private static ThreadPoolExecutor newExecutor() {
            int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
            AtomicInteger count = new AtomicInteger();
            ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(), (runnable) -> {
                        Thread thread = new Thread(runnable, "footprint-step-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            // Threads that start between the two measurements would be counted as instance footprint.
            executor.prestartAllCoreThreads();
            return executor;
        }
    }

    /**
     * The auxiliary counters that carry the footprint into JMH's results.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class FootprintCounters {

        /** Bytes the storage retains per waiting instance (snapshot and indexes). */
        public double storageBytesPerWaitingInstance;

        /** Objects the storage retains per waiting instance. */
        public double storageObjectsPerWaitingInstance;

        /** Bytes the runner retains per waiting instance (storage and driver). */
        public double runnerBytesPerWaitingInstance;

        double share;

        /**
         * Compute this iteration's share of the reported value: JMH sums {@code EVENTS} counters over
         * the measurement iterations, so each reports its part and the sum is the value.
         * @param benchmark the benchmark's parameters
         * @param iteration this iteration's parameters
         */
        @Setup(Level.Iteration)
        public void share(BenchmarkParams benchmark, IterationParams iteration) {
            this.share = (iteration.getType() == IterationType.MEASUREMENT)
                    ? 1.0 / benchmark.getMeasurement().getCount() : 0;
        }
    }

    /**
     * A million instances of ten workflows, created straight in an {@link InMemoryStorage}.
     */
    @State(Scope.Benchmark)
    public static class StoredInstances {

        InMemoryStorage storage;

        InstanceQuery page;

        /**
         * Fill the storage.
         * @throws InterruptedException if interrupted while capturing the template snapshots
         */
        @Setup(Level.Trial)
        public void fill() throws InterruptedException {
            requireHeap();
            Templates templates = Templates.capture();
            this.storage = new InMemoryStorage();
            SplittableRandom random = new SplittableRandom(42);
            Instant start = Instant.parse("2025-01-01T00:00:00Z");
            for (int i = 0; i < STORED_INSTANCES; i++) {
                int value = i / WORKFLOWS;
                Instance template = templates.forValue(value);
                String runId = new UUID(random.nextLong(), random.nextLong()).toString();
                Instant createdAt = start.plusMillis(i);
                Instance instance = new Instance(runId, BUSINESS_KEY + "::" + value, workflowName(i % WORKFLOWS),
                        template.workflowVersion(), template.status(),
                        new Context(Map.of("amount", value), template.context().steps()), template.activeSteps(),
                        template.completedSteps(), template.skippedSteps(), template.arrivals(),
                        template.stepConfigs(), shift(template.waitingSteps(), createdAt), template.timers(),
                        template.attempts(), template.queuedEvents(), template.runtimeMetadata(), template.history(),
                        template.failures(),
                        template.telemetryMetadata(), createdAt, createdAt, 0);
                if (!(this.storage.create(instance, UniquenessScope.WORKFLOW) instanceof CreateResult.Created)) {
                    throw new IllegalStateException("could not store " + instance.id() + " of " + instance.workflow());
                }
            }
            this.page = InstanceQuery.all().workflow(workflowName(WORKFLOWS / 2)).statuses(Status.WAITING).limit(PAGE);
            int listed = this.storage.query(this.page).size();
            if (listed != PAGE) {
                throw new IllegalStateException("expected a page of " + PAGE + " waiting instances, got " + listed);
            }
        }

        private static Map<String, Instant> shift(Map<String, Instant> waiting, Instant at) {
            if (waiting.isEmpty()) {
                return waiting;
            }
            Map<String, Instant> shifted = new LinkedHashMap<>();
            waiting.keySet().forEach((step) -> shifted.put(step, at));
            return shifted;
        }
    }

    /**
     * A local runner of the ten workflows over the million stored instances; it recovered the waiting ones.
     */
    @State(Scope.Benchmark)
    public static class RecoveredRunner {

        LocalRunner runner;

        InstanceQuery page;

        /**
         * Build the runner over the filled storage.
         * @param stored the stored instances
         */
        @Setup(Level.Trial)
        public void recover(StoredInstances stored) {
            List<Workflow> workflows = new ArrayList<>();
            for (int i = 0; i < WORKFLOWS; i++) {
                workflows.add(w3(workflowName(i)));
            }
            this.runner = LocalRunner.builder(WorkflowRegistry.of(workflows)).storage(stored.storage).build();
            this.page = stored.page;
        }

        /**
         * Stop the runner.
         */
        @TearDown(Level.Trial)
        public void close() {
            this.runner.close();
        }
    }

    /**
     * Real W3 snapshots, one per status the listing fill uses, captured from a local runner.
     */
    record Templates(Instance waiting, Instance completed, Instance cancelled) {

        static Templates capture() throws InterruptedException {
            String workflow = "template";
            try (LocalRunner runner = LocalRunner.builder(WorkflowRegistry.of(w3(workflow))).build()) {
                startAndPark(runner, workflow, 3);
                runner.resume(workflow, BUSINESS_KEY + "::1", WaitForEvent.RECEIVED);
                runner.cancel(workflow, BUSINESS_KEY + "::2");
                return new Templates(await(runner, workflow, "0", Status.WAITING),
                        await(runner, workflow, "1", Status.COMPLETED), await(runner, workflow, "2", Status.CANCELLED));
            }
        }

        /**
         * Return the template of the given business value: 9% waiting, 1% cancelled, 90% completed.
         */
        Instance forValue(int value) {
            int percent = value % 100;
            return (percent < 9) ? this.waiting : (percent == 9) ? this.cancelled : this.completed;
        }

        private static Instance await(LocalRunner runner, String workflow, String value, Status status)
                throws InterruptedException {
            long deadline = System.nanoTime() + PARKING_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                Instance instance = runner.get(workflow, BUSINESS_KEY + "::" + value).orElseThrow();
                if (instance.status() == status) {
                    return instance;
                }
                Thread.sleep(1);
            }
            throw new IllegalStateException("instance " + value + " of " + workflow + " never became " + status);
        }
    }

    /**
     * A step that adds a number to the context: {@code amount + 1} under its key.
     */
    static final class AddNumber implements Step {

        private static final Set<String> EVENTS = Set.of("added");

        private final String key;

        AddNumber(String key) {
            this.key = key;
        }

        @Override
        public Set<String> events() {
            return EVENTS;
        }

        @Override
        public StepResult execute(StepInput input) {
            long amount = (input.context().initial().get("amount") instanceof Number number) ? number.longValue() : 0;
            return StepResult.completed("added", Map.of("sum", amount + 1));
        }

        @Override
        public String key() {
            return this.key;
        }
    }

    /**
     * Return a W3-shaped workflow: add a number, wait for an external event, add a number, done.
     */
    static Workflow w3(String name) {
        Step before = new AddNumber("add_before");
        Step wait = WaitForEvent.create();
        Step after = new AddNumber("add_after");
        return Workflow.builder(name)
            .businessKey(BUSINESS_KEY)
            .start(before)
            .transition(before, "added", wait)
            .transition(wait, WaitForEvent.RECEIVED, after)
            .transition(after, "added", Done.step())
            .build();
    }

    /**
     * Fail fast, with the reason, in a fork whose heap options were replaced by a smaller heap.
     */
    static void requireHeap() {
        long max = Runtime.getRuntime().maxMemory();
        if (max < 3L * 1024 * 1024 * 1024) {
            throw new IllegalStateException("this benchmark needs a heap of 4 GB (-Xmx4g), the fork has "
                    + (max >> 20) + " MB: a -jvmArgsAppend on the command line replaces the @Fork options, "
                    + "use -jvmArgsPrepend or repeat them");
        }
    }

    static String workflowName(int index) {
        return "workflow-" + index;
    }

    /**
     * Start {@code count} instances (business values 0 to count - 1) and wait until all of them wait.
     */
    static void startAndPark(LocalRunner runner, String workflow, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            runner.start(StartRequest.of(workflow, Integer.toString(i)).context(Map.of("amount", i)));
        }
        long deadline = System.nanoTime() + PARKING_TIMEOUT.toNanos();
        while (true) {
            Map<Status, Long> counts = runner.storage().countByStatus(workflow);
            if (counts.get(Status.WAITING) == count) {
                return;
            }
            if (counts.get(Status.FAILED) > 0 || System.nanoTime() > deadline) {
                throw new IllegalStateException(count + " instances of " + workflow + " did not all park: " + counts);
            }
            Thread.sleep(10);
        }
    }

    /**
     * Return a table of the classes whose objects grew between two layouts, per waiting instance,
     * largest first.
     */
    static String perInstanceTable(String title, GraphLayout before, GraphLayout after) {
        Multiset<Class<?>> sizesBefore = before.getClassSizes();
        Multiset<Class<?>> countsBefore = before.getClassCounts();
        Multiset<Class<?>> sizes = after.getClassSizes();
        Multiset<Class<?>> counts = after.getClassCounts();
        List<Class<?>> classes = new ArrayList<>(after.getClasses());
        classes.sort(Comparator.comparingLong((Class<?> type) -> sizes.count(type) - sizesBefore.count(type)).reversed());
        StringBuilder table = new StringBuilder(title).append('\n');
        table.append(String.format(Locale.ROOT, "%12s %12s  %s%n", "objects", "bytes", "class"));
        double totalObjects = 0;
        double totalBytes = 0;
        for (Class<?> type : classes) {
            double objects = (counts.count(type) - countsBefore.count(type)) / (double) WAITING_INSTANCES;
            double bytes = (sizes.count(type) - sizesBefore.count(type)) / (double) WAITING_INSTANCES;
            totalObjects += objects;
            totalBytes += bytes;
            if (bytes >= 0.5) {
                table.append(String.format(Locale.ROOT, "%12.2f %12.1f  %s%n", objects, bytes, type.getName()));
            }
        }
        table.append(String.format(Locale.ROOT, "%12.2f %12.1f  %s%n", totalObjects, totalBytes, "(total)"));
        return table.toString();
    }
}
