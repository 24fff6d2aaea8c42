package io.hephaestus.cluster;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.hephaestus.core.engine.Instance;

/**
 * The newest snapshot of each run that this node stored or read lately, so that a step task this
 * node picks soon after (usually one it scheduled itself: the first step of a run it started, a
 * branch of a fan-out it applied) starts without reading the instance again.
 *
 * <p>A snapshot may be stale: another node may have changed the instance since. That is safe
 * where it is used: the optimistic revision of {@link io.hephaestus.core.runtime.Storage#update}
 * rejects a change applied to a stale snapshot, which is then read again and the change re-applied,
 * and a snapshot in which the task's attempt is not the current one is read again before the task
 * is dropped. Snapshots expire after {@code maxAge}: no older one is used. A finished run's
 * snapshot is kept until it expires, so that a late write of an older snapshot cannot replace it;
 * a snapshot is only replaced by one of the same or a higher revision.
 */
final class Snapshots {

    private final ConcurrentHashMap<String, Entry> byRun = new ConcurrentHashMap<>();

    private final LongSupplier ticker;

    private final long maxAgeNanos;

    private final int capacity;

    /**
     * Create an empty cache.
     * @param ticker the monotonic nanosecond clock of the snapshots' ages
     * @param maxAge the age after which a snapshot is no longer used
     * @param capacity how many runs' snapshots are kept at most; more are not remembered until
     * {@link #expire} makes room
     */
    Snapshots(LongSupplier ticker, Duration maxAge, int capacity) {
        this.ticker = ticker;
        this.maxAgeNanos = maxAge.toNanos();
        this.capacity = capacity;
    }

    /**
     * Remember a snapshot just stored or read, unless a newer one of its run is known.
     */
    void remember(Instance snapshot) {
        Entry fresh = new Entry(snapshot, this.ticker.getAsLong());
        if (this.byRun.size() >= this.capacity && !this.byRun.containsKey(snapshot.runId())) {
            return;
        }
        this.byRun.merge(snapshot.runId(), fresh,
                (known, next) -> (next.snapshot().revision() >= known.snapshot().revision()) ? next : known);
    }

    /**
     * Return the newest snapshot of a run remembered within the maximum age.
     */
    Optional<Instance> fresh(String runId) {
        Entry entry = this.byRun.get(runId);
        if (entry == null || this.ticker.getAsLong() - entry.at() > this.maxAgeNanos) {
            return Optional.empty();
        }
        return Optional.of(entry.snapshot());
    }

    /**
     * Forget the snapshots older than the maximum age.
     */
    void expire() {
        long now = this.ticker.getAsLong();
        this.byRun.values().removeIf((entry) -> now - entry.at() > this.maxAgeNanos);
    }

    /**
     * Return how many runs' snapshots are remembered.
     */
    int size() {
        return this.byRun.size();
    }

    private record Entry(Instance snapshot, long at) {
    }
}
