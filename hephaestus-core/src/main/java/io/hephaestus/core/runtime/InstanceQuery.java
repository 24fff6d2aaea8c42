package io.hephaestus.core.runtime;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;

/**
 * {@link InstanceQuery} selects stored instances: every criterion that is set must match (AND).
 * Results are ordered newest first (by creation) and cut at {@link #limit()}.
 *
 * <pre>{@code
 * InstanceQuery.all().workflow("order").statuses(Status.WAITING).limit(50)
 * }</pre>
 *
 * @param id the business id to match, or empty for any
 * @param workflow the workflow name to match, or empty for any
 * @param version the workflow version to match, or 0 for any
 * @param statuses the statuses to match, or empty for any
 * @param limit the maximum number of results, positive
 * @since 0.1.0
 */
public record InstanceQuery(String id, String workflow, int version, Set<Status> statuses, int limit) {

    /** The limit of a query that does not set one. */
    public static final int DEFAULT_LIMIT = 1000;

    private static final InstanceQuery ALL = new InstanceQuery("", "", 0, Set.of(), DEFAULT_LIMIT);

    /**
     * Validate and copy the components.
     */
    public InstanceQuery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workflow, "workflow");
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative, got " + version);
        }
        statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
    }

    /**
     * Return the query that matches every instance (up to {@link #DEFAULT_LIMIT}).
     * @return the query
     */
    public static InstanceQuery all() {
        return ALL;
    }

    /**
     * Return a copy that matches only this business id.
     * @param id the business id
     * @return the query
     */
    public InstanceQuery id(String id) {
        return new InstanceQuery(id, this.workflow, this.version, this.statuses, this.limit);
    }

    /**
     * Return a copy that matches only this workflow.
     * @param workflow the workflow name
     * @return the query
     */
    public InstanceQuery workflow(String workflow) {
        return new InstanceQuery(this.id, workflow, this.version, this.statuses, this.limit);
    }

    /**
     * Return a copy that matches only this workflow version.
     * @param version the version, or 0 for any version
     * @return the query
     */
    public InstanceQuery version(int version) {
        return new InstanceQuery(this.id, this.workflow, version, this.statuses, this.limit);
    }

    /**
     * Return a copy that matches only these statuses.
     * @param statuses the statuses
     * @return the query
     */
    public InstanceQuery statuses(Status... statuses) {
        return new InstanceQuery(this.id, this.workflow, this.version, Set.copyOf(Arrays.asList(statuses)), this.limit);
    }

    /**
     * Return a copy that matches only these statuses.
     * @param statuses the statuses
     * @return the query
     */
    public InstanceQuery statuses(Set<Status> statuses) {
        return new InstanceQuery(this.id, this.workflow, this.version, statuses, this.limit);
    }

    /**
     * Return a copy with another limit.
     * @param limit the maximum number of results
     * @return the query
     */
    public InstanceQuery limit(int limit) {
        return new InstanceQuery(this.id, this.workflow, this.version, this.statuses, limit);
    }

    /**
     * Return whether an instance matches every criterion (the limit aside).
     * @param instance the instance
     * @return {@code true} if it matches
     */
    public boolean matches(Instance instance) {
        return (this.id.isEmpty() || this.id.equals(instance.id()))
                && (this.workflow.isEmpty() || this.workflow.equals(instance.workflow()))
                && (this.version == 0 || this.version == instance.workflowVersion())
                && (this.statuses.isEmpty() || this.statuses.contains(instance.status()));
    }
}
