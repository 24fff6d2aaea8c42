package io.hephaestus.core.steps;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.hephaestus.core.internal.StepKeys;

/**
 * {@link Step} is one unit of work in a workflow: it reads the instance context, does its work
 * and returns a {@link StepResult} naming the event that selects the next transition.
 *
 * <p>A step object is a node of a workflow graph; its {@link #key() key} identifies it inside a
 * workflow and names the namespace its results are stored under in the
 * {@link io.hephaestus.core.engine.Context context}. Using the same step object at two places of
 * one workflow refers to the same node.
 *
 * <p><strong>Threading:</strong> the runner may call {@link #execute} from several threads at once
 * (for different instances, and for parallel branches), so implementations must be thread-safe;
 * stateless steps are. {@code execute} may block (the local runner gives it its own thread) and
 * should react to interruption, which is how a timeout or a cancel stops it. Anything it throws
 * fails the step (and, once its retries are exhausted, the instance); it never affects another
 * instance.
 *
 * @since 0.1.0
 */
public interface Step {

    /**
     * Return the events this step may emit. The workflow definition is validated against them: every
     * transition from this step must use a declared event, and every declared event needs a
     * transition. At run time an undeclared event fails the instance.
     * @return the declared events, not empty for a step that has outgoing transitions
     */
    Set<String> events();

    /**
     * Return the events callers may resume this step with while it waits (through
     * {@link io.hephaestus.core.runtime.Runner#resume}); the others can only come from the step's own
     * timer. An event in this set that arrives before the step waits is queued with the instance and
     * delivered when the step starts waiting. Defaults to all {@link #events() declared events};
     * {@link Wait} accepts none and {@link WaitForEvent} all but its timeout, unless they opt in.
     * @return the events accepted from outside, a subset of {@link #events()}
     */
    default Set<String> externalEvents() {
        return events();
    }

    /**
     * Do the step's work.
     * @param input the instance's context, this step's config and the attempt number
     * @return how the step finished
     */
    StepResult execute(StepInput input);

    /**
     * Return the context key of this step: its identity inside a workflow and the name its results
     * are stored under. Defaults to the {@link #name() name} in snake_case ({@code ValidateOrder}
     * becomes {@code validate_order}).
     * @return the key, matching {@code [a-z0-9_]+}
     */
    default String key() {
        return StepKeys.key(getClass(), name());
    }

    /**
     * Return the display name of this step, used in telemetry and logs. Defaults to the simple class
     * name.
     * @return the display name
     */
    default String name() {
        return StepKeys.displayName(getClass());
    }

    /**
     * Return how this step is retried when it fails, throws or times out. Defaults to no retry.
     * @return the retry policy
     */
    default RetryPolicy retryPolicy() {
        return RetryPolicy.none();
    }

    /**
     * Return how long one attempt of this step may run before it is interrupted and counted as a
     * failure of kind {@code timeout}. Defaults to no timeout.
     * @return the timeout, or empty for none
     */
    default Optional<Duration> timeout() {
        return Optional.empty();
    }
}
