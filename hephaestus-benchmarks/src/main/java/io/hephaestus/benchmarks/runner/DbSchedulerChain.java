package io.hephaestus.benchmarks.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;

/**
 * {@link DbSchedulerChain} is the peer of the JDBC benchmark: raw db-scheduler 16.7.1 running a
 * chain of five tasks on the same PostgreSQL database as the runner, each task scheduling the next
 * when it completes, as db-scheduler's own job-chaining example does.
 *
 * <p><strong>The chain.</strong> Five custom tasks {@code step1} to {@code step5}; every execution of
 * a chain shares its instance id. Each task reads the value its predecessor passed as task data
 * (the first reads 0), and completes with db-scheduler's {@link CompletionHandler.OnCompleteReplace},
 * which replaces its own row by the next step due now, with one plus that value as data, in one
 * {@code UPDATE}; the last completes with {@link CompletionHandler.OnCompleteRemove}, which deletes
 * the row. So a chain ends with 5, like W1, and a batch is complete when every {@code step5}
 * execution has completed, its row deleted ({@code onExecutionComplete} of a scheduler listener).
 * Chains are started with {@code scheduleIfNotExists} from the benchmark's starter threads, as the
 * runner's workflows are.
 *
 * <p><strong>Configuration</strong>, as db-scheduler's documentation recommends for throughput on
 * PostgreSQL: the lock-and-fetch polling strategy ({@code SELECT … FOR UPDATE SKIP LOCKED} in one
 * statement that also marks the rows picked), immediate execution (a task scheduled due now
 * triggers a poll at once, so a chain's next step does not wait for the polling interval), a short
 * polling interval, and the benchmark's thread count; task data uses db-scheduler's default Java
 * serializer. A scheduler is built and started before each batch and stopped after it, outside the
 * measurement, so that its polling never runs while the runner is measured.
 */
final class DbSchedulerChain implements AutoCloseable {

    /** The tasks in a chain. */
    static final int STEPS = 5;

    private final DataSource dataSource;

    private final String table;

    private final Settings settings;

    private final List<Task<?>> tasks = new ArrayList<>();

    private final TaskDescriptor<Integer> first;

    private final String last;

    private Scheduler scheduler;

    private volatile CountDownLatch finished = new CountDownLatch(0);

    private volatile String failure = "";

    private final AtomicLong nextChain = new AtomicLong();

    /**
     * Build the scheduler (not started).
     * @param dataSource the database, with the table created
     * @param table the table of executions
     * @param settings threads and polling
     */
    DbSchedulerChain(DataSource dataSource, String table, Settings settings) {
        this.dataSource = dataSource;
        this.table = table;
        this.settings = settings;
        List<TaskDescriptor<Integer>> descriptors = new ArrayList<>();
        for (int i = 1; i <= STEPS; i++) {
            descriptors.add(TaskDescriptor.of("step" + i, Integer.class));
        }
        for (int i = 0; i < STEPS; i++) {
            TaskDescriptor<Integer> next = (i + 1 < STEPS) ? descriptors.get(i + 1) : null;
            this.tasks.add(Tasks.custom(descriptors.get(i)).execute((instance, context) -> {
                int value = instance.getData() + 1;
                if (next != null) {
                    return new CompletionHandler.OnCompleteReplace<Integer, Integer>(next, value);
                }
                if (value != STEPS) {
                    this.failure = "chain " + instance.getId() + " ended with " + value + " instead of " + STEPS;
                }
                return new CompletionHandler.OnCompleteRemove<>();
            }));
        }
        this.first = descriptors.get(0);
        this.last = descriptors.get(STEPS - 1).getTaskName();
    }

    /**
     * Build and start a scheduler: its threads start polling.
     * @throws IllegalStateException if one is open already
     */
    void open() {
        if (this.scheduler != null) {
            throw new IllegalStateException("the db-scheduler scheduler is open already");
        }
        String last = this.last;
        this.scheduler = Scheduler.create(this.dataSource, this.tasks)
            .tableName(this.table)
            .schedulerName(new SchedulerName.Fixed("hephaestus-benchmark"))
            .threads(this.settings.threads())
            .pollUsingLockAndFetch(this.settings.lowerLimitFractionOfThreads(),
                    this.settings.upperLimitFractionOfThreads())
            .pollingInterval(this.settings.pollingInterval())
            .enableImmediateExecution()
            .shutdownMaxWait(Duration.ofSeconds(10))
            .addSchedulerListener(new AbstractSchedulerListener() {
                @Override
                public void onExecutionComplete(ExecutionComplete complete) {
                    if (complete.getResult() != ExecutionComplete.Result.OK) {
                        DbSchedulerChain.this.failure = complete.getExecution().taskInstance + " failed: "
                                + complete.getCause().map(Throwable::toString).orElse("no cause");
                        DbSchedulerChain.this.finished.countDown();
                    }
                    else if (complete.getExecution().taskInstance.getTaskName().equals(last)) {
                        DbSchedulerChain.this.finished.countDown();
                    }
                }
            })
            .build();
        this.scheduler.start();
    }

    /**
     * Start {@code chains} chains, due now, on the open scheduler, each starter one at a time, and
     * wait until every one has completed.
     * @param chains the number of chains
     * @param starters the threads that schedule the chains
     * @throws IllegalStateException if a chain failed, ended with a wrong value, or is stuck
     */
    void runBatch(int chains, Starters starters) {
        this.finished = new CountDownLatch(chains);
        Scheduler open = this.scheduler;
        starters.split(chains, (i) -> open.scheduleIfNotExists(
                this.first.instance("chain-" + this.nextChain.getAndIncrement()).data(0).scheduledTo(Instant.now())));
        try {
            if (!this.finished.await(RunnerBenchmarks.STUCK_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(this.finished.getCount() + " db-scheduler chains not finished after "
                        + RunnerBenchmarks.STUCK_SECONDS + " s");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for db-scheduler chains", ex);
        }
        if (!this.failure.isEmpty()) {
            throw new IllegalStateException("a db-scheduler chain failed: " + this.failure);
        }
    }

    /**
     * Stop the scheduler, if one is open: its threads end.
     */
    @Override
    public void close() {
        if (this.scheduler != null) {
            this.scheduler.stop();
            this.scheduler = null;
        }
    }

    /**
     * How db-scheduler polls and runs.
     * @param threads executor threads, the runner's thread count
     * @param pollingInterval how often it polls when nothing triggers a poll earlier
     * @param lowerLimitFractionOfThreads poll again when fewer than this many executions per thread
     * are queued or running
     * @param upperLimitFractionOfThreads lock at most this many executions per thread at once
     */
    record Settings(int threads, Duration pollingInterval, double lowerLimitFractionOfThreads,
            double upperLimitFractionOfThreads) {
    }
}
