package io.hephaestus.core.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;

/**
 * {@link Runner} executes workflow instances: it starts them, runs their steps, parks and resumes
 * waiting ones, fires their timers and cancels them. Every operation either succeeds with a
 * definite result or throws a {@link io.hephaestus.core.HephaestusException} that names what is
 * wrong; a rejected call leaves the stored instance unchanged.
 *
 * <p>Instances are addressed by workflow name and either the business value given to
 * {@link #start} ({@code 42}) or the full business id ({@code orderid::42}); when several runs share
 * an id, the active one (for {@code resume} and {@code cancel}) or the newest one (for {@code get}
 * and {@code whenFinished}) is meant. Instances of a workflow whose uniqueness scope is
 * {@code none} carry a random suffix in their id and are addressed by that full id.
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
     * Send an external event to an active instance. If a waiting step accepts it, the step is
     * resumed and the result is {@link ResumeResult.Delivered}; the steps it activates run
     * asynchronously. If no step waits for it yet but a step that has not run yet accepts it (an
     * early webhook), the event is queued with the instance and delivered when that step starts
     * waiting: the result is {@link ResumeResult.Queued}. Events that only a step's own timer may send
     * (such as a {@link io.hephaestus.core.steps.Wait Wait}'s {@code timeout}) are not accepted.
     * @param request which instance, step and event
     * @return what happened to the event, and the instance after it
     * @throws InstanceNotFoundException if no instance of the workflow has the id
     * @throws io.hephaestus.core.engine.IllegalResumeException if the instance is completed, failed or
     * cancelled, or no step that is waiting or still to run accepts the event (the message lists those
     * that do)
     * @throws io.hephaestus.core.InvalidValueException if the business value or the event data is not acceptable
     */
    ResumeResult resume(ResumeRequest request);

    /**
     * Send an event to whichever step accepts it, as {@link #resume(ResumeRequest)} does.
     * @param workflow the workflow name
     * @param id the business value or full business id
     * @param event the event
     * @return what happened to the event, and the instance after it
     */
    default ResumeResult resume(String workflow, String id, String event) {
        return resume(ResumeRequest.of(workflow, id, event));
    }

    /**
     * Cancel an active instance: its running steps are interrupted, its timers cancelled, and it
     * becomes {@code cancelled}.
     * @param workflow the workflow name
     * @param id the business value or full business id
     * @return the cancelled instance
     * @throws InstanceNotFoundException if no instance of the workflow has the id
     * @throws io.hephaestus.core.engine.InstanceStateException if the instance is already completed, failed or cancelled
     */
    Instance cancel(String workflow, String id);

    /**
     * Return the newest run of an instance.
     * @param workflow the workflow name
     * @param id the business value or full business id
     * @return the instance, or empty if there is none
     */
    Optional<Instance> get(String workflow, String id);

    /**
     * Return a future that completes with the newest run of an instance once it is completed,
     * failed or cancelled (at once if it already is). The future completes exceptionally with
     * {@link IllegalStateException} if the runner closes first. Completing or cancelling the returned
     * future affects nobody else. The {@link LocalRunner} completes it after the telemetry of the
     * run's end ({@code workflow.stop}, {@code workflow.exception}, {@code workflow.cancel}) for
     * the runs it drives. Otherwise (a run finished by another node of a cluster, or a future asked
     * for of the cluster runner just after the end was stored) it completes once the storage holds
     * the end, and the end's event may follow a moment later from the thread that stored it.
     * @param workflow the workflow name
     * @param id the business value or full business id
     * @return the future finished instance
     * @throws InstanceNotFoundException if no instance of the workflow has the id
     */
    CompletableFuture<Instance> whenFinished(String workflow, String id);

    /**
     * Wait until the newest run of an instance is completed, failed or cancelled.
     * @param workflow the workflow name
     * @param id the business value or full business id
     * @param timeout how long to wait at most
     * @return the finished instance
     * @throws InstanceNotFoundException if no instance of the workflow has the id
     * @throws TimeoutException if it has not finished within {@code timeout}
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    default Instance awaitFinished(String workflow, String id, Duration timeout)
            throws InterruptedException, TimeoutException {
        CompletableFuture<Instance> finished = whenFinished(workflow, id);
        try {
            return finished.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (TimeoutException ex) {
            String status = get(workflow, id).map((instance) -> instance.status().value()).orElse("gone");
            TimeoutException timedOut = new TimeoutException("instance " + id + " of workflow " + workflow
                    + " did not finish within " + timeout + "; it is " + status);
            timedOut.initCause(ex);
            throw timedOut;
        }
        catch (ExecutionException ex) {
            Throwable cause = ex.getCause();
            throw (cause instanceof RuntimeException runtime) ? runtime : new IllegalStateException(cause);
        }
        finally {
            finished.cancel(false);
        }
    }

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
