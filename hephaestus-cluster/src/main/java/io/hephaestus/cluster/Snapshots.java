package io.hephaestus.cluster;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

import io.hephaestus.core.engine.Instance;

/**
 * The newest snapshot of each active run that this node stored or read lately, so that a step
 * task this node picks soon after (usually one it scheduled itself: the first step of a run it
 * started, a branch of a fan-out it applied) starts without reading the instance again, and that
 * this node's writes of one run start from the snapshot the one before stored.
 *
 * <p>A snapshot may be stale: another node may have changed the instance since. That is safe
 * where it is used: the optimistic revision of {@link io.hephaestus.core.runtime.Storage#update}
 * rejects a change applied to a stale snapshot, which is then read again and the change re-applied,
 * and a snapshot in which the task's attempt is not the current one is read again before the task
 * is dropped. Snapshots expire after {@code maxAge}: no older one is used. A snapshot is only
 * replaced by one of the same or a higher revision. Of a finished run only that it finished is
 * kept (not its snapshot), until it expires, so that a late remembered read of an older snapshot
 * cannot bring the run back. At most {@code capacity} runs are remembered; the snapshots of active
 * runs hold their context, as the local runner holds every active instance.
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
     * @param capacity how many runs are remembered at most; more are not until {@link #expire} makes room
     */
    Snapshots(LongSupplier ticker, Duration maxAge, int capacity) {
        this.ticker = ticker;
        this.maxAgeNanos = maxAge.toNanos();
        this.capacity = capacity;
    }

    /**
     * Remember a snapshot just stored or read, unless a newer one of its run is known; of a finished
     * run, only that it finished.
     */
    void remember(Instance snapshot) {
        Entry fresh = new Entry(snapshot.status().isTerminal() ? null : snapshot, snapshot.revision(),
                this.ticker.getAsLong());
        if (this.byRun.size() >= this.capacity && !this.byRun.containsKey(snapshot.runId())) {
            return;
        }
        this.byRun.merge(snapshot.runId(), fresh, (known, next) -> (next.revision() >= known.revision()) ? next : known);
    }

    /**
     * Return the newest snapshot of an active run remembered within the maximum age.
     */
    Optional<Instance> fresh(String runId) {
        Entry entry = this.byRun.get(runId);
        if (entry == null || entry.snapshot() == null || this.ticker.getAsLong() - entry.at() > this.maxAgeNanos) {
            return Optional.empty();
        }
        return Optional.of(entry.snapshot());
    }

    /**
     * Return whether the run is remembered, within the maximum age, as finished.
     */
    boolean finished(String runId) {
        Entry entry = this.byRun.get(runId);
        return entry != null && entry.snapshot() == null && this.ticker.getAsLong() - entry.at() <= this.maxAgeNanos;
    }

    /**
     * Forget the snapshots older than the maximum age.
     */
    void expire() {
        long now = this.ticker.getAsLong();
        this.byRun.values().removeIf((entry) -> now - entry.at() > this.maxAgeNanos);
    }

    /**
     * Return how many runs are remembered.
     */
    int size() {
        return this.byRun.size();
    }

    /**
     * What is remembered of one run: its newest snapshot (null once it finished), the revision of
     * that snapshot, and when it was remembered.
     */
    private record Entry(@Nullable Instance snapshot, long revision, long at) {
    }
}
