package io.hephaestus.core.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hephaestus.core.definition.Workflow;
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
import io.hephaestus.core.internal.Frozen;
import io.hephaestus.core.internal.InstantSources;
import io.hephaestus.core.internal.StepInvocations;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.telemetry.EngineAdvance;
import io.hephaestus.core.telemetry.FailureKind;
import io.hephaestus.core.telemetry.InstanceScope;
import io.hephaestus.core.telemetry.ResumeSource;
import io.hephaestus.core.telemetry.StepAsync;
import io.hephaestus.core.telemetry.StepException;
import io.hephaestus.core.telemetry.StepResume;
import io.hephaestus.core.telemetry.StepStart;
import io.hephaestus.core.telemetry.StepStop;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.core.telemetry.WorkflowCancel;
import io.hephaestus.core.telemetry.WorkflowException;
import io.hephaestus.core.telemetry.WorkflowStart;
import io.hephaestus.core.telemetry.WorkflowStop;
import io.hephaestus.core.telemetry.WorkflowTransition;

/**
 * Drives one active instance for a {@link LocalRunner}: the single writer of that instance.
 *
 * <p>Every change goes through {@link #mutate}: under the instance's lock it applies a pure engine
 * operation to the current snapshot, stores the result (optimistically), then emits telemetry and
 * applies the effects. Steps execute on the runner's executor without the lock; their results come
 * back through {@link #mutate} as well, so results are applied one at a time.
 */
final class InstanceDriver {

    private static final Logger logger = LoggerFactory.getLogger(InstanceDriver.class);

    private static final int MAX_STALE_RETRIES = 3;

    private final LocalRunner runner;

    private final Workflow workflow;

    private final Telemetry telemetry;

    private final ReentrantLock lock = new ReentrantLock();

    private final InstanceScope scope;

    private final Map<String, Execution> inFlight = new HashMap<>();

    // Most instances never arm a timer, delay a retry or fail a step: these maps stay empty (and
    // shared) until they do, which keeps a parked instance's driver small.

    private Map<String, Scheduler.Cancellable> timers = Collections.emptyMap();

    private Map<String, Scheduler.Cancellable> delayed = Collections.emptyMap();

    /** The effects of the last change {@link #mutate} stored. */
    private List<Effect> lastEffects = List.of();

    /** Whether this driver reported its run's end to the runner (guarded by {@link #lock}). */
    private boolean endReported;

    private Instance current;

    /**
     * The executor thread applying a step result of this instance right now, and the task it runs:
     * that thread takes the next step itself instead of handing it to another thread.
     */
    private Thread applying;

    private FutureTask<?> applyingTask;

    /**
     * The step the applying thread runs next, once it has released the lock.
     */
    private ReadyStep continuation;

    /**
     * Steps dispatched while the lock is held, submitted to the executor when it is released.
     */
    private List<ReadyStep> deferred;

    private boolean begun;

    /** Why the steps dispatched now run (for a {@link StepInterceptor}); set by each entry point under the lock. */
    private StepTrigger cause = StepTrigger.START;

    private boolean detached;

    private int advanceCount;

    InstanceDriver(LocalRunner runner, Workflow workflow, Instance instance) {
        this.runner = runner;
        this.workflow = workflow;
        this.telemetry = runner.telemetry;
        this.current = instance;
        this.scope = new InstanceScope(instance.id(), instance.workflow(), instance.workflowVersion(),
                instance.telemetryMetadata());
    }

    String runId() {
        return this.current.runId();
    }

    String workflowName() {
        return this.workflow.name();
    }

    String id() {
        return this.scope.instanceId();
    }

