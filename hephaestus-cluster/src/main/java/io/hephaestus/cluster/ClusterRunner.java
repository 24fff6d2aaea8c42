package io.hephaestus.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceException;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;

import io.hephaestus.cluster.TaskIds.CheckTask;
import io.hephaestus.cluster.TaskIds.StepTask;
import io.hephaestus.cluster.TaskIds.TimerTask;
import io.hephaestus.core.definition.BusinessKey;
import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Advance;
import io.hephaestus.core.engine.Effect;
import io.hephaestus.core.engine.Engine;
import io.hephaestus.core.engine.Failure;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.StackTraces;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.engine.Timer;
import io.hephaestus.core.internal.DoneFolding;
import io.hephaestus.core.internal.FinishWatch;
import io.hephaestus.core.internal.JsonValues;
import io.hephaestus.core.internal.RetentionSweeps;
import io.hephaestus.core.internal.RunIds;
import io.hephaestus.core.internal.StepInvocations;
import io.hephaestus.core.runtime.ConflictPolicy;
import io.hephaestus.core.runtime.CreateResult;
import io.hephaestus.core.runtime.DuplicateInstanceException;
import io.hephaestus.core.runtime.InstanceLookup;
import io.hephaestus.core.runtime.InstanceNotFoundException;
import io.hephaestus.core.runtime.InstanceQuery;
import io.hephaestus.core.runtime.ResumeRequest;
import io.hephaestus.core.runtime.ResumeResult;
import io.hephaestus.core.runtime.Runner;
import io.hephaestus.core.runtime.StaleInstanceException;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.runtime.StepExecution;
import io.hephaestus.core.runtime.StepInterceptor;
import io.hephaestus.core.runtime.StepOutcome;
import io.hephaestus.core.runtime.StepTrigger;
import io.hephaestus.core.runtime.Storage;
import io.hephaestus.core.runtime.StorageException;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.telemetry.FailureKind;
import io.hephaestus.core.telemetry.ResumeSource;
import io.hephaestus.core.telemetry.RunnerInit;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEventType;

