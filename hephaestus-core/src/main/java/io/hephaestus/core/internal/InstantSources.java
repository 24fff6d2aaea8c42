package io.hephaestus.core.internal;

import java.time.Instant;
import java.time.InstantSource;

/**
 * Conversions between wall-clock instants and telemetry's nanosecond values, shared by the runners.
 */
public final class InstantSources {

    private InstantSources() {
    }

    /**
     * Return the clock's current time in nanoseconds since the Unix epoch.
     * @param clock the clock
     * @return the time, in nanoseconds
     */
    public static long epochNanos(InstantSource clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * Return the nanoseconds from {@code from} to {@code to}: 0 if {@code to} is earlier,
     * {@link Long#MAX_VALUE} beyond about 292 years. Allocates nothing.
     * @param from the start
     * @param to the end
     * @return the nanoseconds between them
     */
    public static long nanosBetween(Instant from, Instant to) {
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
