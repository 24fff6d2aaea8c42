package io.hephaestus.core.steps;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hephaestus.core.InvalidValueException;
import io.hephaestus.core.engine.Context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WaitTests {

    @Test
    void waitSchedulesAResumeWithTimeoutAfterItsDuration() {
        Wait wait = Wait.of(Duration.ofMinutes(5));

        StepResult result = wait.execute(input(Map.of()));

        assertThat(result).isEqualTo(new StepResult.Scheduled(Duration.ofMinutes(5), "timeout"));
    }

    @Test
    void waitHasKeyWaitAndDeclaresOnlyTimeout() {
        Wait wait = Wait.of(Duration.ofSeconds(1));

        assertThat(wait.key()).isEqualTo("wait");
        assertThat(wait.name()).isEqualTo("Wait");
        assertThat(wait.events()).containsExactly(Wait.TIMEOUT);
        assertThat(wait.duration()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void waitCanHaveItsOwnKey() {
        assertThat(Wait.of("cool_down", Duration.ofSeconds(1)).key()).isEqualTo("cool_down");
    }

    @Test
    void durationMsConfigOverridesTheDuration() {
        Wait wait = Wait.of(Duration.ofMinutes(5));

        StepResult result = wait.execute(input(Map.of(Wait.DURATION_MS, 1500)));

        assertThat(result).isEqualTo(new StepResult.Scheduled(Duration.ofMillis(1500), "timeout"));
    }

    @Test
    void durationMsConfigMayBeALong() {
        StepResult result = Wait.of(Duration.ofMinutes(5)).execute(input(Map.of(Wait.DURATION_MS, 86_400_000L)));

        assertThat(result).isEqualTo(new StepResult.Scheduled(Duration.ofDays(1), "timeout"));
    }

    @Test
    void nonNumericDurationMsFailsTheStep() {
        StepResult result = Wait.of(Duration.ofMinutes(5)).execute(input(Map.of(Wait.DURATION_MS, "soon")));

        assertThat(result).isEqualTo(new StepResult.Failed("config duration_ms must be a whole, non-negative number of milliseconds, got soon"));
    }

    @Test
    void negativeDurationMsFailsTheStep() {
        StepResult result = Wait.of(Duration.ofMinutes(5)).execute(input(Map.of(Wait.DURATION_MS, -1)));

        assertThat(result).isEqualTo(new StepResult.Failed("config duration_ms must be a whole, non-negative number of milliseconds, got -1"));
    }

    @Test
    void negativeDurationIsRejected() {
        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> Wait.of(Duration.ofSeconds(-1)))
            .withMessage("Wait duration must not be negative, got PT-1S");
    }

    private static StepInput input(Map<String, Object> config) {
        return new StepInput("run-1", "orderid::1", "order", 1, Context.empty(), config, "step", 1);
    }

    @org.junit.jupiter.api.Test
    void fractionalDurationMsFailsTheStep() {
        StepResult result = Wait.of(java.time.Duration.ofSeconds(1))
            .execute(new io.hephaestus.core.steps.StepInput("run-1", "id::1", "w", 1,
                    io.hephaestus.core.engine.Context.empty(), java.util.Map.of(Wait.DURATION_MS, 1.5), "wait", 1));
        org.assertj.core.api.Assertions.assertThat(result).isEqualTo(new StepResult.Failed(
                "config duration_ms must be a whole, non-negative number of milliseconds, got 1.5"));
    }
}
