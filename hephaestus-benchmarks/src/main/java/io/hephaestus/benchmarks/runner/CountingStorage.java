package io.hephaestus.benchmarks.runner;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.CreateResult;
import io.hephaestus.core.runtime.InstanceQuery;
import io.hephaestus.core.runtime.Storage;

/**
 * {@link CountingStorage} passes every call to another {@link Storage} and counts the calls the
 * runner makes: creates and updates (the storage writes of a workflow), and the reads ({@code get}
 * and {@code query}), with the time the runner spent blocked in creates and updates.
 */
final class CountingStorage implements Storage {

    private final Storage target;

    private final LongAdder creates = new LongAdder();

    private final LongAdder createNanos = new LongAdder();

    private final LongAdder updates = new LongAdder();

    private final LongAdder updateNanos = new LongAdder();

    private final LongAdder gets = new LongAdder();

    private final LongAdder queries = new LongAdder();

    /**
     * Wrap a storage.
     * @param target the storage that does the work
     */
    CountingStorage(Storage target) {
        this.target = target;
    }

    /**
     * Return the counts so far; subtract two of them to get the counts of an interval.
     * @return the counts
     */
    Counts counts() {
        return new Counts(this.creates.sum(), this.createNanos.sum(), this.updates.sum(), this.updateNanos.sum(),
                this.gets.sum(), this.queries.sum());
    }

    @Override
    public CreateResult create(Instance instance, UniquenessScope scope) {
        long started = System.nanoTime();
        try {
            return this.target.create(instance, scope);
        }
        finally {
            this.createNanos.add(System.nanoTime() - started);
            this.creates.increment();
        }
    }

    @Override
    public Instance update(Instance instance) {
        long started = System.nanoTime();
        try {
            return this.target.update(instance);
        }
        finally {
            this.updateNanos.add(System.nanoTime() - started);
            this.updates.increment();
        }
    }

    @Override
    public Optional<Instance> get(String runId) {
        this.gets.increment();
        return this.target.get(runId);
    }

    @Override
    public List<Instance> query(InstanceQuery query) {
        this.queries.increment();
        return this.target.query(query);
    }

    @Override
    public Map<Status, Long> countByStatus(String workflow) {
        return this.target.countByStatus(workflow);
    }

    @Override
    public boolean delete(String runId) {
        return this.target.delete(runId);
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff, int limit) {
        return this.target.deleteFinishedBefore(cutoff, limit);
    }

    @Override
    public boolean isDurable() {
        return this.target.isDurable();
    }

    @Override
    public String name() {
        return this.target.name();
    }

    /**
     * Counts of a {@link CountingStorage}, cumulative or over an interval.
     * @param creates calls of {@code create}
     * @param createNanos time spent in {@code create}
     * @param updates calls of {@code update}
     * @param updateNanos time spent in {@code update}
     * @param gets calls of {@code get}
     * @param queries calls of {@code query}
     */
    record Counts(long creates, long createNanos, long updates, long updateNanos, long gets, long queries) {

        /** No counts. */
        static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0);

        /**
         * Return these counts minus earlier ones.
         * @param earlier the counts at the start of the interval
         * @return the counts of the interval
         */
        Counts minus(Counts earlier) {
            return new Counts(this.creates - earlier.creates, this.createNanos - earlier.createNanos,
                    this.updates - earlier.updates, this.updateNanos - earlier.updateNanos, this.gets - earlier.gets,
                    this.queries - earlier.queries);
        }
    }
}