/**
 * {@link ClusterRunner} shares the work of workflow instances between several nodes (JVMs) on one
 * database: every node can start, resume, cancel and read any instance, and the steps and timers
 * run on whichever node picks them up. It runs on db-scheduler, which polls the shared task table
 * ({@code SELECT … FOR UPDATE SKIP LOCKED} on PostgreSQL), heartbeats the executions a node is
 * running, and runs the executions of a node that stopped heartbeating again elsewhere.
 *
 * <p><strong>How.</strong> Executing one attempt of a step is one db-scheduler task instance
 * ({@value ClusterTasks#STEP_TASK}, {@code <run id>/<step key>/<attempt>}), a retry is one
 * scheduled after its backoff, and a timer is one due when it fires ({@value ClusterTasks#TIMER_TASK}).
 * The node that executes a step applies its result with the pure {@link Engine} to the stored
 * instance, and stores it through {@link Storage#update}, whose optimistic revision makes it the
 * only writer of that change: on a {@link StaleInstanceException} (another branch of the same
 * instance, on another node, was faster) it reads the instance again and re-applies. A node keeps
 * the snapshots it stored or read for a quarter of the dead-execution window (7.5 seconds by
 * default): a step task it picks within that time (usually one it scheduled itself) starts from
 * that snapshot instead of reading the instance, which the revision check makes safe. The rows of
 * step tasks whose execution ended the run are removed in batches every 20 ms (see
 * {@link Builder#tableName}) rather than one by one. A result is
 * applied only while its attempt is the current, runnable attempt of its step, so an execution that
 * runs twice is applied once. After every stored change the node makes sure a task exists for every
 * runnable step and timer of the instance. A start schedules the tasks of the run's first steps
 * before it stores the run (a task that runs first waits for it); a resume schedules a
 * {@value ClusterTasks#CHECK_TASK} task before it changes anything, deleted once the change and its
 * tasks are stored. So a node that dies at any point leaves a task that another node picks up.
 *
 * <p><strong>Chains run inline.</strong> When the result a node applied activates a step (the next
 * step of a chain, a join whose last branch just ended, or one branch of a fan-out), the node
 * executes it at once within the same db-scheduler execution instead of scheduling a task for it,
 * and so on, up to 100 steps: a chain costs one storage write per step rather than a task round
 * trip through the table. The built-in {@code Done} that ends a run is applied in the same write as
 * the change that made it the only next step (its telemetry is that of two changes, as on the local
 * runner). The other branches of a fan-out get a task each, so that every node can take one.
 * db-scheduler keeps heartbeating that execution; if the node dies, the execution is run
 * again on another node, which finds its own attempt applied, reads the instance and schedules the
 * tasks of whatever is runnable.
 *
 * <p><strong>Guarantees.</strong> Steps run at least once (a step whose node died runs again, so
 * use {@link io.hephaestus.core.steps.StepInput#idempotencyKey()}); every instance completes,
 * fails or is cancelled exactly once, and the matching {@code workflow.stop},
 * {@code workflow.exception} or {@code workflow.cancel} event is emitted once, by the node that
 * stored it.
 *
 * <pre>{@code
 * ClusterSchema.apply(dataSource);                           // db-scheduler's table
 * try (ClusterRunner runner = ClusterRunner.builder(registry, JdbcStorage.builder(dataSource).build(), dataSource)
 *         .name("node-1").build()) {
 *     runner.start(StartRequest.of("order", "42"));
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ClusterRunner implements Runner {

    /** The value of the {@code runner} telemetry metadata. */
    public static final String RUNNER = "cluster";

    /** The default of {@link Builder#pollingInterval}: 1 second. */
    public static final Duration DEFAULT_POLLING_INTERVAL = Duration.ofSeconds(1);

    /** The default of {@link Builder#heartbeatInterval}: 5 seconds. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

    /** The default of {@link Builder#missedHeartbeatsLimit}: 6. */
    public static final int DEFAULT_MISSED_HEARTBEATS_LIMIT = 6;

    /** The default of {@link Builder#maxValueSize}: 1 MiB. */
    public static final long DEFAULT_MAX_VALUE_SIZE = 1024 * 1024;

    /** The default of {@link Builder#retention}: 7 days, as on the local runner. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    /** The default of {@link Builder#retentionSweepInterval}: 5 minutes. */
    public static final Duration DEFAULT_RETENTION_SWEEP_INTERVAL = Duration.ofMinutes(5);

    private static final Logger logger = LoggerFactory.getLogger(ClusterRunner.class);

    private static final SecureRandom random = new SecureRandom();

    /** How often a change is re-applied on a fresh snapshot after a concurrent write. */
    private static final int MAX_STALE_RETRIES = 50;

    /** How many steps one execution of a step task runs after its own, inline (see {@link #inlineStep}). */
    private static final int MAX_INLINE_STEPS = 100;

    /** How often a first step task that finds no instance is tried again before it ends. */
    private static final int MAX_CREATE_WAITS = 5;

    /** How long a first step task waits for this node to store its run (see {@link #afterCreate}). */
    private static final Duration CREATE_WAIT = Duration.ofSeconds(5);

    /** How often the rows of step tasks of ended runs are removed (see {@link DeferredRemovals}). */
    private static final Duration REMOVAL_INTERVAL = Duration.ofMillis(20);

    /** How many locks make this node's writes of one run take turns. */
    private static final int WRITE_TURNS = 256;

    /** How many runs' recent snapshots a node keeps at most (see {@link Snapshots}). */
    private static final int SNAPSHOTS_CAPACITY = 10_000;

    /** How often a task tries to store a change while the storage fails, before db-scheduler retries the task. */
    private static final int STORAGE_ATTEMPTS = 8;

    private final String name;

    private final WorkflowRegistry registry;

    private final Storage storage;

    private final InstanceLookup lookup;

    private final ClusterTelemetry events;

    private final InstantSource clock;

    private final LongSupplier ticker;

    private final Optional<Duration> defaultStepTimeout;

    private final long maxValueSize;

    private final @Nullable StepInterceptor stepInterceptor;

    private final Supplier<String> runIds;

    private final Duration repairDelay;

    private final ClusterTasks tasks;

    private final Scheduler scheduler;

    private final boolean ownsScheduler;

    private final ClusterTasks.Handler handler = new TaskHandler();

    private final ScheduledExecutorService housekeeping;

    /** The steps this node is executing now, by task instance id. */
    private final ConcurrentHashMap<String, Execution> running = new ConcurrentHashMap<>();

    /** Futures of {@link #whenFinished}, by run id. */
    private final FinishWatch finishing = new FinishWatch();

    /** The snapshots this node stored or read lately, by run id (see {@link #executeStep}). */
    private final Snapshots snapshots;

    /** The runs this node is storing now (see {@link #startAdvanced}), by run id: open once stored or not. */
    private final ConcurrentHashMap<String, CountDownLatch> creating = new ConcurrentHashMap<>();

    /** The rows of step tasks of ended runs that this node removes in batches, or null if it does not know the table. */
    private final @Nullable DeferredRemovals removals;

    /** Locks that make this node's writes of one run take turns (see {@link #mutate}), by hash of the run id. */
    private final ReentrantLock[] writeTurns = new ReentrantLock[WRITE_TURNS];

    private volatile boolean accepting = true;

    private ClusterRunner(Builder builder, Scheduler scheduler, ClusterTasks tasks, Telemetry telemetry) {
        this.name = builder.name;
        this.registry = builder.registry;
        this.storage = builder.storage;
        this.lookup = new InstanceLookup(builder.registry, builder.storage);
        this.events = new ClusterTelemetry(telemetry, builder.clock);
        this.clock = builder.clock;
        this.ticker = builder.ticker;
        this.defaultStepTimeout = builder.defaultStepTimeout;
        this.maxValueSize = builder.maxValueSize;
        this.stepInterceptor = builder.stepInterceptor;
        this.runIds = builder.runIds;
        this.repairDelay = builder.heartbeatInterval.multipliedBy(builder.missedHeartbeatsLimit);
        this.tasks = tasks;
        this.scheduler = scheduler;
        this.ownsScheduler = builder.scheduler == null;
        this.housekeeping = Executors.newScheduledThreadPool(2, threads(builder.name + "-housekeeping"));
        // A quarter of the dead-execution window: an execution run again because its node was taken for dead never
        // starts from a snapshot kept before that. A step of a run cancelled on another node meanwhile may start from
        // one; poll() interrupts it within a polling interval, as it does a step that was running when the cancel came.
        Duration maxAge = this.repairDelay.dividedBy(4);
        this.snapshots = new Snapshots(System::nanoTime, maxAge, SNAPSHOTS_CAPACITY);
        for (int i = 0; i < this.writeTurns.length; i++) {
            this.writeTurns[i] = new ReentrantLock();
        }
        this.removals = (builder.scheduler == null || builder.tableNameSet)
                ? new DeferredRemovals(builder.dataSource, builder.tableName) : null;
    }

    /**
     * Return a builder of a runner (one node of a cluster).
     * @param registry the workflows the node can run; every node of a cluster registers the same ones
     * @param storage the shared, durable storage of the instances (a {@code JdbcStorage}, usually on the
     * same database as db-scheduler's table)
     * @param dataSource the database of db-scheduler's table, used when the runner creates its own scheduler
     * @return the builder
     */
    public static Builder builder(WorkflowRegistry registry, Storage storage, DataSource dataSource) {
        return new Builder(registry, storage, dataSource);
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
        Instance candidate = Instance.create(this.runIds.get(), id, workflow.name(), workflow.version(),
                request.context(), request.telemetryMetadata(),
                (this.stepInterceptor != null) ? this.stepInterceptor.currentContext() : Map.of(), now());
        long started = this.ticker.getAsLong();
        Advance first = Engine.advance(workflow, candidate, now());
        long engineNanos = this.ticker.getAsLong() - started;
        if (first.instance().status().isActive() && first.instance().status() != Status.PENDING) {
            return startAdvanced(workflow, key, request, candidate, first, engineNanos);
        }
        // Scheduled first: if this node dies before the first step's task exists, another node starts the run.
        CheckTask check = new CheckTask(candidate.runId(), "start");
        scheduleCheck(check);
        CreateResult created = this.storage.create(candidate, key.scope());
        if (created instanceof CreateResult.Conflict conflict) {
            cancelQuietly(this.tasks.check().instance(check.id()));
            if (request.onConflict() == ConflictPolicy.RETURN_EXISTING) {
                return conflict.existing();
            }
            throw new DuplicateInstanceException(conflict.existing());
        }
        Instance stored = ((CreateResult.Created) created).instance();
        this.events.workflowStart(workflow, stored);
        Change change;
        try {
            change = mutate(workflow, stored, (instance) -> Engine.advance(workflow, instance, now()), null);
        }
        catch (StorageException | StaleInstanceException ex) {
            logger.warn("Instance {} is stored but its first step could not be: {}; a node starts it within {}",
                    stored.id(), ex.getMessage(), this.repairDelay);
            return stored;
        }
        if (change.ensured()) {
            cancelQuietly(this.tasks.check().instance(check.id()));
        }
        return change.after();
    }

    /**
     * Start a run whose first advance leaves it running or waiting: schedule the tasks of its first
     * steps, then store it advanced, in one insert. A task that runs before the insert is visible
     * waits for it (see {@link #executeStep}); if this node dies between the two, the tasks find no
     * instance and end, and the start never returned.
     */
    private Instance startAdvanced(Workflow workflow, BusinessKey key, StartRequest request, Instance candidate,
            Advance first, long engineNanos) {
        // A first task this node picks before the run is stored waits for it here instead of reading storage.
        CountDownLatch stored = new CountDownLatch(1);
        this.creating.put(candidate.runId(), stored);
        try {
            return createAdvanced(workflow, key, request, candidate, first, engineNanos);
        }
        finally {
            this.creating.remove(candidate.runId(), stored);
            stored.countDown();
        }
    }

    private Instance createAdvanced(Workflow workflow, BusinessKey key, StartRequest request, Instance candidate,
            Advance first, long engineNanos) {
        Instance advanced = first.instance();
        List<TaskInstance<?>> steps = new ArrayList<>();
        for (String step : advanced.runnableSteps()) {
            steps.add(this.tasks.step().instance(new StepTask(advanced.runId(), step, 1).id()));
        }
        try {
            if (!steps.isEmpty()) {
                this.scheduler.scheduleBatch(steps, now());
            }
            advanced.timers().forEach((step, timer) -> scheduleIfNotExists(
                    this.tasks.timer().instance(TimerTask.of(advanced.runId(), step, timer.dueAt()).id()), timer.dueAt()));
        }
        catch (RuntimeException ex) {
            steps.forEach(this::cancelQuietly);
            throw (ex instanceof StorageException) ? ex : new StorageException("could not schedule the first tasks of "
                    + "instance " + advanced.id() + ": " + ex.getMessage(), ex);
        }
        CreateResult created;
        try {
            created = this.storage.create(advanced, key.scope());
        }
        catch (RuntimeException ex) {
            steps.forEach(this::cancelQuietly);
            throw ex;
        }
        if (created instanceof CreateResult.Conflict conflict) {
            steps.forEach(this::cancelQuietly);
            advanced.timers().forEach((step, timer) -> cancelQuietly(
                    this.tasks.timer().instance(TimerTask.of(advanced.runId(), step, timer.dueAt()).id())));
            if (request.onConflict() == ConflictPolicy.RETURN_EXISTING) {
                return conflict.existing();
            }
            throw new DuplicateInstanceException(conflict.existing());
        }
        Instance stored = ((CreateResult.Created) created).instance();
        this.snapshots.remember(stored);
        this.events.workflowStart(workflow, stored);
        this.events.change(workflow, candidate, stored, first.effects(), engineNanos);
        return stored;
    }

    @Override
    public ResumeResult resume(ResumeRequest request) {
        requireAccepting();
        JsonValues.requireSizeAtMost(request.data(), this.maxValueSize, "data of event '" + request.event() + "'");
        Instance instance = activeRun(request.workflow(), request.id(), "resume");
        Workflow workflow = workflowOf(instance);
        CheckTask check = new CheckTask(instance.runId(), "resume-" + HexFormat.of().toHexDigits(random.nextLong()));
        scheduleCheck(check);
        Change change;
        try {
            // Only the steps the event makes runnable get tasks: one running inline on another node keeps running there.
            change = mutate(workflow, instance, (current) -> Engine.receive(workflow, current, request.step(),
                    request.event(), request.data(), now()), null, "", false, false);
        }
        catch (RuntimeException ex) {
            if (!(ex instanceof StorageException)) {
                // Rejected, nothing changed. After a storage failure whether it was stored is unknown: the check settles it.
                cancelQuietly(this.tasks.check().instance(check.id()));
            }
            throw ex;
        }
        if (change.ensured()) {
            cancelQuietly(this.tasks.check().instance(check.id()));
        }
        for (Effect effect : change.effects()) {
            if (effect instanceof Effect.Queued queued) {
                logger.debug("Queued event '{}' for instance {}: no step waits for it yet", request.event(),
                        instance.id());
                return new ResumeResult.Queued(change.after(), queued.event());
            }
        }
        return new ResumeResult.Delivered(change.after());
    }

    @Override
    public Instance cancel(String workflowName, String id) {
        requireAccepting();
        Instance instance = activeRun(workflowName, id, "cancel");
        return mutate(workflowOf(instance), instance, (current) -> Engine.cancel(current, now()), null).after();
    }

    @Override
    public Optional<Instance> get(String workflowName, String id) {
        return this.lookup.newest(workflowName, id);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The future completes at once when this node stores the change that finishes the run; when
     * another node does, this node notices it within the {@linkplain Builder#pollingInterval polling
     * interval}.
     */
    @Override
    public CompletableFuture<Instance> whenFinished(String workflowName, String id) {
        return this.finishing.watch(this.lookup.newestOrThrow(workflowName, id), this.storage, this.accepting,
                this::closed);
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

    /**
     * Return the node's name, which {@code runner.init} reports and db-scheduler records as the
     * picker of the executions this node runs.
     * @return the node name
     */
    @Override
    public String name() {
        return this.name;
    }

    @Override
    public boolean isAccepting() {
        return this.accepting;
    }

    /**
     * Return the db-scheduler scheduler the runner executes on (its own, or the one it was given).
     * @return the scheduler
     */
    public Scheduler scheduler() {
        return this.scheduler;
    }

    /**
     * Return the number of steps this node is executing right now.
     * @return the number of running steps
     */
    public int runningSteps() {
        return this.running.size();
    }

    /**
     * Stop accepting work. A scheduler the runner created is stopped: steps running on this node
     * may finish for the shutdown grace period, then are interrupted; whatever is left stays in the
     * task table for the other nodes (or this one, restarted). A scheduler the runner was given is
     * left running for its owner to stop; its executions of the runner's tasks fail and are tried
     * again later, on any node.
     */
    @Override
    public void close() {
        if (!this.accepting) {
            return;
        }
        this.accepting = false;
        try {
            if (this.ownsScheduler) {
                this.scheduler.stop();
            }
        }
        finally {
            this.tasks.unbind(this.handler);
            if (this.removals != null) {
                this.removals.close();
            }
            this.housekeeping.shutdownNow();
            this.finishing.close(this::closed);
            logger.info("Cluster runner '{}' stopped; its unfinished work stays in the task table for the other nodes",
                    this.name);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Task executions

    /**
     * Execute one attempt of one step, if it is still the current one, and apply its result; then
     * keep executing, within this execution of the task, the next step of a linear chain (see
     * {@link #inlineStep}), at most {@value #MAX_INLINE_STEPS} of them.
     * @return whether the run has ended (so that the task's row may be removed later, in a batch)
     */
    private boolean executeStep(String id, int failures) {
        StepTask task = StepTask.parse(id);
        if (failures == 0 && this.snapshots.finished(task.runId())) {
            logger.debug("Step task {} has nothing to do: this node stored the end of its run", id);
            return true;
        }
        Instance instance = (failures == 0) ? recent(task).or(() -> afterCreate(task)).orElse(null) : null;
        if (instance == null) {
            instance = read(task.runId()).orElse(null);
        }
        if (instance == null && task.attempt() == 1 && failures < MAX_CREATE_WAITS) {
            instance = awaitCreated(task);
        }
        if (instance == null || instance.status().isTerminal()) {
            logger.debug("Step task {} has nothing to do: the instance is {}", id,
                    (instance == null) ? "gone" : instance.status().value());
            return instance != null;
        }
        Workflow workflow = workflowOf(instance);
        if (!isCurrent(instance, task.step(), task.attempt())) {
            // A repeated execution (its node died after storing the result): make sure the next tasks exist.
            logger.debug("Step task {} is not the current attempt of a runnable step; checking the instance's tasks",
                    id);
            ensure(workflow, instance, "", null);
            return false;
        }
        Change change = runStep(workflow, instance, task, true);
        for (int inlined = 1; !change.inline().isEmpty(); inlined++) {
            StepTask next = new StepTask(task.runId(), change.inline(), currentAttempt(change.after(), change.inline()));
            if (inlined > MAX_INLINE_STEPS && !next.id().equals(id)) {
                // Enough for one execution: the next step gets a task. (A loop back to this task's own step goes on
                // inline: its row is this execution's, which db-scheduler deletes when it ends.)
                ensure(workflow, change.after(), "", null);
                return false;
            }
            // No task exists for this step: if this node dies now, db-scheduler runs task `id` again on another
            // node, which finds its attempt applied and schedules the tasks of the instance's runnable steps.
            change = runStep(workflow, change.after(), next, true);
        }
        return change.after().status().isTerminal();
    }

    /**
     * Return the snapshot of a step task's active run that this node stored or read lately (within
     * a quarter of the dead-execution window; usually this node scheduled the task right after
     * storing it), if the task is the current attempt of its step in it. A stale one is safe: the
     * step's result is then applied with a revision the storage rejects, and the change is
     * re-applied to the instance read again. A snapshot in which the task's attempt is not current
     * may just be older than the task: the caller reads the instance.
     */
    private Optional<Instance> recent(StepTask task) {
        return this.snapshots.fresh(task.runId()).filter((snapshot) -> isCurrent(snapshot, task.step(), task.attempt()));
    }

    /**
     * Return the snapshot of a first step task's run that this node is storing right now, once
     * stored: {@link #startAdvanced} schedules the task before it stores the run, and this node's
     * scheduler may pick it at once. Empty if this node is not storing the run, or did not store it.
     */
    private Optional<Instance> afterCreate(StepTask task) {
        CountDownLatch stored = this.creating.get(task.runId());
        if (stored == null) {
            return Optional.empty();
        }
        try {
            if (!stored.await(CREATE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return recent(task);
    }

    /**
     * Read an instance from storage, and remember it.
     */
    private Optional<Instance> read(String runId) {
        Optional<Instance> instance = this.storage.get(runId);
        instance.ifPresent(this.snapshots::remember);
        return instance;
    }

    /**
     * Wait a little for the instance of a first step task: {@link #startAdvanced} schedules the task
     * before it stores the instance.
     * @throws StorageException if it is still not there, so that db-scheduler tries the task again
     * after its backoff (1 s, 2 s, 4 s, …; after {@value #MAX_CREATE_WAITS} failures the task ends)
     */
    private Instance awaitCreated(StepTask task) {
        for (long pause : new long[] { 2, 10, 50, 200 }) {
            try {
                Thread.sleep(pause);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
            Optional<Instance> instance = recent(task).or(() -> read(task.runId()));
            if (instance.isPresent()) {
                return instance.get();
            }
        }
        throw new StorageException("step task " + task.id() + " finds no instance of run " + task.runId()
                + " yet; it is tried again later");
    }

    /**
     * Execute one attempt of one step of a stored instance of which it is the current attempt, and
     * apply its result.
     * @param mayContinue whether the change may name a next step to execute inline instead of scheduling its task
     * @return the change that applied the result
     */
    private Change runStep(Workflow workflow, Instance instance, StepTask task, boolean mayContinue) {
        String id = task.id();
        Step step = workflow.step(task.step()).orElseThrow();
        Execution execution = new Execution(task, Thread.currentThread());
        this.running.put(id, execution);
        ScheduledFuture<?> timeout = null;
        StepResult result = null;
        Throwable thrown = null;
        long duration;
        Execution.State ended;
        try {
            Optional<Duration> limit = step.timeout().or(() -> this.defaultStepTimeout);
            if (limit.isPresent()) {
                timeout = this.housekeeping.schedule(() -> onTimeout(workflow, step, execution, limit.get()),
                        limit.get().toNanos(), TimeUnit.NANOSECONDS);
            }
            this.events.stepStart(step, instance, task.attempt());
            long started = this.ticker.getAsLong();
            try {
                // The built-in Done does no work and is never intercepted (as on the local runner).
                result = (this.stepInterceptor != null && !(step instanceof Done))
                        ? intercepted(this.stepInterceptor, step, instance, task)
                        : step.execute(Engine.input(instance, task.step()));
                if (result == null) {
                    thrown = new NullPointerException("step " + task.step() + " returned null instead of a StepResult");
                }
            }
            catch (VirtualMachineError error) {
                throw error;
            }
            catch (Throwable ex) {
                thrown = ex;
            }
            duration = this.ticker.getAsLong() - started;
        }
        finally {
            ended = execution.end();
            this.running.remove(id, execution);
            if (timeout != null) {
                timeout.cancel(false);
            }
            // An interrupt meant for the step must not reach db-scheduler's own JDBC calls.
            Thread.interrupted();
        }
        if (ended == Execution.State.TIMED_OUT) {
            Duration limit = step.timeout().or(() -> this.defaultStepTimeout).orElseThrow();
            Change change = store(workflow, task.runId(), null, timeoutOperation(workflow, task, limit),
                    timeoutReport(step, task, limit));
            requireEnsured(change, id);
            return change;
        }
        return applyResult(workflow, instance, step, task, result, thrown, duration, mayContinue);
    }

    /**
     * Execute a step through the interceptor. A node cannot tell why a task runs (it may have been
     * started, resumed or recovered on another node), so only a retry is told apart.
     */
    private static @Nullable StepResult intercepted(StepInterceptor interceptor, Step step, Instance instance,
            StepTask task) throws Throwable {
        StepExecution execution = new StepExecution(instance.runId(), instance.id(), instance.workflow(),
                instance.workflowVersion(), task.step(), step.name(), task.attempt(),
                (task.attempt() > 1) ? StepTrigger.RETRY : StepTrigger.RECOVERY, instance.traceContext(), Map.of());
        StepOutcome outcome = StepInvocations.intercept(interceptor, execution, () -> {
            try {
                StepResult result = step.execute(Engine.input(instance, task.step()));
                return (result != null) ? StepOutcome.of(result) : StepOutcome.of(
                        new NullPointerException("step " + task.step() + " returned null instead of a StepResult"));
            }
            catch (VirtualMachineError error) {
                throw error;
            }
            catch (Throwable ex) {
                return StepOutcome.of(ex);
            }
        });
        if (outcome instanceof StepOutcome.Threw threw) {
            throw threw.cause();
        }
        return ((StepOutcome.Returned) outcome).result();
    }

    private Change applyResult(Workflow workflow, Instance snapshot, Step step, StepTask task,
            @Nullable StepResult result, @Nullable Throwable thrown, long duration, boolean mayContinue) {
        String stepKey = task.step();
        String reason = (thrown != null) ? thrown.toString() : "";
        String stackTrace = (thrown != null) ? StackTraces.format(thrown) : "";
        Function<Instance, Advance> operation = (current) -> {
            if (current.status().isTerminal()) {
                // A branch still running when the instance failed, or was cancelled: record what it did.
                return (result instanceof StepResult.Completed) ? Engine.applyLate(workflow, current, stepKey, result, now())
                        : Advance.unchanged(current);
            }
            if (!isCurrent(current, stepKey, task.attempt())) {
                return Advance.unchanged(current);
            }
            if (thrown != null) {
                return Engine.failStep(workflow, current, stepKey, FailureKind.EXCEPTION, reason, stackTrace, now());
            }
            return Engine.apply(workflow, current, stepKey, Objects.requireNonNull(result), now());
        };
        Report report = (before, after, effects) -> {
            if (before.status().isTerminal()) {
                this.events.stepStop(after, step, duration, (StepResult.Completed) Objects.requireNonNull(result),
                        effects);
            }
            else if (thrown != null) {
                this.events.stepException(after, step, duration, FailureKind.EXCEPTION, reason,
                        StackTraces.frames(stackTrace), task.attempt(), effects);
            }
            else {
                this.events.outcome(step, after, duration, Objects.requireNonNull(result), task.attempt(), effects);
            }
        };
        Change change = store(workflow, task.runId(), snapshot, operation, report, stepKey, mayContinue, true);
        if (!change.changed()) {
            logger.debug("Result of step task {} ignored: the attempt is no longer current", task.id());
        }
        requireEnsured(change, task.id());
        return change;
    }

    private void onTimeout(Workflow workflow, Step step, Execution execution, Duration limit) {
        if (!execution.timeOut()) {
            return;
        }
        try {
            Change change = store(workflow, execution.task.runId(), null, timeoutOperation(workflow, execution.task, limit),
                    timeoutReport(step, execution.task, limit));
            if (!change.ensured()) {
                logger.warn("The timeout of step task {} is stored, its next tasks are not yet; the step's thread tries"
                        + " again", execution.task.id());
            }
        }
        catch (RuntimeException ex) {
            logger.warn("Could not store the timeout of step task {}: {}; the step's thread tries again when it returns",
                    execution.task.id(), ex.getMessage());
        }
    }

    private Function<Instance, Advance> timeoutOperation(Workflow workflow, StepTask task, Duration limit) {
        String reason = "step " + task.step() + " timed out after " + limit;
        return (current) -> (current.status().isActive() && isCurrent(current, task.step(), task.attempt()))
                ? Engine.failStep(workflow, current, task.step(), FailureKind.TIMEOUT, reason, now())
                : Advance.unchanged(current);
    }

    private Report timeoutReport(Step step, StepTask task, Duration limit) {
        String reason = "step " + task.step() + " timed out after " + limit;
        return (before, after, effects) -> this.events.stepException(after, step, limit.toNanos(), FailureKind.TIMEOUT,
                reason, List.of(), task.attempt(), effects);
    }

    /**
     * Fire the timer of a waiting step, if it is still armed.
     */
    private void fireTimer(String id) {
        TimerTask task = TimerTask.parse(id);
        Instance instance = this.storage.get(task.runId()).orElse(null);
        if (instance == null || instance.status().isTerminal()) {
            return;
        }
        Workflow workflow = workflowOf(instance);
        Function<Instance, Advance> operation = (current) -> {
            Timer timer = current.timers().get(task.step());
            if (!current.status().isActive() || timer == null || timer.dueAt().toEpochMilli() != task.dueMillis()
                    || !current.waitingSteps().containsKey(task.step())) {
                return Advance.unchanged(current);
            }
            return Engine.resume(workflow, current, task.step(), timer.event(), ResumeSource.TIMEOUT, now());
        };
        requireEnsured(store(workflow, task.runId(), instance, operation, null, "", false, false), id);
    }

    /**
     * Finish what a start or resume may have left undone: advance a pending run, and make sure the
     * tasks of its runnable steps and timers exist.
     */
    private void check(String id) {
        CheckTask task = CheckTask.parse(id);
        Instance instance = this.storage.get(task.runId()).orElse(null);
        if (instance == null || instance.status().isTerminal()) {
            return;
        }
        Workflow workflow = workflowOf(instance);
        if (instance.status() == Status.PENDING || instance.activeSteps().isEmpty()) {
            logger.info("Check task {} advances instance {}, which its starting node left {}", id, instance.id(),
                    instance.status().value());
        }
        requireEnsured(store(workflow, task.runId(), instance,
                (current) -> Engine.advance(workflow, current, now()), null), id);
    }

    // ---------------------------------------------------------------------------------------------
    // Changes

    /**
     * Apply one engine operation to a stored instance and store the result, re-applying it on a
     * fresh snapshot after a concurrent write; then report it and schedule its tasks. Exceptions of
     * the operation propagate and change nothing.
     */
    private Change mutate(Workflow workflow, Instance snapshot, Function<Instance, Advance> operation,
            @Nullable Report report) {
        return mutate(workflow, snapshot, operation, report, "", false, true);
    }

    /**
     * Like {@link #mutate(Workflow, Instance, Function, Report)}; when {@code mayContinue}, the
     * change may name a step that the caller executes inline ({@link #inlineStep}), whose task is
     * then not scheduled. {@code applied} names the step whose result the operation applies: its task is the
     * one running (or none, inline), so it is not cancelled when the instance ends. When
     * {@code repair}, every runnable step of a change that applies no step result gets its task if it
     * has none (starts, checks, timeouts); otherwise only the steps the change made runnable do (an
     * event or a timer: a step that was runnable before has its task, or runs inline on some node,
     * and must not run twice).
     */
    private Change mutate(Workflow workflow, Instance snapshot, Function<Instance, Advance> operation,
            @Nullable Report report, String applied, boolean mayContinue, boolean repair) {
        Instance current = snapshot;
        for (int attempt = 1;; attempt++) {
            // This node's writes of one run take turns, each on the snapshot the one before stored: branches of a
            // run finishing at once on this node do not meet the revision check (a rejected write and a read each).
            ReentrantLock turn = this.writeTurns[Math.floorMod(current.runId().hashCode(), this.writeTurns.length)];
            turn.lock();
            Advance advance;
            long engineNanos;
            FoldedDone done;
            Instance stored = null;
            StaleInstanceException stale = null;
            try {
                current = newest(current);
                long started = this.ticker.getAsLong();
                advance = operation.apply(current);
                engineNanos = this.ticker.getAsLong() - started;
                if (advance.instance() == current) {
                    stored = current;
                    done = null;
                }
                else {
                    done = foldDone(workflow, advance);
                    stored = this.storage.update((done != null) ? done.finished().instance() : advance.instance());
                    this.snapshots.remember(stored);
                }
            }
            catch (StaleInstanceException ex) {
                stale = ex;
                advance = null;
                engineNanos = 0;
                done = null;
            }
            finally {
                turn.unlock();
            }
            if (stale != null) {
                if (attempt >= MAX_STALE_RETRIES) {
                    throw stale;
                }
                pause(attempt);
                String runId = current.runId();
                // Another node was faster, or another thread of this one: start from the snapshot it stored, if any.
                long rejected = current.revision();
                Optional<Instance> newer = this.snapshots.fresh(runId).filter((known) -> known.revision() > rejected);
                current = newer.or(() -> read(runId)).orElseThrow(() -> new InstanceNotFoundException(
                        "run " + runId + " of instance " + snapshot.id() + " is gone from storage"));
                continue;
            }
            if (stored == current) {
                // Nothing changed: make sure every runnable step has its task. A timer task run again after its
                // node died once it had stored the timer's change finds nothing to do, and repairs what that node
                // did not schedule.
                return new Change(current, current, List.of(), ensureQuietly(workflow, current, "", null), "");
            }
            if (done != null) {
                return storedWithDone(workflow, current, advance, engineNanos, done, stored, report, applied, repair);
            }
            if (report != null) {
                report.accept(current, stored, advance.effects());
            }
            this.events.change(workflow, current, stored, advance.effects(), engineNanos);
            String inline = (mayContinue && this.accepting) ? inlineStep(current, stored) : "";
            return new Change(current, stored, advance.effects(),
                    afterStore(workflow, current, stored, advance.effects(), applied, inline, repair), inline);
        }
    }

    /**
     * Return a newer snapshot of the same run that this node stored or read since, or the given one.
     * An operation applied to it is as if the instance had been read later.
     */
    private Instance newest(Instance snapshot) {
        long revision = snapshot.revision();
        return this.snapshots.fresh(snapshot.runId()).filter((known) -> known.revision() > revision).orElse(snapshot);
    }

    /**
     * Return the built-in {@code Done} executed and applied after an advance, when it is the only
     * step the advance runs next and nothing else of the instance is active, waiting or armed, so
     * that both are stored in one write (as the local runner does); null otherwise, or when this
     * node is closing. {@code Done} does no work, is never intercepted and takes no timeout.
     */
    private @Nullable FoldedDone foldDone(Workflow workflow, Advance advance) {
        Instance next = advance.instance();
        Effect.ExecuteStep execution = this.accepting ? DoneFolding.soleDone(advance) : null;
        if (execution == null || currentAttempt(next, Done.KEY) != 1) {
            return null;
        }
        Step step = workflow.step(Done.KEY).orElse(null);
        if (!(step instanceof Done)) {
            return null;
        }
        long started = this.ticker.getAsLong();
        StepResult result = step.execute(Engine.input(next, Done.KEY));
        long stepNanos = this.ticker.getAsLong() - started;
        if (!(result instanceof StepResult.Completed completed)) {
            return null;
        }
        long applyStarted = this.ticker.getAsLong();
        Advance finished = Engine.apply(workflow, next, Done.KEY, completed, now());
        long engineNanos = this.ticker.getAsLong() - applyStarted;
        return new FoldedDone(step, execution.attempt(), completed, stepNanos, finished, engineNanos);
    }

    /**
     * Report a change stored with {@code Done} folded in as the two changes it stands for, in the
     * order they had when each was stored by itself: the change (with {@code report}), then
     * {@code Done}'s {@code step.start} and {@code step.stop}, then {@code Done}'s change, which
     * ends the run. The snapshot between them was never stored; it is reported with the revision it
     * would have had, so that advance counts are those of two writes.
     */
    private Change storedWithDone(Workflow workflow, Instance before, Advance advance, long engineNanos,
            FoldedDone done, Instance stored, @Nullable Report report, String applied, boolean repair) {
        Instance middle = advance.instance().withRevision(stored.revision());
        if (report != null) {
            report.accept(before, middle, advance.effects());
        }
        this.events.change(workflow, before, middle, advance.effects(), engineNanos, 0);
        this.events.stepStart(done.step(), middle, done.attempt());
        List<Effect> finishing = done.finished().effects();
        this.events.outcome(done.step(), stored, done.stepNanos(), done.result(), done.attempt(), finishing);
        this.events.change(workflow, middle, stored, finishing, done.engineNanos(), 1);
        List<Effect> all = new ArrayList<>(advance.effects().size() + finishing.size());
        all.addAll(advance.effects());
        all.addAll(finishing);
        return new Change(before, stored, all, afterStore(workflow, before, stored, all, applied, "", repair), "");
    }

    /**
     * Like {@link #mutate}, for task executions: a storage that fails is tried again a few times
     * with a growing delay before the failure reaches db-scheduler (which tries the task again).
     * Reads the instance first when {@code snapshot} is null.
     */
    private Change store(Workflow workflow, String runId, @Nullable Instance snapshot,
            Function<Instance, Advance> operation, @Nullable Report report) {
        return store(workflow, runId, snapshot, operation, report, "", false, true);
    }

    private Change store(Workflow workflow, String runId, @Nullable Instance snapshot,
            Function<Instance, Advance> operation, @Nullable Report report, String applied, boolean mayContinue,
            boolean repair) {
        Instance first = snapshot;
        for (int attempt = 1;; attempt++) {
            try {
                Instance current = (first != null) ? first : read(runId).orElseThrow(
                        () -> new InstanceNotFoundException("run " + runId + " is gone from storage"));
                return mutate(workflow, current, operation, report, applied, mayContinue, repair);
            }
            catch (StorageException ex) {
                if (attempt >= STORAGE_ATTEMPTS || !this.accepting) {
                    throw ex;
                }
                long delay = Math.min(5_000L, 100L << (attempt - 1));
                logger.warn("Could not store a change of run {}: {}; trying again in {} ms", runId, ex.getMessage(),
                        delay);
                sleep(delay, ex);
                first = null;
            }
        }
    }

    /**
     * After a change is stored: disarm timers it resumed early, stop what a finished instance no
     * longer needs, and make sure the tasks of everything runnable exist.
     * @return whether the tasks are known to exist
     */
    private boolean afterStore(Workflow workflow, Instance before, Instance stored, List<Effect> effects,
            String applied, String inline, boolean repair) {
        for (Effect effect : effects) {
            if (effect instanceof Effect.CancelTimer cancel) {
                Timer timer = before.timers().get(cancel.step());
                if (timer != null) {
                    cancelQuietly(this.tasks.timer().instance(TimerTask.of(stored.runId(), cancel.step(),
                            timer.dueAt()).id()));
                }
            }
        }
        if (stored.status().isTerminal()) {
            if (!before.status().isTerminal()) {
                if (stored.status() == Status.CANCELLED) {
                    interruptSteps(stored.runId());
                }
                for (String step : before.runnableSteps()) {
                    if (step.equals(applied)) {
                        continue;
                    }
                    cancelQuietly(this.tasks.step().instance(new StepTask(stored.runId(), step,
                            currentAttempt(before, step)).id()));
                }
                before.timers().forEach((step, timer) -> cancelQuietly(
                        this.tasks.timer().instance(TimerTask.of(stored.runId(), step, timer.dueAt()).id())));
                finished(stored);
            }
            return true;
        }
        // After a step's result, the other runnable steps and the timers that were there before have their tasks.
        return ensureQuietly(workflow, stored, inline, (applied.isEmpty() && repair) ? null : before);
    }

    /**
     * Return the step that the node which stored a change may execute inline, within the execution
     * of the task that made the change, instead of scheduling its task: a runnable step that the
     * change activated, at its first attempt (the next step of a line, one branch of a fan-out, a
     * join whose last branch just ended). The other steps the change activated get tasks, so that
     * every node can take one. Empty when there is none.
     */
    private static String inlineStep(Instance before, Instance stored) {
        if (!stored.status().isActive() || stored.status() == Status.PENDING) {
            return "";
        }
        for (String step : stored.runnableSteps()) {
            if (!before.activeSteps().contains(step) && currentAttempt(stored, step) == 1) {
                return step;
            }
        }
        return "";
    }

    private boolean ensureQuietly(Workflow workflow, Instance instance, String inline, @Nullable Instance before) {
        try {
            ensure(workflow, instance, inline, before);
            return true;
        }
        catch (RuntimeException ex) {
            logger.warn("Could not schedule the tasks of instance {}: {}", instance.id(), ex.getMessage());
            return false;
        }
    }

    /**
     * Make sure a task exists for every runnable step (its current attempt, due at once or after its
     * retry delay) and every timer of an active instance, except for the step {@code inline} that the
     * caller executes next, and steps that this node executes now. With the snapshot {@code before} a
     * step's result was applied to, only what the change added is scheduled: every stored snapshot
     * has the tasks of its runnable steps and timers (or a task that is tried again until it does).
     * The first attempts of steps that were not active before, such as the branches of a fan-out,
     * have no task yet: they are inserted in one batch (each checked on its own if that fails).
     */
    private void ensure(Workflow workflow, Instance instance, String inline, @Nullable Instance before) {
        if (!instance.status().isActive() || instance.status() == Status.PENDING) {
            return;
        }
        Instant now = now();
        List<TaskInstance<?>> fresh = new ArrayList<>();
        for (String step : instance.runnableSteps()) {
            int attempt = currentAttempt(instance, step);
            String id = new StepTask(instance.runId(), step, attempt).id();
            if (step.equals(inline) || this.running.containsKey(id)) {
                continue;
            }
            if (before != null && before.runnableSteps().contains(step) && currentAttempt(before, step) == attempt) {
                continue;
            }
            if (attempt == 1 && before != null && !before.activeSteps().contains(step)) {
                fresh.add(this.tasks.step().instance(id));
                continue;
            }
            Instant due = (attempt == 1) ? now : retryDue(workflow, instance, step, attempt, now);
            scheduleIfNotExists(this.tasks.step().instance(id), due);
        }
        if (fresh.size() == 1) {
            scheduleIfNotExists(this.tasks.step().instance(fresh.get(0).getId()), now);
        }
        else if (!fresh.isEmpty()) {
            try {
                this.scheduler.scheduleBatch(fresh, now);
            }
            catch (RuntimeException ex) {
                logger.debug("Batch of {} step tasks of instance {} not inserted ({}); scheduling them one by one",
                        fresh.size(), instance.id(), ex.toString());
                fresh.forEach((task) -> scheduleIfNotExists(this.tasks.step().instance(task.getId()), now));
            }
        }
        instance.timers().forEach((step, timer) -> {
            if (before == null || !timer.equals(before.timers().get(step))) {
                scheduleIfNotExists(this.tasks.timer().instance(TimerTask.of(instance.runId(), step, timer.dueAt()).id()),
                        timer.dueAt());
            }
        });
    }

    /**
     * Schedule a task unless it exists. db-scheduler fails when its insert collides with a task
     * that is gone again when it looks for it: another node created it, and it has run since. It
     * ran after this node's change was stored, so it saw that change (or a later one): nothing is
     * missing, and that failure counts as success.
     */
    private void scheduleIfNotExists(TaskInstance<Void> task, Instant due) {
        try {
            this.scheduler.scheduleIfNotExists(task, due);
        }
        catch (TaskInstanceException ex) {
            if (!isConstraintViolation(ex)) {
                throw ex;
            }
            logger.debug("Task {} {} was created and ran meanwhile on another node", task.getTaskName(), task.getId());
        }
    }

    private static boolean isConstraintViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Return when a retry is due: its backoff after the failure of the attempt before it.
     */
    private static Instant retryDue(Workflow workflow, Instance instance, String step, int attempt, Instant now) {
        List<Failure> failures = instance.failures();
        for (int i = failures.size() - 1; i >= 0; i--) {
            Failure failure = failures.get(i);
            if (failure.step().equals(step) && failure.attempt() == attempt - 1) {
                return failure.timestamp().plus(workflow.step(step).orElseThrow().retryPolicy()
                    .delayBeforeAttempt(attempt));
            }
        }
        return now;
    }

    private void requireEnsured(Change change, String taskId) {
        if (!change.ensured()) {
            throw new StorageException("the next tasks of instance " + change.after().id() + " could not be scheduled"
                    + " after task " + taskId + "; db-scheduler runs the task again");
        }
    }

    private void scheduleCheck(CheckTask check) {
        try {
            this.scheduler.scheduleIfNotExists(this.tasks.check().instance(check.id()), now().plus(this.repairDelay));
        }
        catch (RuntimeException ex) {
            throw new StorageException("could not schedule db-scheduler task " + ClusterTasks.CHECK_TASK + " "
                    + check.id() + ": " + ex.getMessage(), ex);
        }
    }

    private void cancelQuietly(TaskInstanceId task) {
        try {
            this.scheduler.cancel(task);
        }
        catch (RuntimeException ex) {
            // Gone already, running now, or the database is down: such a task finds nothing to do when it runs.
            logger.trace("Did not cancel task {} {}: {}", task.getTaskName(), task.getId(), ex.toString());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Housekeeping

    /**
     * Interrupt the steps this node runs for a run that was cancelled.
     */
    private void interruptSteps(String runId) {
        for (Execution execution : this.running.values()) {
            if (execution.task.runId().equals(runId)) {
                execution.interruptForCancel();
            }
        }
    }

    /**
     * Interrupt the steps of runs cancelled on other nodes, and complete the futures of runs that
     * finished on other nodes.
     */
    private void poll() {
        this.snapshots.expire();
        try {
            List<String> runs = new ArrayList<>();
            for (Execution execution : this.running.values()) {
                if (!runs.contains(execution.task.runId())) {
                    runs.add(execution.task.runId());
                }
            }
            for (String runId : runs) {
                this.storage.get(runId).filter((instance) -> instance.status() == Status.CANCELLED)
                    .ifPresent((instance) -> interruptSteps(runId));
            }
            for (String runId : this.finishing.runIds()) {
                this.storage.get(runId).filter((instance) -> instance.status().isTerminal()).ifPresent(this::finished);
            }
        }
        catch (RuntimeException ex) {
            logger.debug("Cluster runner '{}' could not poll the storage: {}", this.name, ex.getMessage());
        }
    }

    private void finished(Instance instance) {
        this.finishing.finished(instance);
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    private static boolean isCurrent(Instance instance, String step, int attempt) {
        return instance.status().isActive() && instance.activeSteps().contains(step)
                && !instance.waitingSteps().containsKey(step) && currentAttempt(instance, step) == attempt;
    }

    private static int currentAttempt(Instance instance, String step) {
        return instance.attempts().getOrDefault(step, 0) + 1;
    }

    private Workflow workflowOf(Instance instance) {
        return this.registry.get(instance.workflow(), instance.workflowVersion());
    }

    private Instance activeRun(String workflowName, String id, String operation) {
        return this.lookup.active(workflowName, id, operation);
    }

    private IllegalStateException closed() {
        return new IllegalStateException("cluster runner '" + this.name + "' is closed and accepts no more work");
    }

    private void requireAccepting() {
        if (!this.accepting) {
            throw closed();
        }
    }

    private Instant now() {
        return this.clock.instant();
    }

    private static void pause(int attempt) {
        // A short random pause lets the concurrent writer finish before this one re-reads.
        long micros = ThreadLocalRandom.current().nextLong(100, 1000L * Math.min(attempt, 10));
        try {
            TimeUnit.MICROSECONDS.sleep(micros);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis, RuntimeException cause) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }

    private static java.util.concurrent.ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return (runnable) -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    static String defaultNodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            host = "node";
        }
        return host + "-" + ProcessHandle.current().pid();
    }


    /**
     * What one engine operation did: the snapshot before and after (the same when nothing changed),
     * its effects, whether the tasks of the result are known to exist, and the step the caller is
     * to execute inline (empty for none).
     */
    private record Change(Instance before, Instance after, List<Effect> effects, boolean ensured, String inline) {

        boolean changed() {
            return this.before != this.after;
        }
    }

    /**
     * The built-in {@code Done}, executed and applied within the change that made it the only next
     * step: its step, attempt, result and duration, and the engine's advance that applied it.
     */
    private record FoldedDone(Step step, int attempt, StepResult.Completed result, long stepNanos, Advance finished,
            long engineNanos) {
    }

    /**
     * Sweep finished instances older than {@code retention} every {@code interval} on the
     * housekeeping thread, until the runner closes or the storage says it cannot delete them.
     */
    private void scheduleRetentionSweeps(Duration retention, Duration interval) {
        long nanos = interval.toNanos();
        AtomicReference<@Nullable ScheduledFuture<?>> sweeps = new AtomicReference<>();
        sweeps.set(this.housekeeping.scheduleWithFixedDelay(() -> {
            if (!this.accepting || !RetentionSweeps.sweep(this.storage, this.clock.instant().minus(retention),
                    this.name, () -> this.accepting)) {
                ScheduledFuture<?> future = sweeps.get();
                if (future != null) {
                    future.cancel(false);
                }
            }
        }, nanos, nanos, TimeUnit.NANOSECONDS));
    }

    /**
     * Telemetry of a stored change that only the caller knows how to report (a step's outcome).
     */
    @FunctionalInterface
    private interface Report {

        void accept(Instance before, Instance after, List<Effect> effects);
    }

    /**
     * The db-scheduler tasks, bound to this runner.
     */
    private final class TaskHandler implements ClusterTasks.Handler {

        @Override
        public boolean step(String id, int failures) {
            try {
                return executeStep(id, failures);
            }
            catch (InstanceNotFoundException ex) {
                logger.warn("Step task {} dropped: {}", id, ex.getMessage());
                return false;
            }
        }

        @Override
        public boolean removeLater(com.github.kagkarlsson.scheduler.task.Execution execution) {
            DeferredRemovals deferred = ClusterRunner.this.removals;
            return deferred != null && deferred.offer(execution);
        }

        @Override
        public void timer(String id) {
            try {
                fireTimer(id);
            }
            catch (InstanceNotFoundException ex) {
                logger.warn("Timer task {} dropped: {}", id, ex.getMessage());
            }
        }

        @Override
        public void check(String id) {
            try {
                ClusterRunner.this.check(id);
            }
            catch (InstanceNotFoundException ex) {
                logger.warn("Check task {} dropped: {}", id, ex.getMessage());
            }
        }
    }

    /**
     * One step running on this node, and who may interrupt it: a timeout, or a cancel.
     */
    private static final class Execution {

        enum State {
            RUNNING, CANCELLED, TIMED_OUT, ENDED
        }

        final StepTask task;

        private final Thread thread;

        private State state = State.RUNNING;

        Execution(StepTask task, Thread thread) {
            this.task = task;
            this.thread = thread;
        }

        /**
         * Mark the step timed out and interrupt it, unless it ended or was cancelled.
         * @return whether it timed out now
         */
        synchronized boolean timeOut() {
            if (this.state != State.RUNNING) {
                return false;
            }
            this.state = State.TIMED_OUT;
            this.thread.interrupt();
            return true;
        }

        synchronized void interruptForCancel() {
            if (this.state == State.RUNNING) {
                this.state = State.CANCELLED;
                this.thread.interrupt();
            }
        }

        /**
         * Mark the step ended; nobody interrupts its thread any more.
         * @return the state it ended in
         */
        synchronized State end() {
            State ended = this.state;
            this.state = State.ENDED;
            return ended;
        }
    }

    /**
     * {@link Builder} configures one node of a cluster. The registry, the storage and the data
     * source are required; by default the runner creates and starts its own db-scheduler scheduler
     * on the data source, named after the node.
     */
    public static final class Builder {

        private final WorkflowRegistry registry;

        private final Storage storage;

        private final DataSource dataSource;

        private String name = defaultNodeName();

        private int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);

        private Duration pollingInterval = DEFAULT_POLLING_INTERVAL;

        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;

        private int missedHeartbeatsLimit = DEFAULT_MISSED_HEARTBEATS_LIMIT;

        private String tableName = ClusterSchema.DEFAULT_TABLE_NAME;

        private boolean tableNameSet;

        private @Nullable Scheduler scheduler;

        private @Nullable ClusterTasks tasks;

        private @Nullable Telemetry telemetry;

        private InstantSource clock = InstantSource.system();

        private LongSupplier ticker = System::nanoTime;

        private Optional<Duration> defaultStepTimeout = Optional.empty();

        private Duration shutdownGracePeriod = Duration.ofSeconds(5);

        private Supplier<String> runIds = RunIds::random;

        private long maxValueSize = DEFAULT_MAX_VALUE_SIZE;

        private Duration retention = DEFAULT_RETENTION;

        private Duration retentionSweepInterval = DEFAULT_RETENTION_SWEEP_INTERVAL;

        private @Nullable StepInterceptor stepInterceptor;

        private Builder(WorkflowRegistry registry, Storage storage, DataSource dataSource) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.storage = Objects.requireNonNull(storage, "storage");
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * Set the node's name (default: host name and process id, such as {@code web-1-4242}). It
         * names the runner in telemetry ({@code runner.init}) and the node in db-scheduler's
         * {@code picked_by} column; give every node a different one.
         * @param name the name, not blank
         * @return this builder
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("the node name must not be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * Set how many steps this node runs at once: the threads of its db-scheduler scheduler
         * (default: twice the processors, at least 4). Give the data source's pool a few more
         * connections than this.
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
         * Set how often the node polls for due tasks (default 1 second). Work this node schedules
         * for now (the next step) is picked at once; timers, retries and work scheduled by other
         * nodes wait for the next poll. It is also how often {@link ClusterRunner#whenFinished}
         * looks for runs finished on other nodes and how soon a step cancelled on another node is
         * interrupted.
         * @param interval the interval, positive
         * @return this builder
         */
        public Builder pollingInterval(Duration interval) {
            this.pollingInterval = positive(interval, "pollingInterval");
            return this;
        }

        /**
         * Set how often db-scheduler records that this node still runs its executions (default 5
         * seconds). An execution whose heartbeat is older than
         * {@code heartbeatInterval × missedHeartbeatsLimit} (the dead-execution window, 30 seconds by
         * default) is considered dead and runs again on another node. The same window is the delay
         * of the check task of a start or resume.
         * @param interval the interval, positive
         * @return this builder
         */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = positive(interval, "heartbeatInterval");
            return this;
        }

        /**
         * Set how many heartbeats an execution may miss before it is considered dead (default 6; db-scheduler
         * requires at least 4).
         * @param limit the limit, at least 4
         * @return this builder
         */
        public Builder missedHeartbeatsLimit(int limit) {
            if (limit < 4) {
                throw new IllegalArgumentException("missedHeartbeatsLimit must be at least 4 (db-scheduler's minimum), got "
                        + limit);
            }
            this.missedHeartbeatsLimit = limit;
            return this;
        }

        /**
         * Set db-scheduler's table (default {@code scheduled_tasks}); see {@link ClusterSchema}. The
         * node removes the rows of the step tasks that ended their run from it in batches, every 20
         * ms, rather than one by one as each ends: with a {@linkplain #scheduler given scheduler}
         * it does so only when this is set (to that scheduler's table), else db-scheduler removes
         * each row.
         * @param tableName the table name
         * @return this builder
         */
        public Builder tableName(String tableName) {
            this.tableName = ClusterSchema.requireValidTableName(tableName);
            this.tableNameSet = true;
            return this;
        }

        /**
         * Run on an existing db-scheduler scheduler, such as the db-scheduler Spring Boot starter's,
         * instead of creating one: it must have been built with {@code tasks.all()} among its known
         * tasks, and its owner starts and stops it. Threads, polling, heartbeat and table settings of
         * this builder then do not apply to it, except that the heartbeat settings still set the delay
         * of check tasks, and that a {@link #tableName} set here (the scheduler's table, on the data
         * source given to {@link ClusterRunner#builder}) lets the node remove rows in batches.
         * @param scheduler the scheduler
         * @param tasks the tasks registered with it
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler, ClusterTasks tasks) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            this.tasks = Objects.requireNonNull(tasks, "tasks");
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
         * Set the wall clock of the engine's timestamps and timers (default: the system clock).
         * db-scheduler keeps the system clock; the nodes' clocks should agree.
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
            this.defaultStepTimeout = Optional.of(positive(timeout, "defaultStepTimeout"));
            return this;
        }

        /**
         * Set how long finished instances (completed, failed, cancelled) are kept (default
         * {@link ClusterRunner#DEFAULT_RETENTION 7 days}). Every node sweeps every
         * {@link #retentionSweepInterval}, deleting older ones in batches without touching active
         * instances; deletes of several nodes do not conflict. Zero or a negative duration turns the
         * sweep off.
         * @param retention the retention period
         * @return this builder
         */
        public Builder retention(Duration retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * Set how often the retention sweep runs (default
         * {@link ClusterRunner#DEFAULT_RETENTION_SWEEP_INTERVAL 5 minutes}).
         * @param interval the interval, positive
         * @return this builder
         */
        public Builder retentionSweepInterval(Duration interval) {
            this.retentionSweepInterval = positive(interval, "retentionSweepInterval");
            return this;
        }

        /**
         * Set how long {@link ClusterRunner#close()} lets running steps finish before it interrupts
         * them (default 5 seconds), when the runner owns its scheduler.
         * @param gracePeriod the grace period, positive
         * @return this builder
         */
        public Builder shutdownGracePeriod(Duration gracePeriod) {
            this.shutdownGracePeriod = positive(gracePeriod, "shutdownGracePeriod");
            return this;
        }

        /**
         * Set how run ids are generated (default: random version-4 UUIDs). They must not contain {@code /}.
         * @param runIds the generator
         * @return this builder
         */
        public Builder runIds(Supplier<String> runIds) {
            Objects.requireNonNull(runIds, "runIds");
            this.runIds = () -> {
                String runId = runIds.get();
                if (runId.isEmpty() || runId.contains("/")) {
                    throw new IllegalStateException("run id generator returned '" + runId
                            + "'; run ids of the cluster runner must be non-empty and contain no '/'");
                }
                return runId;
            };
            return this;
        }

        /**
         * Set the largest initial context, telemetry metadata or event data the runner accepts, in
         * bytes of compact JSON (default 1 MiB).
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
         * Wrap every step execution on this node in this interceptor (default: none), and let it
         * capture the caller's trace context when an instance starts. A node cannot tell why a task
         * runs, so the interceptor sees {@link StepTrigger#RETRY} or {@link StepTrigger#RECOVERY}.
         * @param interceptor the interceptor
         * @return this builder
         */
        public Builder stepInterceptor(StepInterceptor interceptor) {
            this.stepInterceptor = Objects.requireNonNull(interceptor, "interceptor");
            return this;
        }

        /**
         * Build the node: create and start its scheduler unless one was given, and emit
         * {@code hephaestus.runner.init} naming the node. Work already in the task table (left by
         * nodes that stopped) is picked up as soon as the scheduler polls.
         * @return the running node
         * @throws IllegalStateException if the given tasks are already bound to another runner
         */
        public ClusterRunner build() {
            Telemetry dispatcher = (this.telemetry != null) ? this.telemetry : Telemetry.create();
            ClusterTasks clusterTasks = (this.tasks != null) ? this.tasks : ClusterTasks.create();
            Scheduler dbScheduler = (this.scheduler != null) ? this.scheduler : createScheduler(clusterTasks);
            ClusterRunner runner = new ClusterRunner(this, dbScheduler, clusterTasks, dispatcher);
            clusterTasks.bind(runner.handler);
            long poll = this.pollingInterval.toNanos();
            runner.housekeeping.scheduleWithFixedDelay(runner::poll, poll, poll, TimeUnit.NANOSECONDS);
            DeferredRemovals removals = runner.removals;
            if (removals != null) {
                long every = REMOVAL_INTERVAL.toNanos();
                runner.housekeeping.scheduleWithFixedDelay(removals::flush, every, every, TimeUnit.NANOSECONDS);
            }
            if (!this.retention.isZero() && !this.retention.isNegative()) {
                runner.scheduleRetentionSweeps(this.retention, this.retentionSweepInterval);
            }
            if (dispatcher.isEnabled(TelemetryEventType.RUNNER_INIT)) {
                dispatcher.emit(new RunnerInit(runner.events.epochNanos(), runner.name, RUNNER, this.storage.name(),
                        ProcessHandle.current().pid()));
            }
            if (this.scheduler == null) {
                dbScheduler.start();
            }
            logger.info("Cluster runner '{}' started on storage '{}' ({} threads, polling every {}, dead executions "
                    + "taken over after {})", runner.name, this.storage.name(), this.threads, this.pollingInterval,
                    runner.repairDelay);
            return runner;
        }

        private Scheduler createScheduler(ClusterTasks clusterTasks) {
            SchedulerBuilder builder = Scheduler.create(this.dataSource, clusterTasks.all())
                .schedulerName(new SchedulerName.Fixed(this.name))
                .threads(this.threads)
                .pollingInterval(this.pollingInterval)
                .heartbeatInterval(this.heartbeatInterval)
                .missedHeartbeatsLimit(this.missedHeartbeatsLimit)
                .tableName(this.tableName)
                .shutdownMaxWait(this.shutdownGracePeriod)
                .enableImmediateExecution();
            ClusterSchema.Platform platform = platform(this.dataSource);
            if (platform == ClusterSchema.Platform.POSTGRESQL) {
                // One statement locks and fetches due executions (FOR UPDATE SKIP LOCKED), as many as free threads.
                builder.pollUsingLockAndFetch(0.5, 1.0);
            }
            else if (platform == ClusterSchema.Platform.H2) {
                // db-scheduler has no H2 dialect; the shipped H2 table keeps zones, and UTC reads back the same.
                builder.alwaysPersistTimestampInUTC();
            }
            return builder.build();
        }

        private static ClusterSchema.@Nullable Platform platform(DataSource dataSource) {
            try {
                return ClusterSchema.Platform.of(dataSource);
            }
            catch (IllegalArgumentException ex) {
                return null;
            }
        }

        private static Duration positive(Duration duration, String what) {
            Objects.requireNonNull(duration, what);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + duration);
            }
            return duration;
        }
    }
}
