package io.hephaestus.core.steps;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.hephaestus.core.InvalidValueException;
import io.hephaestus.core.internal.StepKeys;

/**
 * {@link WaitForEvent} is the built-in step that parks the instance until an external event
 * resumes it, optionally with a timeout after which it resumes with {@code timeout}.
 *
 * <p>It accepts the events it is created with ({@code received} by default); a resume with any
 * other event is rejected. The {@code timeout} event of {@link #withTimeout} belongs to the timer:
 * callers cannot send it unless it is also one of the events the step is created with.
 *
 * @since 0.1.0
 */
public final class WaitForEvent implements Step {

    /** The default event. */
    public static final String RECEIVED = "received";

    /** The event a timed-out wait resumes with. */
    public static final String TIMEOUT = "timeout";

    private final String key;

    private final String name;

    private final Set<String> events;

    private final Set<String> accepted;

    private final Optional<Duration> timeout;

    private WaitForEvent(String key, Set<String> accepted, Optional<Duration> timeout) {
        this.key = Objects.requireNonNull(key, "key");
        this.name = StepKeys.pascalCase(key);
        if (accepted.isEmpty()) {
            throw new InvalidValueException("WaitForEvent '" + key + "' must accept at least one event");
        }
        Set<String> all = new LinkedHashSet<>(accepted);
        timeout.ifPresent((t) -> {
            if (t.isNegative()) {
                throw new InvalidValueException("WaitForEvent timeout must not be negative, got " + t);
            }
            all.add(TIMEOUT);
        });
        this.events = Set.copyOf(all);
        this.accepted = Set.copyOf(accepted);
        this.timeout = timeout;
    }

    /**
     * Return a step with the key {@code wait_for_event} that accepts {@code received}.
     * @return the step
     */
    public static WaitForEvent create() {
        return new WaitForEvent("wait_for_event", Set.of(RECEIVED), Optional.empty());
    }

    /**
     * Return a step with its own key that accepts the given events.
     * @param key the step key
     * @param events the external events that resume it
     * @return the step
     */
    public static WaitForEvent of(String key, String... events) {
        return new WaitForEvent(key, new LinkedHashSet<>(Arrays.asList(events)), Optional.empty());
    }

    /**
     * Return a copy of this step that resumes itself with {@code timeout} after {@code timeout}.
     * @param timeout how long to wait for an external event
     * @return the step
     */
    public WaitForEvent withTimeout(Duration timeout) {
        return new WaitForEvent(this.key, this.accepted, Optional.of(timeout));
    }

    @Override
    public Set<String> events() {
        return this.events;
    }

    @Override
    public Set<String> externalEvents() {
        return this.accepted;
    }

    @Override
    public StepResult execute(StepInput input) {
        return this.timeout.<StepResult>map((t) -> StepResult.resumeAfter(t, TIMEOUT)).orElseGet(StepResult::async);
    }

    @Override
    public String key() {
        return this.key;
    }

    /**
     * Return the display name: the key in PascalCase, so that two such steps differ in logs.
     * @return the display name, such as {@code WaitForEvent} for the default key
     */
    @Override
    public String name() {
        return this.name;
    }
}
