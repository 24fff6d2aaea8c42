package io.hephaestus.sample.order;

import java.util.Map;
import java.util.Set;

import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;

/**
 * Step of the order workflow that rejects an invalid order, keeping the reason validation gave.
 */
final class RejectOrder extends OrderStep {

    static final String REJECTED = "rejected";

    @Override
    public Set<String> events() {
        return Set.of(REJECTED);
    }

    @Override
    StepResult perform(StepInput input) {
        Object reason = input.context().step("validate_order").getOrDefault("reason", "invalid order");
        return StepResult.completed(REJECTED, Map.of("reason", reason));
    }
}
