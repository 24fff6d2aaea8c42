package io.hephaestus.benchmarks.runner;

import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import org.flowable.engine.ProcessEngine;
import org.flowable.engine.ProcessEngineConfiguration;
import org.flowable.engine.RepositoryService;
import org.flowable.engine.RuntimeService;
import org.flowable.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.flowable.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.flowable.engine.repository.Deployment;
import org.flowable.engine.runtime.ProcessInstance;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link FlowableState} is the JMH state behind the {@code flowable} benchmarks: one embedded
 * Flowable 7.2 process engine per trial (its start takes seconds) on an in-memory H2 database, with
 * one BPMN process deployed.
 *
 * <p>The engine is configured the way Flowable's documentation recommends for raw speed, and with
 * nothing the benchmark does not use:
 * <ul>
 * <li>{@link StandaloneInMemProcessEngineConfiguration}: H2 in memory, standalone transactions
 * (one per API call), MyBatis' pooled data source;</li>
 * <li>a fresh in-memory database per trial whose schema the engine creates
 * ({@code databaseSchemaUpdate = true}); not {@code create-drop}, whose drop script fails on H2 2.x
 * (indexes that belong to constraints) and would log errors at tear-down, for nothing: the
 * database lives in the benchmark's forked JVM only;</li>
 * <li>history level {@code none}: "the most performant for runtime process execution"; a
 * process instance's rows are deleted when it ends, so the database does not grow;</li>
 * <li>async executor not activated: every task is synchronous, nothing polls the database;</li>
 * <li>IDM engine and event registry disabled, event dispatcher off (no listeners are used), no
 * diagram generation on deploy;</li>
 * <li>Flowable's two performance settings on: execution relationship counts (related-entity counts
 * kept on the execution row, so ending an execution does not query for its variables, jobs,
 * subscriptions and tasks; 25 to 40% faster on W2 and W3 in a side-by-side check) and eager
 * execution tree fetching (a process instance's executions fetched in one query; a few percent
 * at most here, never slower);</li>
 * <li>process definition cache on (the default, unlimited), and instances started by definition id,
 * so no start looks the latest definition up by key in the database;</li>
 * <li>service tasks are {@code flowable:class} delegates ({@link FlowableIncrement}), instantiated
 * once per activity, without expression evaluation.</li>
 * </ul>
 *
 * <p><strong>Threads.</strong> Flowable runs a process synchronously in the caller's thread until
 * it ends or reaches a wait state; Hephaestus runs steps on its executor. A throughput operation
 * is a batch of {@value RunnerBenchmarks#BATCH} workflows for both, but Flowable's batch is
 * {@linkplain #split split} into {@link RunnerBenchmarks#THREADS} slices run at once by as many
 * caller threads (the benchmark thread and helpers), while Hephaestus's batch is started by the
 * benchmark thread and run by {@link RunnerBenchmarks#THREADS} step threads: both use every core,
 * neither more, and a batch means the same for both (in W3, a thousand instances wait at once).
 * Splitting the batch, rather than running {@code @Threads(Threads.MAX)} benchmark threads with
 * a batch each, keeps that last property and the operation short.
 */
public abstract class FlowableState {

    ProcessEngine engine;

    RuntimeService runtime;

    String definitionId;

    private ExecutorService callers;

    /**
     * Return the classpath resource of the BPMN process to deploy.
     * @return the resource, such as {@code bpmn/linear.bpmn20.xml}
     */
    protected abstract String resource();

    /**
     * Run one process instance and fail unless it behaves as expected.
     */
    protected abstract void verify();

    /**
     * Build the engine, deploy the process, and check it once.
     */
    @Setup(Level.Trial)
    public void startEngine() {
        String name = "benchmark-" + getClass().getSimpleName().toLowerCase(Locale.ROOT);
        ProcessEngineConfigurationImpl configuration = new StandaloneInMemProcessEngineConfiguration();
        configuration.setEngineName(name);
        configuration.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        configuration.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
        configuration.setHistory("none");
        configuration.setAsyncExecutorActivate(false);
        configuration.setDisableIdmEngine(true);
        configuration.setDisableEventRegistry(true);
        configuration.setEnableEventDispatcher(false);
        configuration.setCreateDiagramOnDeploy(false);
        configuration.setEnableExecutionRelationshipCounts(true);
        configuration.setEnableEagerExecutionTreeFetching(true);
        AtomicInteger count = new AtomicInteger();
        this.callers = Executors.newFixedThreadPool(Math.max(1, RunnerBenchmarks.THREADS - 1), (runnable) -> {
            Thread thread = new Thread(runnable, "flowable-caller-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.engine = configuration.buildProcessEngine();
        this.runtime = this.engine.getRuntimeService();
        RepositoryService repository = this.engine.getRepositoryService();
        Deployment deployment = repository.createDeployment().addClasspathResource(resource()).deploy();
        this.definitionId = repository.createProcessDefinitionQuery()
            .deploymentId(deployment.getId())
            .singleResult()
            .getId();
        verify();
    }

    /**
     * Close the engine.
     */
    @TearDown(Level.Trial)
    public void closeEngine() {
        this.callers.shutdownNow();
        this.engine.close();
    }

    /**
     * Run a batch of {@value RunnerBenchmarks#BATCH} workflows in {@link RunnerBenchmarks#THREADS}
     * slices at once: one in this thread, the others in helper caller threads. Returns once every
     * slice is done.
     * @param slice what one caller thread does with its share of the batch
     */
    void split(IntConsumer slice) {
        int threads = RunnerBenchmarks.THREADS;
        Future<?>[] helpers = new Future<?>[threads - 1];
        for (int i = 1; i < threads; i++) {
            int size = sliceSize(i, threads);
            helpers[i - 1] = this.callers.submit(() -> slice.accept(size));
        }
        slice.accept(sliceSize(0, threads));
        for (Future<?> helper : helpers) {
            try {
                helper.get();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a caller thread", ex);
            }
            catch (ExecutionException ex) {
                throw new IllegalStateException("a caller thread failed", ex.getCause());
            }
        }
    }

    private static int sliceSize(int index, int slices) {
        return RunnerBenchmarks.BATCH / slices + ((index < RunnerBenchmarks.BATCH % slices) ? 1 : 0);
    }

    /**
     * Start one process instance with the seed variable; it runs in this thread until it ends or
     * waits.
     * @return the process instance
     */
    ProcessInstance start() {
        return this.runtime.startProcessInstanceById(this.definitionId, RunnerBenchmarks.SEED_CONTEXT);
    }

    /**
     * Return the number of process instances still in the runtime tables.
     * @return the count
     */
    long running() {
        return this.runtime.createProcessInstanceQuery().count();
    }
}
