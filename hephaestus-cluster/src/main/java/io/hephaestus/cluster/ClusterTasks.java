package io.hephaestus.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;

/**
 * {@link ClusterTasks} are the db-scheduler tasks a {@link ClusterRunner} runs on: a db-scheduler
 * {@code Scheduler} must know them when it is built, before the runner exists, so they are created
 * first and bound to the runner when it is built.
 *
 * <ul>
 * <li>{@value #STEP_TASK}: one attempt of one step, instance id {@code <run id>/<step key>/<attempt>},
 * due at once or, for a retry, after its backoff;</li>
 * <li>{@value #TIMER_TASK}: the timer of a waiting step, instance id
 * {@code <run id>/<step key>/<due epoch millis>}, due when the timer is;</li>
 * <li>{@value #CHECK_TASK}: a safety net scheduled before each resume (and each start that does not
 * reach a step at once), instance id
 * {@code <run id>/<tag>}: if the node dies before the change is stored and its tasks are scheduled,
 * another node finishes the job when it is due; otherwise it is deleted.</li>
 * </ul>
 *
 * <p>A task whose execution throws (the storage is down, or no runner is bound) is tried again
 * after a backoff that doubles from 1 s to 30 s. A dead execution (its node stopped heartbeating)
 * is revived by db-scheduler and runs again on any node: steps run at least once.
 *
 * <p>With an existing scheduler, for example the db-scheduler Spring Boot starter's, register
 * {@link #all()} with it (as {@code Task} beans for the starter) and pass the same
 * {@code ClusterTasks} to {@link ClusterRunner.Builder#scheduler}.
 *
 * @since 0.1.0
 */
public final class ClusterTasks {

    /** The name of the db-scheduler task that executes one attempt of one step. */
    public static final String STEP_TASK = "hephaestus-step";

    /** The name of the db-scheduler task that fires the timer of a waiting step. */
    public static final String TIMER_TASK = "hephaestus-timer";

    /** The name of the db-scheduler task that completes a start or resume whose node died. */
    public static final String CHECK_TASK = "hephaestus-check";

    private static final Logger logger = LoggerFactory.getLogger(ClusterTasks.class);

    private final AtomicReference<@Nullable Handler> handler = new AtomicReference<>();

    private final OneTimeTask<Void> step;

    private final OneTimeTask<Void> timer;

    private final OneTimeTask<Void> check;

    private ClusterTasks() {
        this.step = new OneTimeTask<>(STEP_TASK, Void.class, new Backoff()) {

            @Override
            public CompletionHandler<Void> execute(TaskInstance<Void> instance, ExecutionContext context) {
                Handler bound = handler(STEP_TASK);
                if (bound.step(instance.getId(), context.getExecution().consecutiveFailures)) {
                    // The run ended: no task of it is scheduled any more, so its row may go later, in a batch.
                    return (complete, operations) -> {
                        if (!bound.removeLater(complete.getExecution())) {
                            operations.remove();
                        }
                    };
                }
                return new CompletionHandler.OnCompleteRemove<>();
            }

            @Override
            public void executeOnce(TaskInstance<Void> instance, ExecutionContext context) {
                throw new UnsupportedOperationException("executed through execute");
            }
        };
        this.timer = Tasks.oneTime(TIMER_TASK)
            .onFailure(new Backoff())
            .execute((instance, context) -> handler(TIMER_TASK).timer(instance.getId()));
        this.check = Tasks.oneTime(CHECK_TASK)
            .onFailure(new Backoff())
            .execute((instance, context) -> handler(CHECK_TASK).check(instance.getId()));
    }

    /**
     * Return a new set of tasks, bound to no runner yet.
     * @return the tasks
     */
    public static ClusterTasks create() {
        return new ClusterTasks();
    }

    /**
     * Return the tasks to register with a db-scheduler {@code Scheduler}.
     * @return the step, timer and check tasks
     */
    public List<Task<?>> all() {
        return List.of(this.step, this.timer, this.check);
    }

    /**
     * Return the {@value #STEP_TASK} task, for example to register it as a {@code Task} bean.
     * @return the step task
     */
    public OneTimeTask<Void> step() {
        return this.step;
    }

    /**
     * Return the {@value #TIMER_TASK} task.
     * @return the timer task
     */
    public OneTimeTask<Void> timer() {
        return this.timer;
    }

    /**
     * Return the {@value #CHECK_TASK} task.
     * @return the check task
     */
    public OneTimeTask<Void> check() {
        return this.check;
    }

    /**
     * Bind the tasks to a runner.
     * @throws IllegalStateException if another runner is bound
     */
    void bind(Handler bound) {
        if (!this.handler.compareAndSet(null, bound)) {
            throw new IllegalStateException("these ClusterTasks are already bound to a cluster runner; create one "
                    + "ClusterTasks (and one db-scheduler Scheduler) per runner");
        }
    }

    void unbind(Handler bound) {
        this.handler.compareAndSet(bound, null);
    }

    private Handler handler(String task) {
        Handler bound = this.handler.get();
        if (bound == null) {
            throw new IllegalStateException("no open cluster runner is bound to db-scheduler task " + task
                    + " on this node; the execution is tried again later");
        }
        return bound;
    }

    /**
     * What the tasks do, implemented by the runner they are bound to.
     */
    interface Handler {

        /**
         * Execute a step task.
         * @return whether its run has ended, so that the task's row may be removed later
         */
        boolean step(String id, int failures);

        /**
         * Remove the row of a step task execution of an ended run later, in a batch.
         * @return false if the row is to be removed now instead
         */
        boolean removeLater(Execution execution);

        void timer(String id);

        void check(String id);
    }

    /**
     * Try a failed execution again after 1 s, 2 s, 4 s, … up to 30 s.
     */
    private static final class Backoff implements FailureHandler<Void> {

        private static final long MAX_DELAY_MILLIS = 30_000;

        @Override
        public void onFailure(ExecutionComplete complete, ExecutionOperations<Void> operations) {
            int failures = complete.getExecution().consecutiveFailures;
            long delay = Math.min(MAX_DELAY_MILLIS, 1000L << Math.min(failures, 5));
            Instant next = complete.getTimeDone().plus(Duration.ofMillis(delay));
            logger.debug("Execution {} failed ({} failures before); trying again at {}", complete.getExecution(),
                    failures, next);
            operations.reschedule(complete, next);
        }
    }
}
