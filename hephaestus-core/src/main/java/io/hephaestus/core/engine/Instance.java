package io.hephaestus.core.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.hephaestus.core.internal.Frozen;
import io.hephaestus.core.internal.JsonValues;

/**
 * {@link Instance} is one run of a workflow: an immutable snapshot of its status, context and
 * bookkeeping. The {@link Engine} turns one snapshot into the next; storage keeps the latest.
 *
 * <p>Step sets keep insertion order (the order steps were activated or completed), so that
 * telemetry and JSON are deterministic.
 *
 * @param runId the unique id of this run (a UUID), the storage key
 * @param id the business id, {@code <key>::<value>}, shared by every run for the same business value
 * @param workflow the workflow name
 * @param workflowVersion the workflow version this run executes, fixed at start
 * @param status where the run is in its lifecycle
 * @param context the initial data and the results of completed steps
 * @param activeSteps steps activated and not yet completed (executing, retrying or waiting)
 * @param completedSteps steps whose completion was applied
 * @param skippedSteps steps ruled out because no branch leading to them was taken
 * @param arrivals for steps not yet activated: the predecessors that routed to them (join bookkeeping)
 * @param stepConfigs the configs given by transitions to steps that have not completed yet (active, or a join
 *        still waiting for its other branches)
 * @param waitingSteps the active steps parked on an external event or timer, with when they started waiting
 * @param timers the durable timers of waiting steps, by step key
 * @param attempts the number of failed attempts of active steps, by step key
 * @param queuedEvents external events accepted before a step waited for them, oldest first; emptied
 *        when the instance finishes (what is left goes into the history as unconsumed)
 * @param runtimeMetadata metadata merged from step results
 * @param history one entry per completed step, in completion order
 * @param failures every failed attempt, in order; the last one is why a failed instance failed
 * @param telemetryMetadata caller metadata merged into every telemetry event of this run
 * @param traceContext the propagation fields of the trace that started this run (for example
 *        {@code traceparent}), captured by a {@link io.hephaestus.core.runtime.StepInterceptor} when the
 *        run was started, so that work resumed later can link to it; empty when nothing was captured
 * @param createdAt when the run was created
 * @param updatedAt when the run was last changed
 * @param revision the storage revision, increased by every write (optimistic locking)
 * @since 0.1.0
 */
