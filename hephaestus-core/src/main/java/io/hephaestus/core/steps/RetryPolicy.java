package io.hephaestus.core.steps;

import java.time.Duration;
import java.util.Objects;

import io.hephaestus.core.InvalidValueException;

/**
 * {@link RetryPolicy} says how often a failing {@link Step} is attempted and how long the runner
 * waits between attempts.
 *
 * <p>A step fails when it returns {@link StepResult.Failed}, throws, or exceeds its timeout. While
 * attempts remain, the step is executed again after {@link #delayBeforeAttempt(int)}; then the
 * instance fails.
 *
 * @param maxAttempts the total number of attempts, at least 1 (1 means no retry)
 * @param backoff how the delay grows from one attempt to the next
 * @param initialDelay the delay before the second attempt
 * @param maxDelay the upper bound of any delay
 * @since 0.1.0
 */
public record RetryPolicy(int maxAttempts, Backoff backoff, Duration initialDelay, Duration maxDelay) {

    private static final RetryPolicy NONE = new RetryPolicy(1, Backoff.CONSTANT, Duration.ZERO, Duration.ZERO);

    /**
     * Validate the components.
     */
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new InvalidValueException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || maxDelay.isNegative()) {
            throw new InvalidValueException("retry delays must not be negative, got initialDelay=" + initialDelay
                    + ", maxDelay=" + maxDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new InvalidValueException("maxDelay " + maxDelay + " must not be shorter than initialDelay "
                    + initialDelay);
        }
    }

    /**
     * Return the policy that never retries.
     * @return the policy with one attempt
     */
    public static RetryPolicy none() {
        return NONE;
    }

    /**
     * Return a policy with exponential backoff (the delay doubles after each attempt, up to
     * {@code maxDelay}).
     * @param maxAttempts the total number of attempts
     * @param initialDelay the delay before the second attempt
     * @param maxDelay the upper bound of any delay
     * @return the policy
     */
    public static RetryPolicy exponential(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        return new RetryPolicy(maxAttempts, Backoff.EXPONENTIAL, initialDelay, maxDelay);
    }

    /**
     * Return a policy with linear backoff (the n-th retry waits n times the initial delay, up to
     * {@code maxDelay}).
     * @param maxAttempts the total number of attempts
     * @param initialDelay the delay before the second attempt
     * @param maxDelay the upper bound of any delay
     * @return the policy
     */
    public static RetryPolicy linear(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        return new RetryPolicy(maxAttempts, Backoff.LINEAR, initialDelay, maxDelay);
    }

    /**
     * Return a policy that waits the same delay before every retry.
     * @param maxAttempts the total number of attempts
     * @param delay the delay before each retry
     * @return the policy
     */
    public static RetryPolicy constant(int maxAttempts, Duration delay) {
        return new RetryPolicy(maxAttempts, Backoff.CONSTANT, delay, delay);
    }

    /**
     * Return whether a step that has failed {@code failedAttempts} times may be attempted again.
     * @param failedAttempts the number of attempts made so far, all failed
     * @return {@code true} if another attempt is allowed
     */
    public boolean allowsAnotherAttempt(int failedAttempts) {
        return failedAttempts < this.maxAttempts;
    }

    /**
     * Return how long to wait before attempt number {@code attempt}.
     * @param attempt the attempt about to be made, 2 or more
     * @return the delay, never longer than {@link #maxDelay()}
     */
    public Duration delayBeforeAttempt(int attempt) {
        if (attempt < 2) {
            return Duration.ZERO;
        }
        int retry = attempt - 1;
        Duration delay;
        try {
            delay = switch (this.backoff) {
                case CONSTANT -> this.initialDelay;
                case LINEAR -> this.initialDelay.multipliedBy(retry);
                case EXPONENTIAL -> this.initialDelay.multipliedBy(1L << Math.min(retry - 1, 30));
            };
        }
        catch (ArithmeticException ex) {
            return this.maxDelay;
        }
        return (delay.compareTo(this.maxDelay) > 0) ? this.maxDelay : delay;
    }

    /**
     * How the delay between attempts grows.
     */
    public enum Backoff {
        /** The same delay before every retry. */
        CONSTANT,
        /** The n-th retry waits n times the initial delay. */
        LINEAR,
        /** The delay doubles after each retry. */
        EXPONENTIAL
    }
}
