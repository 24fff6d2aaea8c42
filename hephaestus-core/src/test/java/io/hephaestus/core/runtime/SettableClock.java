package io.hephaestus.core.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An {@link InstantSource} that tests move by hand.
 */
public final class SettableClock implements InstantSource {

    private final AtomicReference<Instant> now;

    public SettableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public static SettableClock startingAt(String instant) {
        return new SettableClock(Instant.parse(instant));
    }

    @Override
    public Instant instant() {
        return this.now.get();
    }

    public void advance(Duration duration) {
        this.now.updateAndGet((instant) -> instant.plus(duration));
    }

    public void set(Instant instant) {
        this.now.set(instant);
    }
}