public record Instance(String runId, String id, String workflow, int workflowVersion, Status status,
        Context context, Set<String> activeSteps, Set<String> completedSteps, Set<String> skippedSteps,
        Map<String, Set<String>> arrivals, Map<String, Map<String, Object>> stepConfigs,
        Map<String, Instant> waitingSteps, Map<String, Timer> timers, Map<String, Integer> attempts,
        List<QueuedEvent> queuedEvents, Map<String, Object> runtimeMetadata, List<ExecutionEntry> history, List<Failure> failures,
        Map<String, Object> telemetryMetadata, Map<String, String> traceContext, Instant createdAt, Instant updatedAt,
        long revision) {

    /**
     * Validate and freeze the components.
     */
    public Instance {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workflow, "workflow");
        if (workflowVersion < 1) {
            throw new IllegalArgumentException("workflowVersion must be positive, got " + workflowVersion);
        }
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(context, "context");
        activeSteps = Frozen.set(activeSteps, "activeSteps");
        completedSteps = Frozen.set(completedSteps, "completedSteps");
        skippedSteps = Frozen.set(skippedSteps, "skippedSteps");
        arrivals = Frozen.map(arrivals, "arrivals", (step, from) -> Frozen.set(from, "arrivals"));
        stepConfigs = Frozen.map(stepConfigs, "stepConfigs",
                (step, config) -> JsonValues.freeze(config, "config of step ", step));
        waitingSteps = Frozen.map(waitingSteps, "waitingSteps");
        timers = Frozen.map(timers, "timers");
        attempts = Frozen.map(attempts, "attempts");
        queuedEvents = Frozen.list(queuedEvents);
        runtimeMetadata = JsonValues.freeze(runtimeMetadata, "runtime metadata");
        history = Frozen.list(history);
        failures = Frozen.list(failures);
        telemetryMetadata = JsonValues.freeze(telemetryMetadata, "telemetry metadata");
        traceContext = Frozen.map(traceContext, "traceContext");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /**
     * Create an instance without a stored trace context.
     * @param runId the unique id of this run
     * @param id the business id
     * @param workflow the workflow name
     * @param workflowVersion the workflow version
     * @param status the status
     * @param context the context
     * @param activeSteps the active steps
     * @param completedSteps the completed steps
     * @param skippedSteps the skipped steps
     * @param arrivals the join bookkeeping
     * @param stepConfigs the step configs
     * @param waitingSteps the waiting steps
     * @param timers the timers
     * @param attempts the failed attempts
     * @param queuedEvents the queued events
     * @param runtimeMetadata the runtime metadata
     * @param history the history
     * @param failures the failures
     * @param telemetryMetadata the telemetry metadata
     * @param createdAt when the run was created
     * @param updatedAt when the run was last changed
     * @param revision the storage revision
     */
    public Instance(String runId, String id, String workflow, int workflowVersion, Status status, Context context,
            Set<String> activeSteps, Set<String> completedSteps, Set<String> skippedSteps,
            Map<String, Set<String>> arrivals, Map<String, Map<String, Object>> stepConfigs,
            Map<String, Instant> waitingSteps, Map<String, Timer> timers, Map<String, Integer> attempts,
            List<QueuedEvent> queuedEvents, Map<String, Object> runtimeMetadata, List<ExecutionEntry> history,
            List<Failure> failures, Map<String, Object> telemetryMetadata, Instant createdAt, Instant updatedAt,
            long revision) {
        this(runId, id, workflow, workflowVersion, status, context, activeSteps, completedSteps, skippedSteps, arrivals,
                stepConfigs, waitingSteps, timers, attempts, queuedEvents, runtimeMetadata, history, failures,
                telemetryMetadata, Map.of(), createdAt, updatedAt, revision);
    }

    /**
     * Return a new pending instance.
     * @param runId the unique id of the run
     * @param id the business id
     * @param workflow the workflow name
     * @param workflowVersion the resolved workflow version
     * @param initial the initial context data, JSON-safe
     * @param telemetryMetadata caller metadata for telemetry, JSON-safe
     * @param now the creation time
     * @return the instance, with revision 0 (not stored yet)
     */
    public static Instance create(String runId, String id, String workflow, int workflowVersion,
            Map<String, ?> initial, Map<String, ?> telemetryMetadata, Instant now) {
        return create(runId, id, workflow, workflowVersion, initial, telemetryMetadata, Map.of(), now);
    }

    /**
     * Return a new pending instance that keeps the trace context it was started in.
     * @param runId the unique id of the run
     * @param id the business id
     * @param workflow the workflow name
     * @param workflowVersion the resolved workflow version
     * @param initial the initial context data, JSON-safe
     * @param telemetryMetadata caller metadata for telemetry, JSON-safe
     * @param traceContext the propagation fields of the caller's trace, empty for none
     * @param now the creation time
     * @return the instance, with revision 0 (not stored yet)
     */
    public static Instance create(String runId, String id, String workflow, int workflowVersion,
            Map<String, ?> initial, Map<String, ?> telemetryMetadata, Map<String, String> traceContext, Instant now) {
        return new Instance(runId, id, workflow, workflowVersion, Status.PENDING, Context.of(initial), Set.of(),
                Set.of(), Set.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), List.of(), Map.of(), List.of(), List.of(),
                JsonValues.freeze(telemetryMetadata, "telemetry metadata"), traceContext, now, now, 0);
    }

    /**
     * Return the failure that ended this instance.
     * @return the last failure if the instance failed, else empty
     */
    public Optional<Failure> failure() {
        return (this.status == Status.FAILED && !this.failures.isEmpty())
                ? Optional.of(this.failures.get(this.failures.size() - 1)) : Optional.empty();
    }

    /**
     * Return the active steps that are not waiting: executing, or about to be (re)tried.
     * @return the runnable steps, in activation order
     */
    public Set<String> runnableSteps() {
        if (this.waitingSteps.isEmpty()) {
            return this.activeSteps;
        }
        Set<String> runnable = this.activeSteps;
        for (String waiting : this.waitingSteps.keySet()) {
            runnable = Frozen.minus(runnable, waiting);
        }
        return runnable;
    }

    /**
     * Return a copy with another storage revision.
     * @param next the revision
     * @return the copy
     */
    public Instance withRevision(long next) {
        return new Instance(this.runId, this.id, this.workflow, this.workflowVersion, this.status, this.context,
                this.activeSteps, this.completedSteps, this.skippedSteps, this.arrivals, this.stepConfigs,
                this.waitingSteps, this.timers, this.attempts, this.queuedEvents, this.runtimeMetadata, this.history, this.failures,
                this.telemetryMetadata, this.traceContext, this.createdAt, this.updatedAt, next);
    }
}
