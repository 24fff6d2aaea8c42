package io.hephaestus.core.steps;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import io.hephaestus.core.InvalidValueException;
import io.hephaestus.core.internal.StepKeys;

/**
 * {@link Wait} is the built-in step that pauses a branch for a fixed time: it parks the instance
 * and the runner resumes it with the event {@code timeout} once the duration has passed. The timer
 * is stored with the instance, so it survives a restart of the runner.
 *
 * <p>The duration may be overridden per transition with a config entry {@code duration_ms}.
 *
 * <p>The {@code timeout} event belongs to the timer: callers cannot resume a {@code Wait} (and so
 * skip it) unless the step opts in with {@link #resumableByCallers()}.
 *
 * @since 0.1.0
 */
public final class Wait implements Step {

    /** The event a {@code Wait} resumes with. */
    public static final String TIMEOUT = "timeout";

    /** The config entry that overrides the duration, in milliseconds. */
    public static final String DURATION_MS = "duration_ms";

    private final String key;

    private final String name;

    private final Duration duration;

    private final boolean resumableByCallers;

    private Wait(String key, Duration duration, boolean resumableByCallers) {
        this.key = Objects.requireNonNull(key, "key");
        this.name = StepKeys.pascalCase(key);
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new InvalidValueException("Wait duration must not be negative, got " + duration);
        }
        this.duration = duration;
        this.resumableByCallers = resumableByCallers;
    }

    /**
     * Return a {@code Wait} with the key {@code wait}.
     * @param duration how long to wait
     * @return the step
     */
    public static Wait of(Duration duration) {
        return new Wait("wait", duration, false);
    }

    /**
     * Return a {@code Wait} with its own key, so that one workflow can wait at several places.
     * @param key the step key
     * @param duration how long to wait
     * @return the step
     */
    public static Wait of(String key, Duration duration) {
        return new Wait(key, duration, false);
    }

    /**
     * Return the default duration of this wait.
     * @return the duration
     */
    public Duration duration() {
        return this.duration;
    }

    /**
     * Return a copy that callers may end early by resuming it with {@code timeout}.
     * @return the step
     */
    public Wait resumableByCallers() {
        return new Wait(this.key, this.duration, true);
    }

    @Override
    public Set<String> events() {
        return Set.of(TIMEOUT);
    }

    @Override
    public Set<String> externalEvents() {
        return this.resumableByCallers ? Set.of(TIMEOUT) : Set.of();
    }

    @Override
    public StepResult execute(StepInput input) {
        Object override = input.config().get(DURATION_MS);
        if (override == null) {
            return StepResult.resumeAfter(this.duration, TIMEOUT);
        }
        if (!(override instanceof Number millis) || !isWholeMillis(millis.doubleValue())) {
            return StepResult.failed("config " + DURATION_MS + " must be a whole, non-negative number of milliseconds, got "
                    + override);
        }
        return StepResult.resumeAfter(Duration.ofMillis(millis.longValue()), TIMEOUT);
    }

    private static boolean isWholeMillis(double millis) {
        return millis >= 0 && millis <= Long.MAX_VALUE && millis == Math.rint(millis);
    }

    @Override
    public String key() {
        return this.key;
    }

    /**
     * Return the display name: the key in PascalCase, so that two such steps differ in logs.
     * @return the display name, such as {@code Wait} for the default key
     */
    @Override
    public String name() {
        return this.name;
    }
}
