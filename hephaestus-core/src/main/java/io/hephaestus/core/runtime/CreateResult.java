package io.hephaestus.core.runtime;

import java.util.Objects;

import io.hephaestus.core.engine.Instance;

/**
 * {@link CreateResult} is the outcome of {@link Storage#create}: the instance was stored, or an
 * active instance with the same business id in the same uniqueness scope already exists.
 *
 * @since 0.1.0
 */
public sealed interface CreateResult {

    /**
     * The instance was stored.
     *
     * @param instance the stored instance, with its first revision
     */
    record Created(Instance instance) implements CreateResult {

        /**
         * Validate the components.
         */
        public Created {
            Objects.requireNonNull(instance, "instance");
        }
    }

    /**
     * Nothing was stored: {@code existing} holds the business id.
     *
     * @param existing the active instance that holds the id
     */
    record Conflict(Instance existing) implements CreateResult {

        /**
         * Validate the components.
         */
        public Conflict {
            Objects.requireNonNull(existing, "existing");
        }
    }
}
