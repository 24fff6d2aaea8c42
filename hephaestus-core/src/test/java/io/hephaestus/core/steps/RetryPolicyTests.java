package io.hephaestus.core.steps;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.hephaestus.core.InvalidValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class RetryPolicyTests {

    static Stream<Arguments> delays() {
        RetryPolicy exponential = RetryPolicy.exponential(6, Duration.ofSeconds(1), Duration.ofSeconds(10));
        RetryPolicy linear = RetryPolicy.linear(6, Duration.ofSeconds(2), Duration.ofSeconds(7));
        RetryPolicy constant = RetryPolicy.constant(6, Duration.ofMillis(500));
        return Stream.of(
                arguments(Named.of("exponential", exponential), new long[] { 1000, 2000, 4000, 8000, 10000 }),
                arguments(Named.of("linear", linear), new long[] { 2000, 4000, 6000, 7000, 7000 }),
                arguments(Named.of("constant", constant), new long[] { 500, 500, 500, 500, 500 }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delays")
    void delaysFollowTheBackoffCappedAtMaxDelay(RetryPolicy policy, long[] millisBeforeAttempts2To6) {
        for (int i = 0; i < millisBeforeAttempts2To6.length; i++) {
            int attempt = i + 2;
            assertThat(policy.delayBeforeAttempt(attempt)).as("delay before attempt %d", attempt)
                .isEqualTo(Duration.ofMillis(millisBeforeAttempts2To6[i]));
        }
    }

    @Test
    void exponentialDelayStaysAtMaxDelayForVeryLateAttempts() {
        RetryPolicy policy = RetryPolicy.exponential(1000, Duration.ofMillis(1), Duration.ofMinutes(1));

        assertThat(policy.delayBeforeAttempt(64)).isEqualTo(Duration.ofMinutes(1));
        assertThat(policy.delayBeforeAttempt(999)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void firstAttemptHasNoDelay() {
        RetryPolicy policy = RetryPolicy.constant(3, Duration.ofSeconds(5));

        assertThat(policy.delayBeforeAttempt(1)).isZero();
    }

    @Test
    void attemptsAreCountedUpToMaxAttempts() {
        RetryPolicy policy = RetryPolicy.constant(3, Duration.ofSeconds(1));

        assertThat(policy.allowsAnotherAttempt(1)).isTrue();
        assertThat(policy.allowsAnotherAttempt(2)).isTrue();
        assertThat(policy.allowsAnotherAttempt(3)).isFalse();
    }

    @Test
    void noneAllowsASingleAttempt() {
        RetryPolicy none = RetryPolicy.none();

        assertThat(none.maxAttempts()).isEqualTo(1);
        assertThat(none.allowsAnotherAttempt(1)).isFalse();
    }

    @Test
    void maxAttemptsBelowOneIsRejected() {
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> RetryPolicy.constant(0, Duration.ofSeconds(1)))
            .withMessage("maxAttempts must be at least 1, got 0");
    }

    @Test
    void negativeDelayIsRejected() {
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> RetryPolicy.linear(3, Duration.ofSeconds(-1), Duration.ofSeconds(1)))
            .withMessage("retry delays must not be negative, got initialDelay=PT-1S, maxDelay=PT1S");
    }

    @Test
    void maxDelayShorterThanInitialDelayIsRejected() {
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> RetryPolicy.exponential(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
            .withMessage("maxDelay PT1S must not be shorter than initialDelay PT2S");
    }

    @Test
    void nullBackoffIsRejected() {
        assertThatExceptionOfType(NullPointerException.class)
            .isThrownBy(() -> new RetryPolicy(2, null, Duration.ZERO, Duration.ZERO))
            .withMessage("backoff");
    }
}
