package io.hephaestus.core.runtime;

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

    /**
     * Return the nanoseconds from {@code from} to {@code to}: 0 if {@code to} is earlier,
     * {@link Long#MAX_VALUE} beyond about 292 years. Allocates nothing.
     */
    static long nanosBetween(Instant from, Instant to) {
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
