package io.hephaestus.core.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;

/**
 * {@link Storage} keeps workflow instances. It is the runner's only shared state, so a durable
 * implementation (such as one on PostgreSQL) makes instances survive restarts and lets several
 * nodes share work.
 *
 * <p><strong>Contract.</strong> Instances are keyed by {@link Instance#runId()}; several runs may
 * share a business {@link Instance#id()} over time. {@link #create} is atomic: it checks uniqueness
 * and inserts in one step. {@link #update} is optimistic: it succeeds only if the stored revision
 * equals the given one, and stores the next revision. Implementations must be thread-safe; calls
 * may block on I/O (runners call them from their own threads, never from a step).
 *
 * <p><strong>Queries.</strong> A {@link #query} returns each matching instance at most once, and
 * never misses an instance that matched the query for the whole time it ran, even while other
 * threads change statuses; an instance that changed during the query may or may not be returned, in
 * its latest matching state.
 *
 * <p><strong>Failures.</strong> Besides the exceptions each method documents, a backend that cannot
 * do its work throws a {@link StorageException}: a {@link StorageUnavailableException} when it
 * cannot reach its database (the call may succeed later), a plain {@code StorageException} for
 * any other failure of the backend. Values that the backend cannot store are rejected with an
 * {@link io.hephaestus.core.InvalidValueException} naming the value, and nothing is written.
 *
 * @since 0.1.0
 */
public interface Storage {

    /**
     * Store a new instance unless an active instance (pending, running or waiting) already holds its
     * business id within {@code scope}: any workflow for {@link UniquenessScope#GLOBAL}, the same
     * workflow for {@link UniquenessScope#WORKFLOW}, the same workflow and version for
     * {@link UniquenessScope#VERSION}; {@link UniquenessScope#NONE} never conflicts. Check and insert
     * are atomic.
     * @param instance the new instance, revision 0
     * @param scope the uniqueness scope of its workflow
     * @return the stored instance (revision 1), or the conflicting active instance
     * @throws IllegalArgumentException if the instance has a non-zero revision or its run id is taken
     */
    CreateResult create(Instance instance, UniquenessScope scope);

    /**
     * Replace a stored instance, if nobody changed it since it was read.
     * @param instance the new snapshot, carrying the revision it was derived from
     * @return the stored snapshot, with the next revision
     * @throws StaleInstanceException if the stored revision differs
     * @throws InstanceNotFoundException if no instance has this run id
     * @throws IllegalArgumentException if the update changes the run's id, workflow or version
     */
    Instance update(Instance instance);

    /**
     * Return an instance by run id.
     * @param runId the run id
     * @return the instance, or empty if there is none
     */
    Optional<Instance> get(String runId);

    /**
     * Return the instances matching a query, newest first, at most {@link InstanceQuery#limit()}.
     * @param query the criteria
     * @return the matching instances
     */
    List<Instance> query(InstanceQuery query);

    /**
     * Return the number of instances per status, for one workflow or all.
     * @param workflow the workflow name, or empty for all workflows
     * @return a count for every status (zero included), in {@link Status} order
     */
    Map<Status, Long> countByStatus(String workflow);

    /**
     * Remove an instance. Idempotent.
     * @param runId the run id
     * @return {@code true} if an instance was removed
     */
    boolean delete(String runId);

    /**
     * Delete finished instances (completed, failed or cancelled) whose last update, the time they
     * finished, is before {@code cutoff}: oldest first, at most {@code limit} of them. Active
     * instances are never deleted, locked or waited for, so a retention sweep can call this in
     * batches while the runner works.
     * @param cutoff instances that finished before this instant are deleted
     * @param limit the maximum number of instances to delete in this call, positive
     * @return how many instances were deleted, from 0 to {@code limit}
     * @throws IllegalArgumentException if {@code limit} is not positive
     * @throws UnsupportedOperationException if this storage has no retention (this default); every
     * storage of Hephaestus implements it
     * @since 0.1.0
     */
    default int deleteFinishedBefore(Instant cutoff, int limit) {
        throw new UnsupportedOperationException("storage '" + name() + "' cannot delete finished instances");
    }

    /**
     * Return whether instances outlive the process: {@code true} for a database, {@code false} for
     * memory. A runner that stops with active instances in a storage that is not durable warns that
     * they are lost.
     * @return {@code true} unless this storage keeps instances only in memory
     */
    default boolean isDurable() {
        return true;
    }

    /**
     * Return a short name for this storage, used in telemetry and health details.
     * @return the name, such as {@code in-memory}
     */
    default String name() {
        return getClass().getSimpleName();
    }
}
