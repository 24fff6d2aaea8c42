package io.hephaestus.sample.order;

import java.util.List;
import java.util.Set;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;

/**
 * {@link Step} of the order workflow that throws when the order asks it to: an initial context
 * entry {@code "fail": "<step_key>"} makes the step with that key throw a
 * {@link SimulatedFailureException}, so the failure events and metrics can be seen without a real
 * outage.
 */
abstract class OrderStep implements Step {

    /** The initial context entry that names the step to fail. */
    static final String FAIL = "fail";

    @Override
    public final StepResult execute(StepInput input) {
        if (key().equals(input.initial(FAIL).orElse(null))) {
            throw new SimulatedFailureException(key(), input.instanceId());
        }
        return perform(input);
    }

    /**
     * Return no event: order steps complete on their own, so callers have nothing to send them
     * (an early {@code shipped} is refused instead of queued). A step that waits for callers
     * overrides this.
     * @return an empty set
     */
    @Override
    public Set<String> externalEvents() {
        return Set.of();
    }

    /**
     * Do the step's work.
     * @param input the instance's context, this step's config and the attempt number
     * @return how the step finished
     */
    abstract StepResult perform(StepInput input);

    /**
     * Return the keys of a workflow's steps that a {@code fail} entry can name: its order steps.
     * @param workflow the workflow
     * @return the keys, the start step first
     */
    static List<String> keys(Workflow workflow) {
        return workflow.steps()
            .entrySet()
            .stream()
            .filter((entry) -> entry.getValue() instanceof OrderStep)
            .map((entry) -> entry.getKey())
            .toList();
    }
}
