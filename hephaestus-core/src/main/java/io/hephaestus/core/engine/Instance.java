package io.hephaestus.core.engine;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 * @param runtimeMetadata metadata merged from step results
 * @param history one entry per completed step, in completion order
 * @param failures every failed attempt, in order; the last one is why a failed instance failed
 * @param telemetryMetadata caller metadata merged into every telemetry event of this run
 * @param createdAt when the run was created
 * @param updatedAt when the run was last changed
 * @param revision the storage revision, increased by every write (optimistic locking)
 * @since 0.1.0
 */
public record Instance(String runId, String id, String workflow, int workflowVersion, Status status,
        Context context, Set<String> activeSteps, Set<String> completedSteps, Set<String> skippedSteps,
        Map<String, Set<String>> arrivals, Map<String, Map<String, Object>> stepConfigs,
        Map<String, Instant> waitingSteps, Map<String, Timer> timers, Map<String, Integer> attempts,
        Map<String, Object> runtimeMetadata, List<ExecutionEntry> history, List<Failure> failures,
        Map<String, Object> telemetryMetadata, Instant createdAt, Instant updatedAt, long revision) {

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
        activeSteps = orderedSet(activeSteps, "activeSteps");
        completedSteps = orderedSet(completedSteps, "completedSteps");
        skippedSteps = orderedSet(skippedSteps, "skippedSteps");
        Map<String, Set<String>> arrivalsCopy = new LinkedHashMap<>();
        Objects.requireNonNull(arrivals, "arrivals").forEach((k, v) -> arrivalsCopy.put(k, orderedSet(v, "arrivals")));
        arrivals = Collections.unmodifiableMap(arrivalsCopy);
        Map<String, Map<String, Object>> configs = new LinkedHashMap<>();
        Objects.requireNonNull(stepConfigs, "stepConfigs")
            .forEach((k, v) -> configs.put(k, JsonValues.freeze(v, "config of step " + k)));
        stepConfigs = Collections.unmodifiableMap(configs);
        waitingSteps = orderedMap(waitingSteps, "waitingSteps");
        timers = orderedMap(timers, "timers");
        attempts = orderedMap(attempts, "attempts");
        runtimeMetadata = JsonValues.freeze(runtimeMetadata, "runtime metadata");
        history = List.copyOf(history);
        failures = List.copyOf(failures);
        telemetryMetadata = JsonValues.freeze(telemetryMetadata, "telemetry metadata");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
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
        return new Instance(runId, id, workflow, workflowVersion, Status.PENDING, Context.of(initial), Set.of(),
                Set.of(), Set.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), List.of(), List.of(),
                JsonValues.freeze(telemetryMetadata, "telemetry metadata"), now, now, 0);
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
        Set<String> runnable = new LinkedHashSet<>(this.activeSteps);
        runnable.removeAll(this.waitingSteps.keySet());
        return Collections.unmodifiableSet(runnable);
    }

    /**
     * Return a copy with another storage revision.
     * @param next the revision
     * @return the copy
     */
    public Instance withRevision(long next) {
        return new Instance(this.runId, this.id, this.workflow, this.workflowVersion, this.status, this.context,
                this.activeSteps, this.completedSteps, this.skippedSteps, this.arrivals, this.stepConfigs,
                this.waitingSteps, this.timers, this.attempts, this.runtimeMetadata, this.history, this.failures,
                this.telemetryMetadata, this.createdAt, this.updatedAt, next);
    }

    private static Set<String> orderedSet(Set<String> set, String name) {
        Objects.requireNonNull(set, name);
        if (set.isEmpty()) {
            return Set.of();
        }
        Set<String> copy = new LinkedHashSet<>(set.size() * 2);
        for (String element : set) {
            copy.add(Objects.requireNonNull(element, name + " element"));
        }
        return Collections.unmodifiableSet(copy);
    }

    private static <V> Map<String, V> orderedMap(Map<String, V> map, String name) {
        Objects.requireNonNull(map, name);
        if (map.isEmpty()) {
            return Map.of();
        }
        Map<String, V> copy = new LinkedHashMap<>(map.size() * 2);
        map.forEach((k, v) -> copy.put(Objects.requireNonNull(k, name + " key"), Objects.requireNonNull(v, name + " value")));
        return Collections.unmodifiableMap(copy);
    }
}
