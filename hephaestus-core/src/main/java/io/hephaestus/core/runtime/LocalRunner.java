package io.hephaestus.core.runtime;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hephaestus.core.definition.BusinessKey;
import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.internal.FinishWatch;
import io.hephaestus.core.internal.InstantSources;
import io.hephaestus.core.internal.JsonValues;
import io.hephaestus.core.internal.RetentionSweeps;
import io.hephaestus.core.internal.RunIds;
import io.hephaestus.core.telemetry.RunnerInit;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEventType;

/**
 * {@link LocalRunner} runs workflow instances inside this JVM: the active steps of an instance run
 * concurrently on an executor, results are applied one at a time per instance (a single writer),
 * waiting instances are parked without holding a thread, and timers fire from a {@link Scheduler}.
 * The thread that applies a step's result runs the next step itself (one branch of a fan-out; the
 * others go to the executor), so a line of steps costs no hand-off between threads. With
 * {@linkplain Builder#writerThreads writer threads} a step's thread hands its result over instead,
 * so that the results of many instances are stored at once (and can share a commit).
 *
 * <p>Everything that matters is stored: an instance's status, context, waiting steps, timers and
 * retry counts. A new runner on the same storage picks up every pending, running and waiting
 * instance when it is built (re-arming timers, re-running steps that were in flight), and a resume
 * or cancel of an instance nobody drives picks it up on demand.
 *
 * <p>Failures stay with their instance: a step that returns a failure, throws or exceeds its
 * timeout is retried according to its {@link io.hephaestus.core.steps.RetryPolicy} and then fails
 * its instance; no other instance is affected.
 *
 * <pre>{@code
 * try (LocalRunner runner = LocalRunner.builder(WorkflowRegistry.of(orderWorkflow)).build()) {
 *     runner.start(StartRequest.of("order", "42").context(Map.of("items", 2)));
 *     runner.resume("order", "42", "payment_confirmed");
 *     Instance done = runner.awaitFinished("order", "42", Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class LocalRunner implements Runner {

    /** The value of the {@code runner} telemetry metadata. */
    public static final String RUNNER = "local";

    /** The default of {@link Builder#retention}: 7 days. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    /** The default of {@link Builder#retentionSweepInterval}: 5 minutes. */
    public static final Duration DEFAULT_RETENTION_SWEEP_INTERVAL = Duration.ofMinutes(5);


    /** The default of {@link Builder#maxValueSize}: 1 MiB. */
    public static final long DEFAULT_MAX_VALUE_SIZE = 1024 * 1024;

    private static final Logger logger = LoggerFactory.getLogger(LocalRunner.class);

    private static final SecureRandom random = new SecureRandom();

    final String name;

    final WorkflowRegistry registry;

    final Storage storage;

    final Telemetry telemetry;

    final ExecutorService executor;

    /**
     * The runner's writer threads, to which step threads hand their results to be stored; {@code null}
     * when there are none ({@link Builder#writerThreads}), so that a step's thread stores its result.
     */
    final ExecutorService writers;

    final Scheduler scheduler;

    final InstantSource clock;

    final LongSupplier ticker;

    final Optional<Duration> defaultStepTimeout;

    final long maxValueSize;

    /** Wraps every step execution; {@code null} when none was set, so the hot path skips it. */
    final StepInterceptor stepInterceptor;

    private final Duration shutdownGracePeriod;

    private final Supplier<String> runIds;

    private final boolean ownsExecutor;

    private final ExecutorScheduler ownedScheduler;

    private final ConcurrentHashMap<String, InstanceDriver> drivers = new ConcurrentHashMap<>();

    /**
     * The drivers of {@link #drivers} by workflow and business id, so that a resume or cancel of a
     * live instance needs no query. Several runs of one id (of different versions) are all kept, and
     * then the storage decides.
     */
    private final ConcurrentHashMap<String, List<InstanceDriver>> live = new ConcurrentHashMap<>();

    private final InstanceLookup lookup;

    private final Duration retention;

    private final Duration retentionSweepInterval;

    private volatile Scheduler.Cancellable sweep;

    /** Futures of {@link #whenFinished}, by run id, completed when their run finishes. */
    private final FinishWatch finishing = new FinishWatch();

    private volatile boolean accepting = true;

    private LocalRunner(Builder builder) {
        this.name = builder.name;
        this.registry = builder.registry;
        this.storage = builder.storage;
        this.telemetry = builder.telemetry;
        this.clock = builder.clock;
        this.ticker = builder.ticker;
        this.defaultStepTimeout = builder.defaultStepTimeout;
        this.maxValueSize = builder.maxValueSize;
        this.stepInterceptor = builder.stepInterceptor;
        this.lookup = new InstanceLookup(builder.registry, builder.storage);
        this.retention = builder.retention;
        this.retentionSweepInterval = builder.retentionSweepInterval;
        this.shutdownGracePeriod = builder.shutdownGracePeriod;
        this.runIds = builder.runIds;
        this.ownsExecutor = builder.executor == null;
        this.executor = this.ownsExecutor ? Executors.newFixedThreadPool(builder.threads, threads(builder.name, "step"))
                : builder.executor;
        // A result is handed over only to an idle writer, else its step's thread stores it: results
        // being stored are at most the writers plus the step threads, and none waits in a queue.
        this.writers = (builder.writerThreads == 0) ? null : writers(builder.name, builder.writerThreads);
        this.ownedScheduler = (builder.scheduler == null) ? new ExecutorScheduler(builder.name) : null;
        this.scheduler = (builder.scheduler != null) ? builder.scheduler : this.ownedScheduler;
    }

    /**
     * Return a builder for a runner of the given workflows.
     * @param registry the workflows the runner can start
     * @return the builder
     */
    public static Builder builder(WorkflowRegistry registry) {
        return new Builder(registry);
    }

    @Override
    public Instance start(StartRequest request) {
        requireAccepting();
        Workflow workflow = (request.version() == 0) ? this.registry.get(request.workflow())
                : this.registry.get(request.workflow(), request.version());
        BusinessKey key = workflow.businessKey();
        String id = key.idFor(request.businessValue());
        JsonValues.requireSizeAtMost(request.context(), this.maxValueSize, "initial context");
        JsonValues.requireSizeAtMost(request.telemetryMetadata(), this.maxValueSize, "telemetry metadata");
        if (key.scope() == UniquenessScope.NONE) {
            byte[] suffix = new byte[4];
            random.nextBytes(suffix);
            id = id + BusinessKey.SEPARATOR + HexFormat.of().formatHex(suffix);
        }
        Map<String, String> traceContext = (this.stepInterceptor != null) ? this.stepInterceptor.currentContext()
                : Map.of();
        Instance candidate = Instance.create(this.runIds.get(), id, workflow.name(), workflow.version(),
                request.context(), request.telemetryMetadata(), traceContext, this.clock.instant());
        // The instance is created with its first step already dispatched: one write per start.
        InstanceDriver driver = new InstanceDriver(this, workflow, candidate);
        InstanceDriver.Change first = driver.firstChange();
        CreateResult created = this.storage.create(first.stored(), key.scope());
        if (created instanceof CreateResult.Conflict conflict) {
            if (request.onConflict() == ConflictPolicy.RETURN_EXISTING) {
                return conflict.existing();
            }
            throw new DuplicateInstanceException(conflict.existing());
        }
        Instance stored = ((CreateResult.Created) created).instance();
        return driver.beginCreated(first, stored, () -> {
            this.drivers.put(stored.runId(), driver);
            addLive(driver);
        });
    }

    @Override
    public ResumeResult resume(ResumeRequest request) {
        requireAccepting();
        JsonValues.requireSizeAtMost(request.data(), this.maxValueSize, "data of event '" + request.event() + "'");
        return driverFor(request.workflow(), request.id(), "resume").resume(request.step(), request.event(), request.data());
    }

    @Override
    public Instance cancel(String workflow, String id) {
        requireAccepting();
        return driverFor(workflow, id, "cancel").cancel();
    }

    @Override
    public Optional<Instance> get(String workflow, String id) {
        return this.lookup.newest(workflow, id);
    }

    @Override
    public CompletableFuture<Instance> whenFinished(String workflow, String id) {
        Instance newest = this.lookup.newestOrThrow(workflow, id);
        InstanceDriver driver = this.drivers.get(newest.runId());
        if (driver != null) {
            // A run this runner drives is finished when its driver says so, after the end's telemetry.
            CompletableFuture<Instance> reported = driver.whenEndReported(this.finishing, this.accepting, this::closed);
            if (reported != null) {
                return reported;
            }
        }
        return this.finishing.watch(newest, this.storage, this.accepting, this::closed);
    }

    @Override
    public List<Instance> list(InstanceQuery query) {
        return this.storage.query(query);
    }

    @Override
    public WorkflowRegistry registry() {
        return this.registry;
    }

    @Override
    public Storage storage() {
        return this.storage;
    }

    @Override
    public String name() {
        return this.name;
    }

    @Override
    public boolean isAccepting() {
        return this.accepting && !this.executor.isShutdown();
    }

    /**
     * Return the number of instances this runner currently drives (running or waiting in memory).
     * @return the number of live instances
     */
    public int liveInstances() {
        return this.drivers.size();
    }

    /**
     * Stop accepting work, let running steps finish for the shutdown grace period (their results
     * are stored), then interrupt what is left and release the threads. Waiting instances and
     * instances whose next steps were not dispatched stay in storage for the next runner.
     */
    @Override
    public void close() {
        boolean wasAccepting = this.accepting;
        this.accepting = false;
        Scheduler.Cancellable pendingSweep = this.sweep;
        if (pendingSweep != null) {
            pendingSweep.cancel();
        }
        try {
            if (this.ownsExecutor) {
                // Let running steps finish (their results are stored) before interrupting the rest.
                this.executor.shutdown();
                this.executor.awaitTermination(this.shutdownGracePeriod.toNanos(), TimeUnit.NANOSECONDS);
            }
            if (this.writers != null) {
                // Results handed over by the steps that finished are stored before the drivers detach.
                this.writers.shutdown();
                this.writers.awaitTermination(this.shutdownGracePeriod.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            // Detached drivers drop late results, so an interrupted step does not fail its instance.
            this.drivers.values().forEach(InstanceDriver::detach);
            this.drivers.clear();
            this.live.clear();
            if (this.ownsExecutor) {
                this.executor.shutdownNow();
            }
            if (this.writers != null) {
                this.writers.shutdownNow();
            }
            if (this.ownedScheduler != null) {
                this.ownedScheduler.close();
            }
            this.finishing.close(this::closed);
            if (wasAccepting) {
                reportShutdown();
            }
        }
    }

    void forget(InstanceDriver driver) {
        if (this.drivers.remove(driver.runId(), driver)) {
            this.live.computeIfPresent(liveKey(driver.workflowName(), driver.id()), (key, drivers) -> {
                List<InstanceDriver> rest = new ArrayList<>(drivers);
                rest.remove(driver);
                return rest.isEmpty() ? null : List.copyOf(rest);
            });
        }
    }

    private void addLive(InstanceDriver driver) {
        this.live.merge(liveKey(driver.workflowName(), driver.id()), List.of(driver), (drivers, added) -> {
            List<InstanceDriver> all = new ArrayList<>(drivers);
            all.addAll(added);
            return List.copyOf(all);
        });
    }

    private static String liveKey(String workflowName, String id) {
        return workflowName + '\u0000' + id;
    }

    /**
     * Return the driver of the one active run this runner drives for a caller's id, or null if
     * there is none, or several, or the id may stand for several business ids.
     */
    private InstanceDriver liveDriver(String workflowName, String id) {
        InstanceDriver found = null;
        for (String candidate : this.lookup.ids(workflowName, id)) {
            List<InstanceDriver> drivers = this.live.get(liveKey(workflowName, candidate));
            if (drivers != null) {
                if (found != null || drivers.size() != 1) {
                    return null;
                }
                found = drivers.get(0);
            }
        }
        return (found != null && found.isActive()) ? found : null;
    }

    /**
     * Complete the futures waiting for a run that just finished.
     */
    void finished(Instance instance) {
        this.finishing.finished(instance);
    }

    /**
     * Pick up every active instance in storage, and say how many there were.
     */
    private void recoverAll() {
        Map<Status, Integer> recovered = new EnumMap<>(Status.class);
        int failed = 0;
        for (String workflowName : this.registry.names()) {
            List<Instance> active = this.storage.query(InstanceQuery.all().workflow(workflowName)
                .statuses(Status.PENDING, Status.RUNNING, Status.WAITING).limit(Integer.MAX_VALUE));
            for (Instance instance : active) {
                try {
                    driver(instance).begin(true);
                    recovered.merge(instance.status(), 1, Integer::sum);
                }
                catch (RuntimeException ex) {
                    failed++;
                    logger.error("Could not recover instance {} ({} v{}); it stays in storage: {}", instance.id(),
                            instance.workflow(), instance.workflowVersion(), ex.getMessage(), ex);
                }
            }
        }
        int total = recovered.values().stream().mapToInt(Integer::intValue).sum();
        logger.info("Runner '{}' started on {} storage '{}': recovered {} active instances ({} pending, {} running,"
                + " {} waiting){}", this.name, this.storage.isDurable() ? "durable" : "in-memory", this.storage.name(),
                total, recovered.getOrDefault(Status.PENDING, 0), recovered.getOrDefault(Status.RUNNING, 0),
                recovered.getOrDefault(Status.WAITING, 0), (failed > 0) ? "; " + failed + " could not be recovered" : "");
    }

    /**
     * Say how many active instances the runner leaves behind, and warn if they die with the JVM.
     */
    private void reportShutdown() {
        long active;
        try {
            Map<Status, Long> counts = this.storage.countByStatus("");
            active = counts.getOrDefault(Status.PENDING, 0L) + counts.getOrDefault(Status.RUNNING, 0L)
                    + counts.getOrDefault(Status.WAITING, 0L);
        }
        catch (RuntimeException ex) {
            logger.warn("Runner '{}' stopped; could not count the active instances in storage '{}': {}", this.name,
                    this.storage.name(), ex.getMessage());
            return;
        }
        if (!this.storage.isDurable() && active > 0) {
            logger.warn("Runner '{}' stopped with {} active instances in storage '{}', which keeps them in memory only:"
                    + " they are lost. Use a durable storage (hephaestus-jdbc) to keep them across restarts.",
                    this.name, active, this.storage.name());
        }
        else {
            logger.info("Runner '{}' stopped: {} active instances left in storage '{}' for the next runner", this.name,
                    active, this.storage.name());
        }
    }

    /**
     * Schedule the next retention sweep, unless retention is off or the runner is closed.
     */
    private void scheduleSweep(Duration delay) {
        if (this.retention.isZero() || this.retention.isNegative() || !this.accepting) {
            return;
        }
        this.sweep = this.scheduler.schedule(delay, () -> {
            try {
                this.executor.execute(this::sweep);
            }
            catch (RejectedExecutionException ex) {
                logger.debug("Runner '{}' is closed; no more retention sweeps", this.name);
            }
        });
    }

    /**
     * Delete the instances that finished more than the retention period ago, in batches, then
     * schedule the next sweep.
     */
    private void sweep() {
        if (RetentionSweeps.sweep(this.storage, this.clock.instant().minus(this.retention), this.name,
                () -> this.accepting)) {
            scheduleSweep(this.retentionSweepInterval);
        }
    }

    private InstanceDriver driverFor(String workflowName, String id, String operation) {
        // A live instance is changed without a query; its optimistic update still guards it.
        InstanceDriver running = liveDriver(workflowName, id);
        if (running != null) {
            running.begin(true);
            return running;
        }
        InstanceDriver driver = driver(this.lookup.active(workflowName, id, operation));
        driver.begin(true);
        return driver;
    }

    private IllegalStateException closed() {
        return new IllegalStateException("runner '" + this.name + "' is closed and accepts no more work");
    }

    private InstanceDriver driver(Instance instance) {
        InstanceDriver[] added = new InstanceDriver[1];
        InstanceDriver driver = this.drivers.computeIfAbsent(instance.runId(), (runId) -> {
            added[0] = new InstanceDriver(this, this.registry.get(instance.workflow(), instance.workflowVersion()),
                    instance);
            return added[0];
        });
        if (added[0] != null) {
            addLive(added[0]);
        }
        return driver;
    }

    private void requireAccepting() {
        if (!isAccepting()) {
            throw closed();
        }
    }

    private static ThreadPoolExecutor writers(String name, int count) {
        ThreadPoolExecutor writers = new ThreadPoolExecutor(count, count, 0, TimeUnit.NANOSECONDS,
                new SynchronousQueue<>(), threads(name, "writer"));
        writers.prestartAllCoreThreads();
        return writers;
    }

    private static ThreadFactory threads(String name, String kind) {
        AtomicInteger count = new AtomicInteger();
        return (runnable) -> {
            Thread thread = new Thread(runnable, name + "-" + kind + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * {@link Builder} configures a {@link LocalRunner}. Only the registry is required: by default
     * instances live in an {@link InMemoryStorage}, steps run on a fixed pool of daemon threads,
     * timers use a scheduler thread, time is the system clock and telemetry has no listener.
     */
    public static final class Builder {

        private final WorkflowRegistry registry;

        private String name = "hephaestus";

        private Storage storage;

        private Telemetry telemetry;

        private ExecutorService executor;

        private int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);

        private int writerThreads;

        private Scheduler scheduler;

        private InstantSource clock = InstantSource.system();

        private LongSupplier ticker = System::nanoTime;

        private Optional<Duration> defaultStepTimeout = Optional.empty();

        private Duration shutdownGracePeriod = Duration.ofSeconds(5);

        private Supplier<String> runIds = RunIds::random;

        private long maxValueSize = DEFAULT_MAX_VALUE_SIZE;

        private Duration retention = DEFAULT_RETENTION;

        private Duration retentionSweepInterval = DEFAULT_RETENTION_SWEEP_INTERVAL;

        private StepInterceptor stepInterceptor;

        private Builder(WorkflowRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * Set the runner name used in telemetry and thread names (default {@code hephaestus}).
         * @param name the name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Set the storage (default: a new {@link InMemoryStorage}).
         * @param storage the storage
         * @return this builder
         */
        public Builder storage(Storage storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        /**
         * Set the telemetry dispatcher (default: a new one without listeners).
         * @param telemetry the dispatcher
         * @return this builder
         */
        public Builder telemetry(Telemetry telemetry) {
            this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
            return this;
        }

        /**
         * Run steps on this executor instead of the runner's own pool. The runner does not shut it
         * down.
         * @param executor the executor
         * @return this builder
         */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Set the size of the runner's own step pool (default: twice the processors, at least 4).
         * Steps that block hold a thread while they run; waiting instances hold none.
         * @param threads the number of threads, positive
         * @return this builder
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be positive, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Give the runner this many writer threads (default 0: none). Without them the thread that
         * ran a step stores its result and then runs the next step of the line itself. With them it
         * hands the result to an idle writer thread and takes the next step of any instance at once,
         * so that up to {@code threads} step results are being stored at the same time; when every
         * writer is busy, the step's thread stores the result itself. The steps of each instance still
         * run one after the other, each only once its predecessor's result is stored, and a crash
         * loses at most the results being stored (their steps run again on recovery). Use them with a storage whose writes wait on the network and can share a commit,
         * such as a JDBC storage with group commit: the storage then writes many results in one
         * transaction. With an in-memory storage they only add a hand-off.
         *
         * <p>Writer threads run the runner's work after the write: telemetry of the result, timers and
         * {@link Runner#whenFinished} callbacks of a finished instance. A step interceptor's scope ends
         * when the step returns, before its result is stored.
         * @param threads the number of writer threads, 0 for none
         * @return this builder
         */
        public Builder writerThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("writerThreads must not be negative (0 for none), got " + threads);
            }
            this.writerThreads = threads;
            return this;
        }

        /**
         * Set the scheduler for timers, timeouts and retry delays (default: one daemon thread).
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Set the wall clock (default: the system clock).
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Set the monotonic nanosecond ticker step durations are measured with (default
         * {@link System#nanoTime()}).
         * @param ticker the ticker
         * @return this builder
         */
        public Builder ticker(LongSupplier ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Set the timeout of steps that do not declare one (default: none).
         * @param timeout the timeout, positive
         * @return this builder
         */
        public Builder defaultStepTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("defaultStepTimeout must be positive, got " + timeout);
            }
            this.defaultStepTimeout = Optional.of(timeout);
            return this;
        }

        /**
         * Set how long {@link LocalRunner#close()} lets running steps finish before it interrupts
         * them (default 5 seconds). Applies to the runner's own step pool only.
         * @param gracePeriod the grace period, zero or positive
         * @return this builder
         */
        public Builder shutdownGracePeriod(Duration gracePeriod) {
            if (gracePeriod.isNegative()) {
                throw new IllegalArgumentException("shutdownGracePeriod must not be negative, got " + gracePeriod);
            }
            this.shutdownGracePeriod = gracePeriod;
            return this;
        }

        /**
         * Set how run ids are generated. The default gives random version-4 UUIDs drawn from
         * {@link ThreadLocalRandom}: unique without contention between threads, but not meant to be
         * unguessable (use {@code () -> UUID.randomUUID().toString()} for that).
         * @param runIds the generator
         * @return this builder
         */
        public Builder runIds(Supplier<String> runIds) {
            this.runIds = Objects.requireNonNull(runIds, "runIds");
            return this;
        }

        /**
         * Set the largest initial context, telemetry metadata or event data the runner accepts, in
         * bytes of compact JSON (default {@value LocalRunner#DEFAULT_MAX_VALUE_SIZE}, 1 MiB). A larger
         * value is rejected by {@code start} or {@code resume} with a
         * {@link io.hephaestus.core.ValueTooLargeException}, and nothing is stored.
         * @param bytes the limit, positive
         * @return this builder
         */
        public Builder maxValueSize(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxValueSize must be positive, got " + bytes);
            }
            this.maxValueSize = bytes;
            return this;
        }

        /**
         * Set how long completed, failed and cancelled instances stay in storage (default
         * {@link LocalRunner#DEFAULT_RETENTION 7 days}). A sweep on the runner's scheduler deletes
         * older ones every {@link #retentionSweepInterval}, in batches, without touching active
         * instances. Zero or a negative duration turns the sweep off: finished instances are kept
         * until someone deletes them (an {@link InMemoryStorage} still caps how many it keeps).
         * @param retention the retention period
         * @return this builder
         */
        public Builder retention(Duration retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * Set how often the retention sweep runs (default
         * {@link LocalRunner#DEFAULT_RETENTION_SWEEP_INTERVAL 5 minutes}); the first sweep runs one
         * interval after the runner is built.
         * @param interval the interval, positive
         * @return this builder
         */
        public Builder retentionSweepInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("retentionSweepInterval must be positive, got " + interval);
            }
            this.retentionSweepInterval = interval;
            return this;
        }

        /**
         * Wrap every step execution in this interceptor (default: none), and let it capture the
         * caller's trace context when an instance starts. Use {@link StepInterceptor#composite} for
         * several. Without one, running a step costs nothing extra.
         * @param interceptor the interceptor
         * @return this builder
         */
        public Builder stepInterceptor(StepInterceptor interceptor) {
            this.stepInterceptor = Objects.requireNonNull(interceptor, "interceptor");
            return this;
        }

        /**
         * Build the runner, emit {@code hephaestus.runner.init}, and pick up every active instance
         * found in storage.
         * @return the running runner
         */
        public LocalRunner build() {
            if (this.storage == null) {
                this.storage = new InMemoryStorage();
            }
            if (this.telemetry == null) {
                this.telemetry = Telemetry.create();
            }
            LocalRunner runner = new LocalRunner(this);
            if (runner.telemetry.isEnabled(TelemetryEventType.RUNNER_INIT)) {
                runner.telemetry.emit(new RunnerInit(InstantSources.epochNanos(runner.clock), runner.name, RUNNER,
                        runner.storage.name(), ProcessHandle.current().pid()));
            }
            runner.recoverAll();
            runner.scheduleSweep(runner.retentionSweepInterval);
            return runner;
        }
    }
}
