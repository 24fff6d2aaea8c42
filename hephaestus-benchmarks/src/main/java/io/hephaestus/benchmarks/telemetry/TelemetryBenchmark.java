package io.hephaestus.benchmarks.telemetry;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import io.hephaestus.core.telemetry.LogTelemetryListener;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.spring.boot.metrics.HephaestusMeterBinder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@link TelemetryBenchmark} measures what emitting one telemetry event costs the local runner, for
 * every {@link TelemetryEventType} and four handler configurations.
 *
 * <p><strong>What one operation is.</strong> {@code emit} and {@code emitLogOff} run one emission
 * site of the local runner ({@code InstanceDriver}, and {@code LocalRunner.Builder.build} for
 * {@code RUNNER_INIT}) the way the runner runs it: whatever the site computes before asking
 * {@link Telemetry#isEnabled}, the check itself, and, only when a listener receives the type,
 * building the event record from the driver's state (reading the wall clock for
 * {@code system_time}, copying step sets into lists, calling the step's {@code name()} and
 * {@code key()}) and {@link Telemetry#emit}. The state is one order instance at each point of its
 * life, made by the pure engine in setup (see {@code OrderSnapshots}); its steps are written like
 * the README's, without overriding {@code key()} or {@code name()}. Everything is read from
 * {@code @State} fields, so nothing is constant-folded.
 *
 * <p><strong>Handlers</strong> ({@code handler} parameter):
 * <ul>
 * <li>{@code none}: no listener. The cost is the check (a volatile read and an array length) plus
 * what the site computes before it: for {@code workflow.stop/exception/cancel} the status
 * comparison and the instance's duration, for {@code step.stop/exception/async} the dispatch on
 * the result and the check that its event is declared. Target: at most 5 ns and 0 B/op.</li>
 * <li>{@code noop}: one listener that hands the event to a {@link Blackhole}, so that the JIT
 * cannot drop building it: the cost of building and dispatching the event. Its B/op is what the
 * event costs in allocation (the record, copied lists, the step's derived key).</li>
 * <li>{@code micrometer}: the starter's {@link HephaestusMeterBinder} with every metric
 * definition and the starter's default histogram buckets, bound to a
 * {@link PrometheusMeterRegistry} and attached for the event types it declares, as the starter
 * attaches listener beans. An emission in setup has already created the meters of the event's tags
 * (setup checks), so this is the steady state. Events that feed no meter ({@code workflow.cancel},
 * {@code workflow.transition}, {@code step.start}, {@code runner.init}) are not even built, so
 * they cost what {@code none} costs. Target: at most 100 ns, and no allocation by the binder (B/op not above
 * {@code noop}'s).</li>
 * <li>{@code log-off} ({@code emitLogOff}): the {@link LogTelemetryListener} with its default
 * levels, its logger {@code io.hephaestus.telemetry} switched off by {@code logback.xml} (setup
 * fails if it is not): building the event plus the listener's level check. It is measured for the
 * four events every step emits ({@code workflow.transition}, {@code step.start},
 * {@code step.stop}, {@code engine.advance}) only: the listener does the same for every type, and
 * {@code noop} already shows what building each type costs, so the other eight types would
 * lengthen the quick run by most of a minute and add nothing to the picture.</li>
 * </ul>
 *
 * <p><strong>Reading the numbers.</strong> Compare each score with {@code baseline} (an empty
 * method: the harness's own cost per operation). Run with {@code -prof gc} and read
 * {@code gc.alloc.rate.norm} as bytes per emission. Each fork emits one event type to one listener
 * class, so the dispatcher's call to the listener is monomorphic and may be inlined, and when the
 * listener does not keep the event (the log listener) escape analysis may even remove the record,
 * so {@code log-off} can allocate less than {@code noop}. In an application with several listener
 * classes that call is megamorphic: it costs a few nanoseconds more and the record is always
 * allocated.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TelemetryBenchmark {

    /**
     * Measure nothing: the harness's cost per operation.
     */
    @Benchmark
    public void baseline() {
    }

    /**
     * Run one emission site of the runner for the event type and handler of the state.
     * @param emission the state
     */
    @Benchmark
    public void emit(Emission emission) {
        emission.emitOne();
    }

    /**
     * Run one emission site of the runner for the event type of the state, with the log handler
     * switched off.
     * @param emission the state
     */
    @Benchmark
    public void emitLogOff(LogOffEmission emission) {
        emission.emitOne();
    }

    /**
     * Run this benchmark from an IDE.
     * @param args ignored
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        new org.openjdk.jmh.runner.Runner(new OptionsBuilder().include(TelemetryBenchmark.class.getName()).build())
            .run();
    }

    /**
     * Every event type with no handler, the no-op handler and the Micrometer binder.
     */
    @State(Scope.Thread)
    public static class Emission extends EmissionSite {

        /** The event type whose emission site runs. */
        @Param({ "WORKFLOW_START", "WORKFLOW_STOP", "WORKFLOW_EXCEPTION", "WORKFLOW_CANCEL", "WORKFLOW_TRANSITION",
                "STEP_START", "STEP_STOP", "STEP_EXCEPTION", "STEP_ASYNC", "STEP_RESUME", "ENGINE_ADVANCE",
                "RUNNER_INIT" })
        public TelemetryEventType event;

        /** The listener attached to the dispatcher. */
        @Param({ NONE, NOOP, MICROMETER })
        public String handler;

        /**
         * Attach the handler and emit the event once.
         * @param blackhole the sink of the no-op listener
         */
        @Setup(Level.Trial)
        public void setUp(Blackhole blackhole) {
            start(this.event, this.handler, blackhole);
        }

        /**
         * Close the meter registry.
         */
        @TearDown(Level.Trial)
        public void tearDown() {
            stop();
        }
    }

    /**
     * The per-step event types with the log handler switched off. Its cost differs between event
     * types only by building the event, which {@code noop} already shows for each type, so four
     * types keep the quick run short.
     */
    @State(Scope.Thread)
    public static class LogOffEmission extends EmissionSite {

        /** The event type whose emission site runs. */
        @Param({ "WORKFLOW_TRANSITION", "STEP_START", "STEP_STOP", "ENGINE_ADVANCE" })
        public TelemetryEventType event;

        /** The listener attached to the dispatcher. */
        @Param({ LOG_OFF })
        public String handler;

        /**
         * Attach the log listener and emit the event once.
         * @param blackhole unused
         */
        @Setup(Level.Trial)
        public void setUp(Blackhole blackhole) {
            start(this.event, this.handler, blackhole);
        }

        /**
         * Release nothing: the log listener holds no resource.
         */
        @TearDown(Level.Trial)
        public void tearDown() {
            stop();
        }
    }
}
