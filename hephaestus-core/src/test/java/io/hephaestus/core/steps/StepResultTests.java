package io.hephaestus.core.steps;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hephaestus.core.InvalidValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StepResultTests {

    @Test
    void completedWithAnEventHasNoUpdatesOrMetadata() {
        StepResult.Completed result = StepResult.completed("ok");

        assertThat(result.event()).isEqualTo("ok");
        assertThat(result.updates()).isEmpty();
        assertThat(result.metadata()).isEmpty();
    }

    @Test
    void completedWithUpdatesCarriesAFrozenCopy() {
        Map<String, Object> updates = new HashMap<>(Map.of("total", 42));

        StepResult.Completed result = StepResult.completed("ok", updates);
        updates.put("total", 0);

        assertThat(result.updates()).isEqualTo(Map.of("total", 42));
        assertThat(result.metadata()).isEmpty();
        assertThatThrownBy(() -> result.updates().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void completedWithMetadataCarriesBoth() {
        StepResult.Completed result = StepResult.completed("ok", Map.of("total", 42), Map.of("region", "eu"));

        assertThat(result.updates()).isEqualTo(Map.of("total", 42));
        assertThat(result.metadata()).isEqualTo(Map.of("region", "eu"));
    }

    @Test
    void asyncResumeAfterAndFailedFactories() {
        assertThat(StepResult.async()).isEqualTo(new StepResult.Async());
        assertThat(StepResult.resumeAfter(Duration.ofSeconds(3), "timeout"))
            .isEqualTo(new StepResult.Scheduled(Duration.ofSeconds(3), "timeout"));
        assertThat(StepResult.failed("boom").reason()).isEqualTo("boom");
    }

    @Test
    void blankEventIsRejected() {
        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> StepResult.completed("  "))
            .withMessage("event must not be blank");
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> StepResult.resumeAfter(Duration.ofSeconds(1), ""))
            .withMessage("event must not be blank");
    }

    @Test
    void negativeDelayIsRejected() {
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> StepResult.resumeAfter(Duration.ofMillis(-1), "timeout"))
            .withMessage("timer delay must not be negative, got PT-0.001S");
    }

    @Test
    void zeroDelayIsAccepted() {
        assertThat(StepResult.resumeAfter(Duration.ZERO, "timeout").delay()).isZero();
    }

    @Test
    void nonJsonSafeUpdatesAreRejectedNamingThePath() {
        Map<String, Object> updates = Map.of("order", Map.of("placed", new Object() {
            @Override
            public String toString() {
                return "a date";
            }
        }));

        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> StepResult.completed("ok", updates))
            .withMessageStartingWith("context updates.order.placed must be JSON-safe")
            .withMessageEndingWith(": a date");
    }

    @Test
    void nonJsonSafeMetadataIsRejectedNamingThePath() {
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> StepResult.completed("ok", Map.of(), Map.of("ratio", Double.NaN)))
            .withMessage("runtime metadata.ratio must be a finite number, got NaN");
    }

    @Test
    void failedRequiresAReason() {
        assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> StepResult.failed(null))
            .withMessage("reason");
    }
}
