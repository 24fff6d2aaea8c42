package io.hephaestus.core.steps;

import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hephaestus.core.internal.StepKeys;

/**
 * {@link Debug} is the built-in step that logs the instance context at DEBUG level and completes
 * with {@code completed}.
 *
 * @since 0.1.0
 */
public final class Debug implements Step {

    /** The event {@code Debug} emits. */
    public static final String COMPLETED = "completed";

    private static final Logger logger = LoggerFactory.getLogger(Debug.class);

    private final String key;

    private final String name;

    private Debug(String key) {
        this.key = Objects.requireNonNull(key, "key");
        this.name = StepKeys.pascalCase(key);
    }

    /**
     * Return a {@code Debug} step with the key {@code debug}.
     * @return the step
     */
    public static Debug create() {
        return new Debug("debug");
    }

    /**
     * Return a {@code Debug} step with its own key.
     * @param key the step key
     * @return the step
     */
    public static Debug of(String key) {
        return new Debug(key);
    }

    @Override
    public Set<String> events() {
        return Set.of(COMPLETED);
    }

    /**
     * Return no event: this step never waits, so callers have nothing to send it.
     * @return an empty set
     */
    @Override
    public Set<String> externalEvents() {
        return Set.of();
    }

    @Override
    public StepResult execute(StepInput input) {
        if (logger.isDebugEnabled()) {
            logger.debug("Debug step instance={} initial={} steps={}", input.instanceId(), input.context().initial(),
                    input.context().steps());
        }
        return StepResult.completed(COMPLETED);
    }

    @Override
    public String key() {
        return this.key;
    }

    /**
     * Return the display name: the key in PascalCase, so that two such steps differ in logs.
     * @return the display name, such as {@code Debug} for the default key
     */
    @Override
    public String name() {
        return this.name;
    }
}
