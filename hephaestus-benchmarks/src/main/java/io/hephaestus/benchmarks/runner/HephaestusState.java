package io.hephaestus.benchmarks.runner;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.runtime.InMemoryStorage;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.telemetry.Telemetry;

/**
 * {@link HephaestusState} is the JMH state behind the {@code hephaestus} benchmarks: one
 * {@link LocalRunner} per trial on an {@link InMemoryStorage}, with
 * {@link RunnerBenchmarks#THREADS} step threads (one per core, the threads every other
 * implementation gets; the runner's own default is twice the processors, at least 4), no log
 * listener, and a {@link Completions} tracker as its only telemetry listener.
 *
 * <p>After every invocation (a batch, or one workflow) the instances it started are deleted from
 * the storage, outside the measurement, so the storage holds at most one batch: like Flowable with
 * history off, which deletes a process instance's rows when it ends, and unlike a storage that
 * grows by hundreds of thousands of instances per iteration (which would measure the garbage
 * collector's copying of retained instances). Invocation-level helpers are fine here: the
 * shortest invocation, one workflow, takes tens of microseconds.
 *
 * <p>Subclasses give the workflow and check, once per trial before measuring, that one instance
 * runs to the expected result.
 */
public abstract class HephaestusState {

    /** The business key of every benchmark workflow. */
    static final String BUSINESS_KEY = "bench";

    LocalRunner runner;

    Completions completions;

    String workflowName;

    private final String[] runIds = new String[RunnerBenchmarks.BATCH];

    private int started;

    private long nextValue;

    /**
     * Return the workflow to run.
     * @return the workflow
     */
    protected abstract Workflow workflow();

    /**
     * Run one instance and fail unless it ends with the expected context.
     */
    protected abstract void verify();

    /**
     * Build the runner and check the workflow once.
     */
    @Setup(Level.Trial)
    public void startRunner() {
        Telemetry telemetry = Telemetry.create();
        this.completions = Completions.attachTo(telemetry);
        Workflow workflow = workflow();
        this.workflowName = workflow.name();
        this.runner = LocalRunner.builder(WorkflowRegistry.of(workflow))
            .storage(new InMemoryStorage())
            .telemetry(telemetry)
            .threads(RunnerBenchmarks.THREADS)
            .build();
        verify();
        deleteStarted();
    }

    /**
     * Delete the instances the last invocation started.
     */
    @TearDown(Level.Invocation)
    public void deleteStarted() {
        for (int i = 0; i < this.started; i++) {
            this.runner.storage().delete(this.runIds[i]);
        }
        this.started = 0;
    }

    /**
     * Close the runner.
     */
    @TearDown(Level.Trial)
    public void closeRunner() {
        this.runner.close();
    }

    /**
     * Start one instance with the seed context; it runs on the runner's threads.
     * @return the instance's business id, such as {@code bench::42}
     */
    String start() {
        Instance instance = this.runner.start(StartRequest.of(this.workflowName, Long.toString(this.nextValue++))
            .context(RunnerBenchmarks.SEED_CONTEXT));
        this.runIds[this.started++] = instance.runId();
        return instance.id();
    }

    /**
     * Return the stored instance.
     * @param id the business id
     * @return the instance
     */
    Instance get(String id) {
        return this.runner.get(this.workflowName, id).orElseThrow();
    }
}
