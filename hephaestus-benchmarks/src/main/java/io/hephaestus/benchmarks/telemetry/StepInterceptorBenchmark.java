package io.hephaestus.benchmarks.telemetry;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import io.hephaestus.core.engine.Context;
import io.hephaestus.core.internal.StepInvocations;
import io.hephaestus.core.runtime.StepExecution;
import io.hephaestus.core.runtime.StepInterceptor;
import io.hephaestus.core.runtime.StepOutcome;
import io.hephaestus.core.runtime.StepTrigger;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.spring.boot.tracing.ObservationStepInterceptor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;

/**
 * {@link StepInterceptorBenchmark} measures what the step interceptor hook costs per step: the
 * local runner's code around a step's {@code execute} with no interceptor, and with the starter's
 * {@link ObservationStepInterceptor} on {@link ObservationRegistry#NOOP} and on a registry with one
 * handler that does nothing.
 *
 * <p><strong>What one operation is.</strong> {@code direct} calls the step as the runner did before
 * the hook existed. {@code step} runs the hook site the way {@code InstanceDriver} does (see
 * {@link HookSite}): without an interceptor, one null check and the same call; with one, the
 * dispatch-time {@link StepInterceptor#currentContext()}, building the {@link StepExecution}, and
 * {@link StepInvocations#intercept} (the guard every runner calls), around the same call. The step
 * returns a constant result, so the score is the hook's overhead plus a few nanoseconds.
 *
 * <p><strong>Interceptors</strong> ({@code interceptor} parameter): {@code none}; {@code noop}, the
 * observation interceptor on {@link ObservationRegistry#NOOP}, which still sets and clears the three
 * MDC keys (logback's MDC, as in an application); {@code handler}, the observation interceptor on a
 * registry with one handler that accepts every context and does nothing: the cost of a real
 * observation (context, key values, scope) before any tracer or meter does its part. Target: no
 * measurable difference between {@code direct} and {@code none}, under 300 ns per step for
 * {@code noop}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StepInterceptorBenchmark {

    /**
     * Measure nothing: the harness's cost per operation.
     */
    @Benchmark
    public void baseline() {
    }

    /**
     * Call the step directly, as the runner did before the hook.
     * @param plain the state
     * @return the step's result
     */
    @Benchmark
    public StepResult direct(Plain plain) {
        return plain.step.execute(plain.input);
    }

    /**
     * Run the hook site with the state's interceptor.
     * @param site the state
     * @return the step's outcome, or {@code null} without an interceptor (as the runner)
     */
    @Benchmark
    public Object step(HookSite site) {
        return site.runOne();
    }

    /**
     * Run this benchmark from an IDE.
     * @param args ignored
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        new org.openjdk.jmh.runner.Runner(
                new OptionsBuilder().include(StepInterceptorBenchmark.class.getName()).build())
            .run();
    }

    /**
     * The step and its input, without a hook.
     */
    @State(Scope.Thread)
    public static class Plain {

        final Step step = constantStep();

        final StepInput input = input();
    }

    static Step constantStep() {
        StepResult completed = StepResult.completed("valid");
        return new Step() {

            @Override
            public Set<String> events() {
                return Set.of("valid");
            }

            @Override
            public StepResult execute(StepInput input) {
                return completed;
            }
        };
    }

    static StepInput input() {
        return new StepInput("run-1", "orderid::42", "order", 1, Context.of(Map.of("items", 2)), Map.of(), "validate",
                1);
    }

    /**
     * The runner's hook site around one step of an order instance.
     */
    @State(Scope.Thread)
    public static class HookSite {

        /** {@code none}, {@code noop} or {@code handler}. */
        @Param({ "none", "noop", "handler" })
        public String interceptor;

        Step step;

        StepInput input;

        private StepInterceptor hook;

        private final Map<String, String> traceContext = Map.of();

        /**
         * Build the step, its input and the interceptor.
         */
        @Setup
        public void setUp() {
            this.step = constantStep();
            this.input = input();
            this.hook = switch (this.interceptor) {
                case "none" -> null;
                case "noop" -> new ObservationStepInterceptor(ObservationRegistry.NOOP);
                case "handler" -> new ObservationStepInterceptor(registryWithOneHandler());
                default -> throw new IllegalArgumentException("unknown interceptor " + this.interceptor);
            };
        }

        private static ObservationRegistry registryWithOneHandler() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            });
            return registry;
        }

        /**
         * Run the step as {@code InstanceDriver.run} and {@code runStep} do.
         * @return the outcome, or {@code null} without an interceptor
         */
        Object runOne() {
            StepInterceptor interceptor = this.hook;
            if (interceptor == null) {
                return execute(false);
            }
            Map<String, String> parent = interceptor.currentContext();
            StepExecution execution = new StepExecution("run-1", "orderid::42", "order", 1, "validate",
                    "ValidateOrder", 1, StepTrigger.START, this.traceContext, parent);
            return StepInvocations.intercept(interceptor, execution, () -> execute(true));
        }

        private StepOutcome execute(boolean outcome) {
            StepResult returned = null;
            Throwable thrown = null;
            try {
                returned = this.step.execute(this.input);
            }
            catch (RuntimeException ex) {
                thrown = ex;
            }
            if (!outcome) {
                return null;
            }
            return (thrown != null) ? StepOutcome.of(thrown) : StepOutcome.of(returned);
        }
    }
}
