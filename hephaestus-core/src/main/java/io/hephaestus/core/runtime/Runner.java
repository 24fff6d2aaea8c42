package io.hephaestus.core.runtime;

import java.util.List;
import java.util.Optional;

import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;

/**
 * {@link Runner} executes workflow instances: it starts them, runs their steps, parks and resumes
 * waiting ones, fires their timers and cancels them. Every operation either succeeds with a
 * definite result or throws a {@link io.hephaestus.core.HephaestusException} that names what is
 * wrong; a rejected call leaves the stored instance unchanged.
 *
 * <p>Instances are addressed by workflow name and business id ({@code orderid::42}); when several
 * runs share an id, the active one (for {@code resume} and {@code cancel}) or the newest one (for
 * {@code get}) is meant.
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1.0
 */
public interface Runner extends AutoCloseable {

    /**
     * Start an instance. Returns once the instance is stored and its first step dispatched; steps
     * run asynchronously.
     * @param request what to start
     * @return the started instance (or the existing one, under {@link ConflictPolicy#RETURN_EXISTING})
     * @throws io.hephaestus.core.definition.UnknownWorkflowException if the workflow or version is not registered
     * @throws io.hephaestus.core.InvalidValueException if the business value, context or metadata is not acceptable
     * @throws DuplicateInstanceException if an active instance holds the id and the policy is {@link ConflictPolicy#REJECT}
     */
    Instance start(StartRequest request);

    /**
     * Resume a waiting step with an external event. Returns once the event is applied; the steps
     * it activates run asynchronously.
     * @param request which instance, step and event
     * @return the instance after the resume
     * @throws InstanceNotFoundException if no instance of the workflow has the id
     * @throws io.hephaestus.core.engine.IllegalResumeException if the instance is not waiting, or no waiting step accepts the event
     */
    Instance resume(ResumeRequest request);

    /**
     * Resume the waiting step that declares {@code event}.
     * @param workflow the workflow name
     * @param id the business id
     * @param event the event
     * @return the instance after the resume
     */
    default Instance resume(String workflow, String id, String event) {
        return resume(ResumeRequest.of(workflow, id, event));
    }

    /**
     * Cancel an active instance: its running steps are interrupted, its timers cancelled, and it
     * becomes {@code cancelled}.
     * @param workflow the workflow name
     * @param id the business id
     * @return the cancelled instance
     * @throws InstanceNotFoundException if no instance of the workflow has the id
     * @throws io.hephaestus.core.engine.InstanceStateException if the instance is already completed, failed or cancelled
     */
    Instance cancel(String workflow, String id);

    /**
     * Return the newest run of an instance.
     * @param workflow the workflow name
     * @param id the business id
     * @return the instance, or empty if there is none
     */
    Optional<Instance> get(String workflow, String id);

    /**
     * Return stored instances.
     * @param query the criteria
     * @return the matching instances, newest first
     */
    List<Instance> list(InstanceQuery query);

    /**
     * Return the registered workflows.
     * @return the registry
     */
    WorkflowRegistry registry();

    /**
     * Return the storage the runner keeps instances in.
     * @return the storage
     */
    Storage storage();

    /**
     * Return the runner's name, used in telemetry.
     * @return the name
     */
    String name();

    /**
     * Return whether the runner accepts new work (it does from construction until {@link #close()}).
     * @return {@code true} while the runner is open
     */
    boolean isAccepting();

    /**
     * Stop accepting work and release threads. Active instances stay in storage and are picked up
     * again by the next runner on the same storage.
     */
    @Override
    void close();
}
