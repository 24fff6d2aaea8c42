package io.hephaestus.core.runtime;

/**
 * {@link StepTrigger} says why a step runs now: what a {@link StepInterceptor} needs to decide
 * whether the step continues the caller's trace or starts new work linked to the instance's trace.
 *
 * @since 0.1.0
 */
public enum StepTrigger {

    /** Dispatched while the instance was being started, on the thread that called {@code start}. */
    START,

    /** Dispatched by the result of another step of the same instance, on the thread that applied it. */
    NEXT,

    /** Dispatched because an external event was delivered, on the thread that called {@code resume}. */
    EVENT,

    /** Dispatched because a durable timer fired. */
    TIMER,

    /** Another attempt of a step whose previous attempt failed or timed out. */
    RETRY,

    /**
     * Dispatched by a runner that picked the instance up from storage (after a restart, or on demand),
     * or by a runner that cannot tell the cause (a cluster node running a task from the task table).
     */
    RECOVERY
}
