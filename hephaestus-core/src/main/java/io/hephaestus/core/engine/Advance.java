package io.hephaestus.core.engine;

import java.util.List;
import java.util.Objects;

/**
 * {@link Advance} is the outcome of one engine operation: the next instance snapshot and the
 * effects the runtime must apply once it is stored.
 *
 * @param instance the new snapshot
 * @param effects what to do next, in order
 * @since 0.1.0
 */
public record Advance(Instance instance, List<Effect> effects) {

    /**
     * Validate and copy the components.
     */
    public Advance {
        Objects.requireNonNull(instance, "instance");
        effects = List.copyOf(effects);
    }

    /**
     * Return an outcome that changes nothing.
     * @param instance the unchanged instance
     * @return the outcome
     */
    public static Advance unchanged(Instance instance) {
        return new Advance(instance, List.of());
    }
}
