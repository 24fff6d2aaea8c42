package io.hephaestus.core.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.hephaestus.core.steps.RetryPolicy;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;

/**
 * Small configurable steps for runner tests.
 */
final class TestSteps {

    private TestSteps() {
    }

    /** A step with a fixed key and events whose behaviour is a function of its input. */
    static Step step(String key, Set<String> events, Function<StepInput, StepResult> body) {
        return new FunctionStep(key, events, body, RetryPolicy.none(), Optional.empty());
    }

    /** A step that completes with {@code event} and stores {@code {"value": key}}. */
    static Step emitting(String key, String event) {
        return step(key, Set.of(event), (input) -> StepResult.completed(event, Map.of("value", key)));
    }

    static Step retrying(String key, String event, RetryPolicy policy, Function<StepInput, StepResult> body) {
        return new FunctionStep(key, Set.of(event), body, policy, Optional.empty());
    }

    static Step timingOut(String key, String event, Duration timeout, Function<StepInput, StepResult> body) {
        return new FunctionStep(key, Set.of(event), body, RetryPolicy.none(), Optional.of(timeout));
    }

    /** Blocks until released (or interrupted), recording an interruption. */
    static final class Gate {

        final CountDownLatch entered = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        final AtomicInteger interrupted = new AtomicInteger();

        StepResult await(StepResult result) {
            this.entered.countDown();
            try {
                if (!this.release.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("gate never released");
                }
            }
            catch (InterruptedException ex) {
                this.interrupted.incrementAndGet();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", ex);
            }
            return result;
        }
    }

    private record FunctionStep(String key, Set<String> events, Function<StepInput, StepResult> body,
            RetryPolicy retryPolicy, Optional<Duration> timeout) implements Step {

        @Override
        public StepResult execute(StepInput input) {
            return this.body.apply(input);
        }

        @Override
        public String name() {
            return "Test_" + this.key;
        }
    }
}
