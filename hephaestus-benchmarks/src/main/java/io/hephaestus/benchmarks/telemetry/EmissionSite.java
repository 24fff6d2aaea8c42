package io.hephaestus.benchmarks.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.infra.Blackhole;
import org.slf4j.LoggerFactory;

import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Effect;
import io.hephaestus.core.engine.Failure;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.StackTraces;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.internal.Frozen;
import io.hephaestus.core.runtime.InMemoryStorage;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.Storage;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.telemetry.EngineAdvance;
import io.hephaestus.core.telemetry.FailureKind;
import io.hephaestus.core.telemetry.InstanceScope;
import io.hephaestus.core.telemetry.LogTelemetryListener;
import io.hephaestus.core.telemetry.MetricDefinition;
import io.hephaestus.core.telemetry.MetricDefinitions;
import io.hephaestus.core.telemetry.ResumeSource;
import io.hephaestus.core.telemetry.RunnerInit;
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
import io.hephaestus.spring.boot.metrics.HephaestusMeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A {@link Telemetry} dispatcher with one handler configuration, and the local runner's state and
 * code at the emission site of one event type.
 *
 * <p>The emission methods repeat the sites of {@code InstanceDriver} (and of
 * {@code LocalRunner.Builder.build} for {@code RUNNER_INIT}) expression for expression: what the
 * site computes before asking {@link Telemetry#isEnabled}, the check, and the construction of the
 * event from the runner's state. Keep them in step with the runtime when it changes.
 */
abstract class EmissionSite {

    /** No listener attached. */
    static final String NONE = "none";

    /** One listener that sinks the event into a {@link Blackhole}. */
    static final String NOOP = "noop";

    /** The starter's Micrometer binder on a Prometheus registry. */
    static final String MICROMETER = "micrometer";

    /** The log listener, its logger switched off. */
    static final String LOG_OFF = "log-off";

    /** The starter's default histogram buckets ({@code hephaestus.metrics.slo}). */
    private static final List<Duration> SLO = List.of(Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofMinutes(5));

    private TelemetryEventType type;

    private Telemetry telemetry;

    private InstantSource clock;

    private OrderSnapshots order;

    private InstanceScope scope;

    private Storage storage;

    private String runnerName;

    private long stepDuration;

    private long engineNanos;

    private int advanceCount;

    private int attempt;

    private int activeCount;

    private boolean concurrent;

    private boolean recovered;

    private @Nullable PrometheusMeterRegistry registry;

    /**
     * Prepare the runner's state, attach the handler and emit the event once, which creates the
     * meters of its tags.
     * @param type the event type whose site {@link #emitOne()} runs
     * @param handler {@link #NONE}, {@link #NOOP}, {@link #MICROMETER} or {@link #LOG_OFF}
     * @param blackhole the sink of the no-op listener
     */
    final void start(TelemetryEventType type, String handler, Blackhole blackhole) {
        this.type = type;
        this.telemetry = Telemetry.create();
        this.clock = InstantSource.system();
        this.order = new OrderSnapshots();
        Instance instance = this.order.started;
        this.scope = new InstanceScope(instance.id(), instance.workflow(), instance.workflowVersion(),
                instance.telemetryMetadata());
        this.storage = new InMemoryStorage();
        this.runnerName = "hephaestus";
        this.stepDuration = 1_234_567L;
        this.engineNanos = 2_345L;
        this.advanceCount = 4;
        this.attempt = 1;
        this.activeCount = 2;
        this.concurrent = true;
        this.recovered = false;
        switch (handler) {
            case NONE -> {
            }
            case NOOP -> this.telemetry.attach("noop", blackhole::consume);
            case MICROMETER -> attachMeterBinder();
            case LOG_OFF -> attachLogListener();
            default -> throw new IllegalArgumentException("unknown handler '" + handler + "'");
        }
        emitOne();
        if (this.registry != null) {
            for (MetricDefinition definition : MetricDefinitions.all()) {
                String name = HephaestusMeterBinder.meterName(definition);
                if (definition.event() == type && this.registry.find(name).meter() == null) {
                    throw new IllegalStateException("the warm-up emission did not create meter " + name);
                }
            }
        }
    }

    /**
     * Close the meter registry, if any.
     */
    final void stop() {
        if (this.registry != null) {
            this.registry.close();
        }
    }

    private void attachMeterBinder() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HephaestusMeterBinder binder = new HephaestusMeterBinder(MetricDefinitions.all(), SLO, this.storage,
                WorkflowRegistry.of(this.order.workflow));
        binder.bindTo(prometheus);
        // As the starter attaches a listener bean: under its bean name, for the event types it declares.
        this.telemetry.attach("hephaestusMeterBinder", binder);
        this.registry = prometheus;
    }

    private void attachLogListener() {
        if (LoggerFactory.getLogger(LogTelemetryListener.DEFAULT_LOGGER_NAME).isErrorEnabled()) {
            throw new IllegalStateException(
                    "logger " + LogTelemetryListener.DEFAULT_LOGGER_NAME + " should be switched off by logback.xml");
        }
        LogTelemetryListener.create().attachTo(this.telemetry);
    }

    /**
     * Run the emission site of the event type once.
     */
    final void emitOne() {
        OrderSnapshots o = this.order;
        switch (this.type) {
            case WORKFLOW_START -> workflowStart(o.started);
            case WORKFLOW_STOP -> workflowEnd(o.shipped, o.completed);
            case WORKFLOW_EXCEPTION -> workflowEnd(o.resumed.instance(), o.failed);
            case WORKFLOW_CANCEL -> workflowEnd(o.resumed.instance(), o.cancelled);
            case WORKFLOW_TRANSITION -> workflowTransitions(o.resumed.effects());
            case STEP_START -> stepStart(o.charge, o.chargeKey);
            case STEP_STOP -> stepOutcome(o.charge, o.charged, o.afterCharge.effects(), o.afterCharge.instance());
            case STEP_EXCEPTION -> stepOutcome(o.charge, o.declined, o.afterDecline.effects(),
                    o.afterDecline.instance());
            case STEP_ASYNC -> stepOutcome(o.payment, o.async, List.of(), o.waiting);
            case STEP_RESUME -> stepResume(o.waiting, o.resumed.instance(), o.payment.key(),
                    OrderSnapshots.PAYMENT_CONFIRMED, ResumeSource.EXTERNAL);
            case ENGINE_ADVANCE -> engineAdvance(o.waiting, o.resumed.instance());
            case RUNNER_INIT -> runnerInit();
        }
    }

    /** {@code InstanceDriver.beginLocked}. */
    private void workflowStart(Instance current) {
        if (this.telemetry.isEnabled(TelemetryEventType.WORKFLOW_START)) {
            this.telemetry.emit(new WorkflowStart(this.scope, epochNanos(this.clock),
                    this.order.workflow.start().step().key(), Frozen.keys(current.context().initial()),
                    LocalRunner.RUNNER, this.recovered));
        }
    }

    /** The end of {@code InstanceDriver.reportChange}. */
    private void workflowEnd(Instance before, Instance after) {
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

    /** The start of {@code InstanceDriver.reportChange}. */
    private void workflowTransitions(List<Effect> effects) {
        if (this.telemetry.isEnabled(TelemetryEventType.WORKFLOW_TRANSITION)) {
            for (Effect effect : effects) {
                if (effect instanceof Effect.Transitioned transitioned) {
                    this.telemetry.emit(new WorkflowTransition(this.scope, epochNanos(this.clock), transitioned.from(),
                            stepName(transitioned.from()), transitioned.event(), transitioned.targets(),
                            stepNames(transitioned.targets())));
                }
            }
        }
    }

    /** {@code InstanceDriver.stepName}. */
    private String stepName(String stepKey) {
        return this.order.workflow.step(stepKey).map(Step::name).orElse(stepKey);
    }

    /** {@code InstanceDriver.stepNames}. */
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

    /** The middle of {@code InstanceDriver.reportChange}. */
    private void engineAdvance(Instance before, Instance after) {
        if (this.telemetry.isEnabled(TelemetryEventType.ENGINE_ADVANCE)) {
            this.telemetry.emit(new EngineAdvance(this.scope, this.engineNanos, after.activeSteps().size(),
                    after.completedSteps().size() - before.completedSteps().size(), before.status().value(),
                    after.status().value(), this.advanceCount));
        }
    }

    /** {@code InstanceDriver.run}, where the step key was computed before, for the step's input. */
    private void stepStart(Step step, String stepKey) {
        if (this.telemetry.isEnabled(TelemetryEventType.STEP_START)) {
            this.telemetry.emit(new StepStart(this.scope, epochNanos(this.clock), step.name(), stepKey,
                    this.concurrent, this.activeCount, this.attempt));
        }
    }

    /** {@code InstanceDriver.emitOutcome}. */
    private void stepOutcome(Step step, StepResult result, List<Effect> effects, Instance current) {
        long duration = this.stepDuration;
        if (result instanceof StepResult.Completed completed) {
            if (!this.telemetry.isEnabled(TelemetryEventType.STEP_STOP)
                    && !this.telemetry.isEnabled(TelemetryEventType.STEP_EXCEPTION)) {
                return;
            }
            if (!step.events().contains(completed.event())) {
                Failure failure = current.failure().orElseThrow();
                stepException(step, duration, FailureKind.INVALID, failure.reason(), List.of(), effects);
            }
            else if (this.telemetry.isEnabled(TelemetryEventType.STEP_STOP)) {
                this.telemetry.emit(new StepStop(this.scope, duration, step.name(), step.key(), completed.event(),
                        !completed.updates().isEmpty(), !completed.metadata().isEmpty(),
                        targetsOf(step.key(), effects)));
            }
        }
        else if (result instanceof StepResult.Async || result instanceof StepResult.Scheduled) {
            if (current.status() == Status.FAILED) {
                Failure failure = current.failure().orElseThrow();
                stepException(step, duration, failure.kind(), failure.reason(), List.of(), effects);
            }
            else if (this.telemetry.isEnabled(TelemetryEventType.STEP_ASYNC)) {
                this.telemetry.emit(new StepAsync(this.scope, duration, step.name(), step.key(),
                        current.status().value()));
            }
        }
        else if (result instanceof StepResult.Failed failed) {
            stepException(step, duration, FailureKind.ERROR, failed.reason(), List.of(), effects);
        }
        else {
            throw new AssertionError("unhandled step result " + result);
        }
    }

    /** {@code InstanceDriver.emitStepException}. */
    private void stepException(Step step, long duration, FailureKind kind, String reason, List<String> stacktrace,
            List<Effect> effects) {
        if (this.telemetry.isEnabled(TelemetryEventType.STEP_EXCEPTION)) {
            boolean willRetry = effects.stream()
                .anyMatch((effect) -> effect instanceof Effect.ExecuteStep execute
                        && execute.step().equals(step.key()));
            this.telemetry.emit(new StepException(this.scope, duration, step.name(), step.key(), kind, reason,
                    stacktrace, this.attempt, willRetry));
        }
    }

    /** {@code InstanceDriver.emitResume}. */
    private void stepResume(Instance before, Instance current, String stepKey, String event, ResumeSource source) {
        if (this.telemetry.isEnabled(TelemetryEventType.STEP_RESUME)) {
            Instant since = before.waitingSteps().get(stepKey);
            Instant resumedAt = current.updatedAt();
            long waited = (since != null) ? nanosBetween(since, resumedAt) : 0L;
            String name = this.order.workflow.step(stepKey).map(Step::name).orElse(stepKey);
            this.telemetry.emit(new StepResume(this.scope, epochNanos(this.clock), waited, name, stepKey, event,
                    source));
        }
    }

    /** {@code LocalRunner.Builder.build}. */
    private void runnerInit() {
        if (this.telemetry.isEnabled(TelemetryEventType.RUNNER_INIT)) {
            this.telemetry.emit(new RunnerInit(epochNanos(this.clock), this.runnerName, LocalRunner.RUNNER,
                    this.storage.name(), ProcessHandle.current().pid()));
        }
    }

    private static List<String> targetsOf(String stepKey, List<Effect> effects) {
        for (Effect effect : effects) {
            if (effect instanceof Effect.Transitioned transitioned && transitioned.from().equals(stepKey)) {
                return transitioned.targets();
            }
        }
        return List.of();
    }

    /** {@code InstantSources.epochNanos}. */
    private static long epochNanos(InstantSource clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** {@code InstanceDriver.lifetime}. */
    private static long lifetime(Instance instance) {
        return nanosBetween(instance.createdAt(), instance.updatedAt());
    }

    /** {@code InstantSources.nanosBetween}. */
    private static long nanosBetween(Instant from, Instant to) {
        long seconds = to.getEpochSecond() - from.getEpochSecond();
        long nanos = to.getNano() - from.getNano();
        if (seconds < 0 || (seconds == 0 && nanos <= 0)) {
            return 0;
        }
        if (seconds >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        return seconds * 1_000_000_000L + nanos;
    }
}
