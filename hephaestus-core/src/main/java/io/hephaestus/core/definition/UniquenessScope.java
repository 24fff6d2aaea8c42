package io.hephaestus.core.definition;

/**
 * {@link UniquenessScope} says among which instances a business id must be unique while they are
 * active (pending, running or waiting).
 *
 * @since 0.1.0
 */
public enum UniquenessScope {

    /** At most one active instance per id among all versions of the same workflow (the default). */
    WORKFLOW,

    /** At most one active instance per id among instances of the same workflow version. */
    VERSION,

    /** At most one active instance per id across every workflow. */
    GLOBAL,

    /** No uniqueness: every start gets a fresh id with a random suffix. */
    NONE
}
