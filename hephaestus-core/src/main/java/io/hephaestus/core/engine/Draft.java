package io.hephaestus.core.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A mutable working copy of an {@link Instance}, private to the engine: one operation edits it and
 * freezes the result once, instead of copying the record at every small change.
 */
final class Draft {

    final Instance origin;

    Status status;

    Context context;

    final Set<String> active;

    final Set<String> completed;

    final Set<String> skipped;

    final Map<String, Set<String>> arrivals;

    final Map<String, Map<String, Object>> configs;

    final Map<String, Instant> waiting;

    final Map<String, Timer> timers;

    final Map<String, Integer> attempts;

    Map<String, Object> runtimeMetadata;

    final List<ExecutionEntry> history;

    final List<Failure> failures;

    Draft(Instance instance) {
        this.origin = instance;
        this.status = instance.status();
        this.context = instance.context();
        this.active = new LinkedHashSet<>(instance.activeSteps());
        this.completed = new LinkedHashSet<>(instance.completedSteps());
        this.skipped = new LinkedHashSet<>(instance.skippedSteps());
        this.arrivals = new LinkedHashMap<>();
        instance.arrivals().forEach((k, v) -> this.arrivals.put(k, new LinkedHashSet<>(v)));
        this.configs = new LinkedHashMap<>(instance.stepConfigs());
        this.waiting = new LinkedHashMap<>(instance.waitingSteps());
        this.timers = new LinkedHashMap<>(instance.timers());
        this.attempts = new LinkedHashMap<>(instance.attempts());
        this.runtimeMetadata = instance.runtimeMetadata();
        this.history = new ArrayList<>(instance.history());
        this.failures = new ArrayList<>(instance.failures());
    }

    Instance build(Instant now) {
        Status before = this.origin.status();
        if (!before.canTransitionTo(this.status)) {
            throw new IllegalStateException("illegal status transition " + before + " -> " + this.status
                    + " for instance " + this.origin.id());
        }
        return new Instance(this.origin.runId(), this.origin.id(), this.origin.workflow(),
                this.origin.workflowVersion(), this.status, this.context, this.active, this.completed, this.skipped,
                this.arrivals, this.configs, this.waiting, this.timers, this.attempts, this.runtimeMetadata,
                this.history, this.failures, this.origin.telemetryMetadata(), this.origin.createdAt(), now,
                this.origin.revision());
    }
}
