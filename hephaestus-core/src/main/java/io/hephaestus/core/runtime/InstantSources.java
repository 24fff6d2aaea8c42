package io.hephaestus.core.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Conversions between wall-clock instants and telemetry's nanosecond values.
 */
final class InstantSources {

    private InstantSources() {
    }

    static long epochNanos(InstantSource clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    static long nanosBetween(Instant from, Instant to) {
        long nanos = Duration.between(from, to).toNanos();
        return Math.max(0, nanos);
    }
}
