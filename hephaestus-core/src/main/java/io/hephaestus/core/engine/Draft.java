package io.hephaestus.core.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.hephaestus.core.internal.Frozen;

/**
 * A working copy of an {@link Instance}, private to the engine: one operation edits it and builds
 * the next snapshot once.
 *
 * <p>Every field holds an immutable collection, and an edit replaces only the collection it
 * changes (copy on write), so a transition copies what it touches and the new snapshot shares the
 * rest with the old one; the {@link Instance} constructor keeps frozen collections as they are.
 */
final class Draft {

    final Instance origin;

    Status status;

    Context context;

    Set<String> active;

    Set<String> completed;

    Set<String> skipped;

    Map<String, Set<String>> arrivals;

    Map<String, Map<String, Object>> configs;

    Map<String, Instant> waiting;

    Map<String, Timer> timers;

    Map<String, Integer> attempts;

    List<QueuedEvent> queued;

    Map<String, Object> runtimeMetadata;

    List<ExecutionEntry> history;

    List<Failure> failures;

    Draft(Instance instance) {
        this.origin = instance;
        this.status = instance.status();
        this.context = instance.context();
        this.active = instance.activeSteps();
        this.completed = instance.completedSteps();
        this.skipped = instance.skippedSteps();
        this.arrivals = instance.arrivals();
        this.configs = instance.stepConfigs();
        this.waiting = instance.waitingSteps();
        this.timers = instance.timers();
        this.attempts = instance.attempts();
        this.queued = instance.queuedEvents();
        this.runtimeMetadata = instance.runtimeMetadata();
        this.history = instance.history();
        this.failures = instance.failures();
    }

    void addArrival(String step, String from) {
        this.arrivals = Frozen.put(this.arrivals, step, Frozen.plus(this.arrivals.getOrDefault(step, Set.of()), from));
    }

    /**
     * Remove and return the predecessors that routed to {@code step}.
     */
    Set<String> takeArrivals(String step) {
        Set<String> arrived = this.arrivals.getOrDefault(step, Set.of());
        this.arrivals = Frozen.remove(this.arrivals, step);
        return arrived;
    }

    void addFailure(Failure failure) {
        this.failures = Frozen.append(this.failures, failure);
    }

    Instance build(Instant now) {
        Status before = this.origin.status();
        // A late result recorded on a finished instance keeps its status.
        if (before != this.status && !before.canTransitionTo(this.status)) {
            throw new IllegalStateException("illegal status transition " + before + " -> " + this.status
                    + " for instance " + this.origin.id());
        }
        return new Instance(this.origin.runId(), this.origin.id(), this.origin.workflow(),
                this.origin.workflowVersion(), this.status, this.context, this.active, this.completed, this.skipped,
                this.arrivals, this.configs, this.waiting, this.timers, this.attempts, this.queued, this.runtimeMetadata,
                this.history, this.failures, this.origin.telemetryMetadata(), this.origin.traceContext(),
                this.origin.createdAt(), now,
                this.origin.revision());
    }
}
