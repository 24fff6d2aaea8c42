package io.hephaestus.core.runtime;

import java.time.Duration;

/**
 * {@link Scheduler} runs a task after a delay: the runner's source of timers (step timeouts, retry
 * backoff, {@code Wait} steps). Tests swap in a scheduler driven by a settable clock, so that timers
 * fire without sleeping.
 *
 * <p>Tasks must be cheap: the runner hands real work to its step executor.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Scheduler {

    /**
     * Run {@code task} once after {@code delay}.
     * @param delay how long to wait, zero or positive
     * @param task the task
     * @return a handle that cancels the task if it has not run yet
     */
    Cancellable schedule(Duration delay, Runnable task);

    /**
     * A scheduled task that can still be cancelled.
     */
    @FunctionalInterface
    interface Cancellable {

        /**
         * Cancel the task; no effect if it already ran.
         */
        void cancel();
    }
}
