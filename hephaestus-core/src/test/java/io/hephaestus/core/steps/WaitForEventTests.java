package io.hephaestus.core.steps;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hephaestus.core.InvalidValueException;
import io.hephaestus.core.engine.Context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WaitForEventTests {

    private static final StepInput INPUT = new StepInput("run-1", "orderid::1", "order", 1, Context.empty(), Map.of(), "step", 1);

    @Test
    void createdStepWaitsAsynchronouslyForReceived() {
        WaitForEvent step = WaitForEvent.create();

        assertThat(step.execute(INPUT)).isEqualTo(new StepResult.Async());
        assertThat(step.events()).containsExactly(WaitForEvent.RECEIVED);
        assertThat(step.key()).isEqualTo("wait_for_event");
        assertThat(step.name()).isEqualTo("WaitForEvent");
    }

    @Test
    void stepAcceptsTheEventsItIsCreatedWith() {
        WaitForEvent step = WaitForEvent.of("approval", "approved", "rejected");

        assertThat(step.key()).isEqualTo("approval");
        assertThat(step.events()).containsExactlyInAnyOrder("approved", "rejected");
        assertThat(step.execute(INPUT)).isInstanceOf(StepResult.Async.class);
    }

    @Test
    void withTimeoutAddsTimeoutAndSchedulesAResume() {
        WaitForEvent step = WaitForEvent.of("approval", "approved").withTimeout(Duration.ofHours(1));

        assertThat(step.events()).containsExactlyInAnyOrder("approved", "timeout");
        assertThat(step.key()).isEqualTo("approval");
        assertThat(step.execute(INPUT)).isEqualTo(new StepResult.Scheduled(Duration.ofHours(1), "timeout"));
    }

    @Test
    void withTimeoutReturnsACopyAndLeavesTheOriginalAsync() {
        WaitForEvent original = WaitForEvent.create();

        WaitForEvent timed = original.withTimeout(Duration.ofMinutes(1));

        assertThat(timed).isNotSameAs(original);
        assertThat(original.events()).containsExactly("received");
        assertThat(original.execute(INPUT)).isInstanceOf(StepResult.Async.class);
    }

    @Test
    void withTimeoutTwiceKeepsTheLastTimeout() {
        WaitForEvent step = WaitForEvent.create().withTimeout(Duration.ofMinutes(1)).withTimeout(Duration.ofMinutes(2));

        assertThat(step.events()).containsExactlyInAnyOrder("received", "timeout");
        assertThat(step.execute(INPUT)).isEqualTo(new StepResult.Scheduled(Duration.ofMinutes(2), "timeout"));
    }

    @Test
    void repeatedEventsAreAcceptedOnce() {
        WaitForEvent step = WaitForEvent.of("approval", "approved", "approved");

        assertThat(step.events()).containsExactly("approved");
    }

    @Test
    void stepWithoutEventsIsRejected() {
        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> WaitForEvent.of("approval"))
            .withMessage("WaitForEvent 'approval' must accept at least one event");
    }

    @Test
    void negativeTimeoutIsRejected() {
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> WaitForEvent.create().withTimeout(Duration.ofSeconds(-5)))
            .withMessage("WaitForEvent timeout must not be negative, got PT-5S");
    }
}
