package io.hephaestus.core.runtime;

/**
 * {@link ConflictPolicy} says what a start does when an active instance already holds the business
 * id in the workflow's uniqueness scope.
 *
 * @since 0.1.0
 */
public enum ConflictPolicy {

    /** Throw a {@link DuplicateInstanceException} (the default). */
    REJECT,

    /** Return the existing active instance, so that a retried start is idempotent. */
    RETURN_EXISTING
}
