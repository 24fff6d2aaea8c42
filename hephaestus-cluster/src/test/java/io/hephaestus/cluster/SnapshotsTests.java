package io.hephaestus.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.hephaestus.core.engine.Engine;
import io.hephaestus.core.engine.Instance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The snapshots a node keeps: the newest revision of each run, used within their maximum age, at
 * most as many runs as the capacity until the older ones expire.
 */
class SnapshotsTests {

    private final AtomicLong nanos = new AtomicLong();

    private final Snapshots snapshots = new Snapshots(this.nanos::get, Duration.ofSeconds(1), 2);

    @Test
    void keepsTheNewestRevisionOfARunAndNoOlderOne() {
        Instance first = instance("run-1").withRevision(1);
        this.snapshots.remember(first.withRevision(2));
        this.snapshots.remember(first);

        assertThat(this.snapshots.fresh("run-1")).hasValueSatisfying((kept) -> assertThat(kept.revision()).isEqualTo(2));
        assertThat(this.snapshots.fresh("run-2")).isEmpty();
    }

    @Test
    void finishedRunKeepsOnlyThatItFinishedAndNoOlderSnapshotBringsItBack() {
        Instance active = instance("run-1").withRevision(1);
        Instance cancelled = Engine.cancel(active, Instant.EPOCH).instance().withRevision(2);
        assertThat(cancelled.status().isTerminal()).isTrue();
        this.snapshots.remember(active);
        this.snapshots.remember(cancelled);
        this.snapshots.remember(active);

        assertThat(this.snapshots.fresh("run-1")).isEmpty();
        assertThat(this.snapshots.finished("run-1")).isTrue();
        assertThat(this.snapshots.finished("run-2")).isFalse();
        this.nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(this.snapshots.finished("run-1")).isFalse();
    }

    @Test
    void snapshotOlderThanTheMaximumAgeIsNotUsedAndExpires() {
        this.snapshots.remember(instance("run-1").withRevision(1));
        this.nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(this.snapshots.fresh("run-1")).isPresent();

        this.nanos.incrementAndGet();
        assertThat(this.snapshots.fresh("run-1")).isEmpty();
        this.snapshots.expire();
        assertThat(this.snapshots.size()).isZero();
    }

    @Test
    void remembersNoMoreRunsThanItsCapacityUntilOldOnesExpire() {
        this.snapshots.remember(instance("run-1").withRevision(1));
        this.nanos.addAndGet(Duration.ofMillis(600).toNanos());
        this.snapshots.remember(instance("run-2").withRevision(1));
        this.snapshots.remember(instance("run-3").withRevision(1));
        assertThat(this.snapshots.fresh("run-3")).isEmpty();
        // A run already known is still updated when full.
        this.snapshots.remember(instance("run-2").withRevision(2));
        assertThat(this.snapshots.fresh("run-2")).hasValueSatisfying((kept) -> assertThat(kept.revision()).isEqualTo(2));

        this.nanos.addAndGet(Duration.ofMillis(600).toNanos());
        this.snapshots.expire();
        this.snapshots.remember(instance("run-3").withRevision(1));
        assertThat(this.snapshots.size()).isEqualTo(2);
        assertThat(this.snapshots.fresh("run-1")).isEmpty();
        assertThat(this.snapshots.fresh("run-3")).isPresent();
    }

    private static Instance instance(String runId) {
        return Instance.create(runId, "id::" + runId, "w", 1, Map.of(), Map.of(), Instant.EPOCH);
    }
}