    /**
     * Return whether the instance is active and driven here (not finished, not detached).
     */
    boolean isActive() {
        this.lock.lock();
        try {
            return !this.detached && this.current.status().isActive();
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Start driving: announce the instance, then either advance a pending one or re-dispatch the
     * steps and timers of a recovered one. Idempotent.
     */
    Instance begin(boolean recovered) {
        return begin(recovered, () -> {
        });
    }

    /**
     * Like {@link #begin(boolean)}, running {@code register} first under the instance lock, so that
     * nobody else can begin the instance between its registration and its start.
     */
    Instance begin(boolean recovered, Runnable register) {
        this.lock.lock();
        try {
            register.run();
            return beginLocked(recovered);
        }
        finally {
            unlock();
        }
    }

    /**
     * Return the first change of a new instance, not stored yet: the engine's first advance of the
     * pending instance this driver was made with (and the built-in {@code Done} folded into it when
     * that is all that runs next). The runner creates {@link Change#stored() its result} in storage,
     * so that a start costs one write, then calls {@link #beginCreated}.
     */
    Change firstChange() {
        this.lock.lock();
        try {
            return change(this.current, (instance) -> Engine.advance(this.workflow, instance, now()));
        }
        finally {
            unlock();
        }
    }

    /**
     * Start driving an instance the runner created with its {@link #firstChange()} applied: report
     * the start and that change as if they had been stored one after the other, then perform it.
     * {@code register} runs first, under the instance lock.
     */
    Instance beginCreated(Change first, Instance stored, Runnable register) {
        this.lock.lock();
        try {
            register.run();
            this.begun = true;
            emitStart(false);
            return applyStored(first, stored, null);
        }
        finally {
            unlock();
        }
    }

    private void emitStart(boolean recovered) {
        if (this.telemetry.isEnabled(TelemetryEventType.WORKFLOW_START)) {
            this.telemetry.emit(new WorkflowStart(this.scope, InstantSources.epochNanos(this.runner.clock),
                    this.workflow.start().step().key(), Frozen.keys(this.current.context().initial()),
                    LocalRunner.RUNNER, recovered));
        }
    }

    private Instance beginLocked(boolean recovered) {
        this.lock.lock();
        try {
            if (this.begun) {
                return this.current;
            }
            this.begun = true;
            this.cause = recovered ? StepTrigger.RECOVERY : StepTrigger.START;
            emitStart(recovered);
            if (this.current.status() == Status.PENDING || this.current.activeSteps().isEmpty()) {
                try {
                    return mutate((instance) -> Engine.advance(this.workflow, instance, now()), null);
                }
                catch (StorageException | StaleInstanceException ex) {
                    // The instance is stored: it starts when the storage takes the write (or on recovery).
                    retryLater(this.workflow.start().step().key(), "the start before step", ex, 1,
                            () -> mutate((instance) -> Engine.advance(this.workflow, instance, now()), null));
                    return this.current;
                }
            }
            this.current.timers().forEach(this::arm);
            for (String step : this.current.runnableSteps()) {
                dispatch(step, this.current.attempts().getOrDefault(step, 0) + 1, Duration.ZERO);
            }
            return this.current;
        }
        finally {
            unlock();
        }
    }

    ResumeResult resume(String requestedStep, String event, Map<String, Object> data) {
        this.lock.lock();
        try {
            this.cause = StepTrigger.EVENT;
            Instance stored = mutate((instance) -> Engine.receive(this.workflow, instance, requestedStep, event, data,
                    now()), null);
            for (Effect effect : this.lastEffects) {
                if (effect instanceof Effect.Queued queued) {
                    logger.debug("Queued event '{}' for instance {}: no step waits for it yet", event, stored.id());
                    return new ResumeResult.Queued(stored, queued.event());
                }
            }
            return new ResumeResult.Delivered(stored);
        }
        finally {
            unlock();
        }
    }

    Instance cancel() {
        return mutate((instance) -> Engine.cancel(instance, now()), null);
    }

    /**
     * Forget in-memory work without touching storage (the runner is closing).
     */
    void detach() {
        this.lock.lock();
        try {
            this.detached = true;
            stopEverything();
        }
        finally {
            unlock();
        }
    }

    /**
     * Apply one engine operation: compute, store, report, then perform its effects. The operation
     * is pure, so it is simply recomputed on a fresh snapshot if the store reports a concurrent
     * write. Exceptions from the operation propagate and change nothing.
     */
    private Instance mutate(Function<Instance, Advance> operation, BiConsumer<Instance, List<Effect>> report) {
        this.lock.lock();
        try {
            for (int attempt = 1;; attempt++) {
                Instance before = this.current;
                Change change = change(before, operation);
                if (change.advance().instance() == before) {
                    return before;
                }
                Instance stored;
                try {
                    stored = this.runner.storage.update(change.stored());
                }
                catch (StaleInstanceException ex) {
                    if (attempt >= MAX_STALE_RETRIES) {
                        throw ex;
                    }
                    logger.warn("Instance {} was changed concurrently; re-applying on the stored snapshot", before.id());
                    this.current = this.runner.storage.get(before.runId()).orElseThrow(() -> ex);
                    continue;
                }
                return applyStored(change, stored, report);
            }
        }
        finally {
            unlock();
        }
    }

    /**
     * Compute a change: apply the operation and, when its only next step is the built-in
     * {@code Done} and nothing else runs, apply {@code Done} too, so that the change is stored in
     * one write instead of two. Pure but for reading the clock and the ticker.
     */
    private Change change(Instance before, Function<Instance, Advance> operation) {
        long started = this.runner.ticker.getAsLong();
        Advance advance = operation.apply(before);
        long engineNanos = this.runner.ticker.getAsLong() - started;
        Effect.ExecuteStep done = onlyDone(advance);
        if (done == null) {
            return new Change(before, advance, engineNanos, null);
        }
        Instance middle = advance.instance();
        Step step = this.workflow.step(Done.KEY).orElseThrow();
        long doneStarted = this.runner.ticker.getAsLong();
        StepResult result = step.execute(Engine.input(middle, Done.KEY));
        long doneNanos = this.runner.ticker.getAsLong() - doneStarted;
        long applyStarted = this.runner.ticker.getAsLong();
        Advance finished = Engine.apply(this.workflow, middle, Done.KEY, result, now());
        long applyNanos = this.runner.ticker.getAsLong() - applyStarted;
        return new Change(before, advance, engineNanos,
                new FoldedDone(step, done, (StepResult.Completed) result, doneNanos, finished, applyNanos));
    }

    /**
     * Return the execution of {@code Done} if it is the only step an advance runs next, nothing else
     * of the instance is active or in flight and the runner still runs steps, else null.
     */
    private Effect.ExecuteStep onlyDone(Advance advance) {
        if (!this.inFlight.isEmpty() || this.detached || !this.runner.isAccepting()) {
            return null;
        }
        return DoneFolding.soleDone(advance);
    }

    /**
     * Take a stored change as the current state: report it, then perform its effects. A change
     * with {@code Done} folded in is reported as the two changes it stands for, with {@code Done}'s
     * own step events between them, in the order they had when each was stored by itself.
     */
    private Instance applyStored(Change change, Instance stored, BiConsumer<Instance, List<Effect>> report) {
        Instance before = change.before();
        Advance advance = change.advance();
        FoldedDone done = change.done();
        if (done == null) {
            this.current = stored;
            this.lastEffects = advance.effects();
            if (report != null) {
                report.accept(before, advance.effects());
            }
            reportChange(before, stored, advance.effects(), change.engineNanos());
            perform(advance.effects());
            if (stored.status().isTerminal()) {
                finish(before, stored);
            }
            return stored;
        }
        Instance middle = advance.instance().withRevision(stored.revision() - 1);
        this.current = middle;
        List<Effect> finishing = done.finished().effects();
        List<Effect> all = new ArrayList<>(advance.effects().size() + finishing.size());
        all.addAll(advance.effects());
        all.addAll(finishing);
        this.lastEffects = all;
        if (report != null) {
            report.accept(before, advance.effects());
        }
        reportChange(before, middle, advance.effects(), change.engineNanos());
        for (Effect effect : advance.effects()) {
            if (effect != done.execution()) {
                perform(List.of(effect));
            }
        }
        if (this.telemetry.isEnabled(TelemetryEventType.STEP_START)) {
            this.telemetry.emit(new StepStart(this.scope, InstantSources.epochNanos(this.runner.clock),
                    done.step().name(), Done.KEY, false, middle.activeSteps().size(), done.execution().attempt()));
        }
        this.current = stored;
        emitStepStop(done.step(), done.stepNanos(), done.result(), finishing);
        reportChange(middle, stored, finishing, done.engineNanos());
        perform(finishing);
        if (stored.status().isTerminal()) {
            finish(middle, stored);
        }
        return stored;
    }

    /**
     * Stop what a finished instance no longer needs. After a cancel, running steps are interrupted
     * and their results dropped; after a failure, steps already running finish and their results are
     * recorded ({@link Engine#applyLate}), and only steps not started yet are dropped. The driver is
     * forgotten once nothing of the instance runs any more.
     */
    private void finish(Instance before, Instance stored) {
        if (stored.status() == Status.FAILED && !this.detached) {
            stopUnstarted();
        }
        else {
            stopEverything();
        }
        if (this.inFlight.isEmpty()) {
            this.runner.forget(this);
        }
        if (before.status() != stored.status()) {
            this.endReported = true;
            this.runner.finished(stored);
        }
    }

    /**
     * Return a future of the run's end that this driver completes after the end's telemetry, or
     * {@code null} if it reported the end already (the storage then holds it, and the events are out).
     */
    CompletableFuture<Instance> whenEndReported(FinishWatch finishing, boolean accepting,
            Supplier<? extends RuntimeException> closed) {
        this.lock.lock();
        try {
            if (this.endReported || this.detached) {
                return null;
            }
            return finishing.watchReported(this.current.runId(), accepting, closed);
        }
        finally {
            unlock();
        }
    }

    private void reportChange(Instance before, Instance after, List<Effect> effects, long engineNanos) {
        this.advanceCount++;
        if (this.telemetry.isEnabled(TelemetryEventType.STEP_RESUME)) {
            for (Effect effect : effects) {
                if (effect instanceof Effect.Resumed resumed) {
                    emitResume(resumed, after);
                }
            }
        }
        if (this.telemetry.isEnabled(TelemetryEventType.WORKFLOW_TRANSITION)) {
            for (Effect effect : effects) {
                if (effect instanceof Effect.Transitioned transitioned) {
                    this.telemetry.emit(new WorkflowTransition(this.scope, InstantSources.epochNanos(this.runner.clock),
                            transitioned.from(), stepName(transitioned.from()), transitioned.event(),
                            transitioned.targets(), stepNames(transitioned.targets())));
                }
            }
        }
        if (this.telemetry.isEnabled(TelemetryEventType.ENGINE_ADVANCE)) {
            this.telemetry.emit(new EngineAdvance(this.scope, engineNanos, after.activeSteps().size(),
                    after.completedSteps().size() - before.completedSteps().size(), before.status().value(),
                    after.status().value(), this.advanceCount));
        }
        if (before.status() == after.status()) {
            return;
        }
        if (after.status() == Status.COMPLETED && this.telemetry.isEnabled(TelemetryEventType.WORKFLOW_STOP)) {
            this.telemetry.emit(new WorkflowStop(this.scope, lifetime(after), after.completedSteps().size(),
                    this.advanceCount, Frozen.elements(after.completedSteps()), LocalRunner.RUNNER));
        }
        else if (after.status() == Status.FAILED && this.telemetry.isEnabled(TelemetryEventType.WORKFLOW_EXCEPTION)) {
            Failure failure = after.failure().orElseThrow();
            this.telemetry.emit(new WorkflowException(this.scope, lifetime(after), failure.step(), stepName(failure.step()),
                    failure.kind(), failure.reason(), StackTraces.frames(failure.stackTrace()),
                    after.completedSteps().size(), this.advanceCount, LocalRunner.RUNNER));
        }
        else if (after.status() == Status.CANCELLED && this.telemetry.isEnabled(TelemetryEventType.WORKFLOW_CANCEL)) {
            this.telemetry.emit(new WorkflowCancel(this.scope, lifetime(after), Frozen.elements(before.activeSteps()),
                    LocalRunner.RUNNER));
        }
    }

    private static long lifetime(Instance instance) {
        return InstantSources.nanosBetween(instance.createdAt(), instance.updatedAt());
    }

    private void perform(List<Effect> effects) {
        for (Effect effect : effects) {
            if (effect instanceof Effect.ExecuteStep execute) {
                dispatch(execute.step(), execute.attempt(), execute.delay());
            }
            else if (effect instanceof Effect.ScheduleTimer schedule) {
                arm(schedule.step(), schedule.timer());
            }
            else if (effect instanceof Effect.CancelTimer cancel) {
                Scheduler.Cancellable timer = this.timers.remove(cancel.step());
                if (timer != null) {
                    timer.cancel();
                }
            }
            else if (!(effect instanceof Effect.Transitioned || effect instanceof Effect.Resumed
                    || effect instanceof Effect.Queued)) {
                throw new AssertionError("unhandled effect " + effect);
            }
        }
    }

    private void dispatch(String stepKey, int attempt, Duration delay) {
        if (!delay.isZero() && !delay.isNegative()) {
            this.delayed = mutable(this.delayed);
            this.delayed.put(stepKey, this.runner.scheduler.schedule(delay, () -> onExecutor(() -> {
                this.lock.lock();
                try {
                    this.delayed.remove(stepKey);
                    if (isRunnable(stepKey) && !this.inFlight.containsKey(stepKey)) {
                        dispatch(stepKey, attempt, Duration.ZERO);
                    }
                }
                finally {
                    unlock();
                }
            })));
            return;
        }
        if (this.detached) {
            return;
        }
        Execution execution = new Execution(attempt);
        Instance snapshot = this.current;
        boolean concurrent = snapshot.runnableSteps().size() > 1;
        int activeCount = snapshot.activeSteps().size();
        Step step = this.workflow.step(stepKey).orElseThrow();
        StepInterceptor interceptor = this.runner.stepInterceptor;
        if (interceptor != null) {
            StepTrigger trigger = (this.cause != StepTrigger.RECOVERY && attempt > 1) ? StepTrigger.RETRY : this.cause;
            execution.dispatch = new Dispatch(trigger, interceptor.currentContext());
        }
        ReadyStep next = new ReadyStep(step, snapshot, execution, concurrent, activeCount);
        this.inFlight.put(stepKey, execution);
        if (this.applying == Thread.currentThread() && this.continuation == null && !this.applyingTask.isDone()
                && this.runner.isAccepting()) {
            // The thread that applied the previous result runs this step next: no hand-off to another thread.
            execution.future = this.applyingTask;
            this.continuation = next;
        }
        else {
            FutureTask<Void> task = new FutureTask<>(() -> runChain(next), null);
            execution.future = task;
            // Submitted once the lock is released, so that a fast step never waits for it.
            if (this.deferred == null) {
                this.deferred = new ArrayList<>(2);
            }
            this.deferred.add(next);
        }
        step.timeout().or(() -> this.runner.defaultStepTimeout).ifPresent((timeout) -> execution.timeout = this.runner
            .scheduler.schedule(timeout, () -> onExecutor(() -> onTimeout(stepKey, execution, timeout))));
    }

    /**
     * Release the lock; the outermost release submits the steps dispatched while it was held.
     */
    private void unlock() {
        List<ReadyStep> submit = null;
        if (this.deferred != null && this.lock.getHoldCount() == 1) {
            submit = this.deferred;
            this.deferred = null;
        }
        this.lock.unlock();
        if (submit != null) {
            submit.forEach(this::submit);
        }
    }

    private void submit(ReadyStep ready) {
        try {
            this.runner.executor.execute(ready.execution.future);
        }
        catch (RejectedExecutionException ex) {
            String stepKey = ready.step.key();
            this.lock.lock();
            try {
                this.inFlight.remove(stepKey, ready.execution);
                ready.execution.cancelTimeout();
            }
            finally {
                this.lock.unlock();
            }
            logger.info("Runner '{}' is closed; step {} of instance {} stays pending in storage", this.runner.name,
                    stepKey, ready.snapshot.id());
        }
    }

    /**
     * Run a step, then every step this thread was handed as the continuation of the results it applied.
     */
    private void runChain(ReadyStep first) {
        ReadyStep next = first;
        while (next != null) {
            run(next);
            if (next.execution.handedOver) {
                return;
            }
            next = takeContinuation();
        }
    }

    private ReadyStep takeContinuation() {
        this.lock.lock();
        try {
            ReadyStep next = this.continuation;
            this.continuation = null;
            if (next == null || this.inFlight.get(next.step.key()) != next.execution) {
                return null;
            }
            // An interrupt pending now was meant for a step that has finished: do not pass it on.
            Thread.interrupted();
            return next;
        }
        finally {
            unlock();
        }
    }

    private void run(ReadyStep ready) {
        StepInterceptor interceptor = this.runner.stepInterceptor;
        // The built-in Done does no work, and is usually applied within the previous step's write
        // without running here at all: it is never intercepted.
        if (interceptor == null || ready.step instanceof Done) {
            runStep(ready, false);
            return;
        }
        Instance snapshot = ready.snapshot;
        Dispatch dispatch = ready.execution.dispatch;
        StepExecution execution = new StepExecution(snapshot.runId(), snapshot.id(), snapshot.workflow(),
                snapshot.workflowVersion(), ready.step.key(), ready.step.name(), ready.execution.attempt,
                dispatch.trigger(), snapshot.traceContext(), dispatch.parentContext());
        StepInvocations.intercept(interceptor, execution, () -> runStep(ready, true));
    }

    /**
     * Execute the step and apply its result; return the outcome if asked for (only an interceptor
     * needs it, so that the hot path allocates nothing for it), else {@code null}.
     */
    private StepOutcome runStep(ReadyStep ready, boolean outcome) {
        Step step = ready.step;
        Execution execution = ready.execution;
        execution.started = true;
        String stepKey = step.key();
        StepInput input = Engine.input(ready.snapshot, stepKey);
        if (this.telemetry.isEnabled(TelemetryEventType.STEP_START)) {
            this.telemetry.emit(new StepStart(this.scope, InstantSources.epochNanos(this.runner.clock), step.name(),
                    stepKey, ready.concurrent, ready.activeCount, execution.attempt));
        }
        long started = this.runner.ticker.getAsLong();
        StepResult result = null;
        Throwable thrown = null;
        try {
            result = step.execute(input);
            if (result == null) {
                thrown = new NullPointerException("step " + stepKey + " returned null instead of a StepResult");
            }
        }
        catch (VirtualMachineError error) {
            throw error;
        }
        catch (Throwable ex) {
            thrown = ex;
        }
        long duration = this.runner.ticker.getAsLong() - started;
        onResult(step, execution, result, thrown, duration);
        if (!outcome) {
            return null;
        }
        return (thrown != null) ? StepOutcome.of(thrown) : StepOutcome.of(result);
    }

    private void onResult(Step step, Execution execution, StepResult result, Throwable thrown, long duration) {
        ExecutorService writers = this.runner.writers;
        if (writers != null) {
            try {
                execution.handedOver = true;
                writers.execute(() -> store(step, execution, result, thrown, duration, false));
                return;
            }
            catch (RejectedExecutionException ex) {
                // Every writer is busy, or the runner is closing: this thread stores the result.
                execution.handedOver = false;
            }
        }
        store(step, execution, result, thrown, duration, true);
    }

    /**
     * Store a step's result and perform what follows. On the step's own thread ({@code continueHere})
     * the first step made runnable runs next on this thread; on a writer thread every step goes to
     * the executor.
     */
    private void store(Step step, Execution execution, StepResult result, Throwable thrown, long duration,
            boolean continueHere) {
        this.lock.lock();
        try {
            String stepKey = step.key();
            if (this.inFlight.get(stepKey) != execution) {
                logger.debug("Dropping late result of step {} of instance {}", stepKey, this.current.id());
                return;
            }
            this.inFlight.remove(stepKey);
            execution.cancelTimeout();
            if (this.current.status().isTerminal()) {
                applyLate(step, execution, result, duration);
                return;
            }
            if (continueHere) {
                this.applying = Thread.currentThread();
                this.applyingTask = execution.future;
            }
            applyResult(step, execution, result, thrown, duration);
        }
        catch (StorageException | StaleInstanceException ex) {
            retryLater(step.key(), "the result of step", ex, 1,
                    () -> applyResult(step, execution, result, thrown, duration));
        }
        catch (RuntimeException ex) {
            logger.error("Could not apply the result of step {} of instance {}", step.key(), this.current.id(), ex);
        }
        finally {
            this.applying = null;
            this.applyingTask = null;
            unlock();
        }
    }

    private void applyResult(Step step, Execution execution, StepResult result, Throwable thrown, long duration) {
        String stepKey = step.key();
        this.cause = StepTrigger.NEXT;
        if (thrown != null) {
            String stackTrace = StackTraces.format(thrown);
            String reason = thrown.toString();
            mutate((instance) -> Engine.failStep(this.workflow, instance, stepKey, FailureKind.EXCEPTION, reason,
                    stackTrace, now()),
                    (before, effects) -> emitStepException(step, duration, FailureKind.EXCEPTION, reason,
                            StackTraces.frames(stackTrace), execution.attempt, effects));
            return;
        }
        mutate((instance) -> Engine.apply(this.workflow, instance, stepKey, result, now()),
                (before, effects) -> emitOutcome(step, duration, result, execution.attempt, effects));
    }

    /**
     * Try a change again later, on a fresh snapshot, after the storage failed to store it: a step
     * result, a timeout or a timer is never lost in memory while the runner is open. The delay
     * doubles from 100 ms up to 30 s. If the runner closes first, the instance is still in storage
     * as it was before the change, and the next runner re-runs the step or re-arms the timer.
     */
    private void retryLater(String stepKey, String what, RuntimeException cause, int attempt, Runnable change) {
        if (this.detached) {
            return;
        }
        Duration delay = Duration.ofMillis(Math.min(30_000L, 100L << Math.min(attempt - 1, 9)));
        logger.warn("Could not store {} {} of instance {}: {}; trying again in {} ms (attempt {})", what, stepKey,
                this.current.id(), cause.getMessage(), delay.toMillis(), attempt + 1);
        this.runner.scheduler.schedule(delay, () -> onExecutor(() -> {
            this.lock.lock();
            try {
                if (this.detached) {
                    return;
                }
                Instance stored = this.runner.storage.get(this.current.runId()).orElse(null);
                if (stored == null) {
                    logger.warn("Instance {} is gone from storage; dropping {} {}", this.current.id(), what, stepKey);
                    this.runner.forget(this);
                    return;
                }
                this.current = stored;
                change.run();
                logger.info("Stored {} {} of instance {} at attempt {}", what, stepKey, this.current.id(), attempt + 1);
            }
            catch (StorageException | StaleInstanceException ex) {
                retryLater(stepKey, what, ex, attempt + 1, change);
            }
            catch (RuntimeException ex) {
                logger.error("Could not apply {} {} of instance {}", what, stepKey, this.current.id(), ex);
            }
            finally {
                unlock();
            }
        }));
    }

    /**
     * Record the result of a step that was still running when its instance failed, then let the
     * driver go once nothing runs any more.
     */
    private void applyLate(Step step, Execution execution, StepResult result, long duration) {
        if (result instanceof StepResult.Completed completed) {
            mutate((instance) -> Engine.applyLate(this.workflow, instance, step.key(), result, now()),
                    (before, effects) -> emitStepStop(step, duration, completed, effects));
        }
        else {
            logger.debug("Dropping the result of step {} of instance {}, which is {}: {}", step.key(),
                    this.current.id(), this.current.status().value(), result);
        }
        if (this.inFlight.isEmpty()) {
            this.runner.forget(this);
        }
    }

    private void onTimeout(String stepKey, Execution execution, Duration timeout) {
        this.lock.lock();
        try {
            if (this.inFlight.get(stepKey) != execution) {
                return;
            }
            this.inFlight.remove(stepKey);
            Future<?> future = execution.future;
            if (future != null) {
                future.cancel(true);
            }
            if (this.current.status().isTerminal()) {
                if (this.inFlight.isEmpty()) {
                    this.runner.forget(this);
                }
                return;
            }
            applyTimeout(stepKey, execution, timeout);
        }
        catch (StorageException | StaleInstanceException ex) {
            retryLater(stepKey, "the timeout of step", ex, 1, () -> applyTimeout(stepKey, execution, timeout));
        }
        catch (RuntimeException ex) {
            logger.error("Could not apply the timeout of step {} of instance {}", stepKey, this.current.id(), ex);
        }
        finally {
            unlock();
        }
    }

    private void applyTimeout(String stepKey, Execution execution, Duration timeout) {
        Step step = this.workflow.step(stepKey).orElseThrow();
        String reason = "step " + stepKey + " timed out after " + timeout;
        mutate((instance) -> Engine.failStep(this.workflow, instance, stepKey, FailureKind.TIMEOUT, reason, now()),
                (before, effects) -> emitStepException(step, timeout.toNanos(), FailureKind.TIMEOUT, reason, List.of(),
                        execution.attempt, effects));
    }

    private void arm(String stepKey, Timer timer) {
        Duration delay = Duration.between(now(), timer.dueAt());
        this.timers = mutable(this.timers);
        Scheduler.Cancellable previous = this.timers.put(stepKey,
                this.runner.scheduler.schedule(delay.isNegative() ? Duration.ZERO : delay,
                        () -> onExecutor(() -> fire(stepKey, timer))));
        if (previous != null) {
            previous.cancel();
        }
    }

    private void fire(String stepKey, Timer timer) {
        this.lock.lock();
        try {
            fireNow(stepKey, timer);
        }
        catch (StorageException | StaleInstanceException ex) {
            retryLater(stepKey, "the timer of step", ex, 1, () -> fireNow(stepKey, timer));
        }
        catch (RuntimeException ex) {
            logger.error("Could not fire the timer of step {} of instance {}", stepKey, this.current.id(), ex);
        }
        finally {
            unlock();
        }
    }

    private void fireNow(String stepKey, Timer timer) {
        if (!timer.equals(this.current.timers().get(stepKey))) {
            return;
        }
        this.timers.remove(stepKey);
        this.cause = StepTrigger.TIMER;
        mutate((instance) -> Engine.resume(this.workflow, instance, stepKey, timer.event(), ResumeSource.TIMEOUT, now()),
                null);
    }

    private void emitOutcome(Step step, long duration, StepResult result, int attempt, List<Effect> effects) {
        if (result instanceof StepResult.Completed completed) {
            if (!this.telemetry.isEnabled(TelemetryEventType.STEP_STOP)
                    && !this.telemetry.isEnabled(TelemetryEventType.STEP_EXCEPTION)) {
                return;
            }
            if (!step.events().contains(completed.event())) {
                Failure failure = this.current.failure().orElseThrow();
                emitStepException(step, duration, FailureKind.INVALID, failure.reason(), List.of(), attempt, effects);
            }
            else {
                emitStepStop(step, duration, completed, effects);
            }
        }
        else if (result instanceof StepResult.Async || result instanceof StepResult.Scheduled) {
            if (this.current.status() == Status.FAILED && !resumedAtOnce(step.key(), effects)) {
                Failure failure = this.current.failure().orElseThrow();
                emitStepException(step, duration, failure.kind(), failure.reason(), List.of(), attempt, effects);
            }
            else if (this.telemetry.isEnabled(TelemetryEventType.STEP_ASYNC)) {
                this.telemetry.emit(new StepAsync(this.scope, duration, step.name(), step.key(),
                        this.current.status().value()));
            }
        }
        else if (result instanceof StepResult.Failed failed) {
            emitStepException(step, duration, FailureKind.ERROR, failed.reason(), List.of(), attempt, effects);
        }
        else {
            throw new AssertionError("unhandled step result " + result);
        }
    }

    private void emitStepStop(Step step, long duration, StepResult.Completed completed, List<Effect> effects) {
        if (this.telemetry.isEnabled(TelemetryEventType.STEP_STOP)) {
            this.telemetry.emit(new StepStop(this.scope, duration, step.name(), step.key(), completed.event(),
                    !completed.updates().isEmpty(), !completed.metadata().isEmpty(), targetsOf(step.key(), effects)));
        }
    }

    private static boolean resumedAtOnce(String stepKey, List<Effect> effects) {
        for (Effect effect : effects) {
            if (effect instanceof Effect.Resumed resumed && resumed.step().equals(stepKey)) {
                return true;
            }
        }
        return false;
    }

    private void emitStepException(Step step, long duration, FailureKind kind, String reason, List<String> stacktrace,
            int attempt, List<Effect> effects) {
        if (this.telemetry.isEnabled(TelemetryEventType.STEP_EXCEPTION)) {
            boolean willRetry = effects.stream().anyMatch((effect) -> effect instanceof Effect.ExecuteStep execute
                    && execute.step().equals(step.key()));
            this.telemetry.emit(new StepException(this.scope, duration, step.name(), step.key(), kind, reason,
                    stacktrace, attempt, willRetry));
        }
    }

    private void emitResume(Effect.Resumed resumed, Instance after) {
        long waited = InstantSources.nanosBetween(resumed.waitingSince(), after.updatedAt());
        this.telemetry.emit(new StepResume(this.scope, InstantSources.epochNanos(this.runner.clock), waited,
                stepName(resumed.step()), resumed.step(), resumed.event(), resumed.source()));
    }

    private String stepName(String stepKey) {
        return this.workflow.step(stepKey).map(Step::name).orElse(stepKey);
    }

    private List<String> stepNames(List<String> stepKeys) {
        if (stepKeys.isEmpty()) {
            return List.of();
        }
        if (stepKeys.size() == 1) {
            return List.of(stepName(stepKeys.get(0)));
        }
        String[] names = new String[stepKeys.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = stepName(stepKeys.get(i));
        }
        return List.of(names);
    }

    private static List<String> targetsOf(String stepKey, List<Effect> effects) {
        for (Effect effect : effects) {
            if (effect instanceof Effect.Transitioned transitioned && transitioned.from().equals(stepKey)) {
                return transitioned.targets();
            }
        }
        return List.of();
    }

    private boolean isRunnable(String stepKey) {
        return this.current.status().isActive() && this.current.activeSteps().contains(stepKey)
                && !this.current.waitingSteps().containsKey(stepKey);
    }

    /**
     * Drop the executions that have not started, and every timer and delayed retry; executions
     * already running go on, and their results are recorded when they come back.
     */
    private void stopUnstarted() {
        this.continuation = null;
        this.deferred = null;
        this.inFlight.values().removeIf((execution) -> {
            if (execution.started) {
                return false;
            }
            execution.cancelTimeout();
            Future<?> future = execution.future;
            if (future != null && future != this.applyingTask) {
                future.cancel(false);
            }
            return true;
        });
        stopTimers();
    }

    private void stopEverything() {
        this.inFlight.values().forEach((execution) -> {
            execution.cancelTimeout();
            Future<?> future = execution.future;
            if (future != null) {
                future.cancel(true);
            }
        });
        this.inFlight.clear();
        // Their executions were just cancelled: nothing left to hand to a thread.
        this.continuation = null;
        this.deferred = null;
        stopTimers();
    }

    private void stopTimers() {
        this.timers.values().forEach(Scheduler.Cancellable::cancel);
        this.timers.clear();
        this.delayed.values().forEach(Scheduler.Cancellable::cancel);
        this.delayed.clear();
    }

    private static <V> Map<String, V> mutable(Map<String, V> map) {
        return (map instanceof HashMap<String, V>) ? map : new HashMap<>(map);
    }

    private void onExecutor(Runnable task) {
        try {
            this.runner.executor.execute(task);
        }
        catch (RejectedExecutionException ex) {
            logger.debug("Runner '{}' is closed; dropping a timer of instance {}", this.runner.name, this.current.id());
        }
    }

    private Instant now() {
        return this.runner.clock.instant();
    }

    /**
     * A change computed by the engine and not stored yet.
     *
     * @param before the snapshot it applies to
     * @param advance the engine's result
     * @param engineNanos how long the engine took
     * @param done the built-in {@code Done} applied after it in the same write, or null
     */
    record Change(Instance before, Advance advance, long engineNanos, FoldedDone done) {

        /**
         * Return the snapshot to store.
         */
        Instance stored() {
            return (this.done != null) ? this.done.finished().instance() : this.advance.instance();
        }
    }

    /**
     * The built-in {@code Done}, run and applied within the change that made it the only next step.
     */
    private record FoldedDone(Step step, Effect.ExecuteStep execution, StepResult.Completed result, long stepNanos,
            Advance finished, long engineNanos) {
    }

    /**
     * A step ready to run on some thread, with what its telemetry reports.
     */
    private record ReadyStep(Step step, Instance snapshot, Execution execution, boolean concurrent,
            int activeCount) {
    }

    /**
     * Why a step was dispatched and the trace context current there, kept for a {@link StepInterceptor}
     * only (without one, nothing is allocated for it).
     */
    private record Dispatch(StepTrigger trigger, Map<String, String> parentContext) {
    }

    /**
     * One dispatched attempt of a step; identity tells a current result from a late one.
     */
    private static final class Execution {

        final int attempt;

        /** Set at dispatch when the runner has a {@link StepInterceptor}, else {@code null}. */
        Dispatch dispatch;

        /** Set by the thread that runs the step, before it calls the step. */
        volatile boolean started;

        volatile FutureTask<?> future;

        volatile Scheduler.Cancellable timeout;

        /**
         * Set by the thread that ran the step when it handed the result to a writer thread: it then
         * has no continuation to take, and must not wait for the driver's lock, which the writer holds.
         */
        boolean handedOver;

        Execution(int attempt) {
            this.attempt = attempt;
        }

        void cancelTimeout() {
            Scheduler.Cancellable handle = this.timeout;
            if (handle != null) {
                handle.cancel();
            }
        }
    }
}
