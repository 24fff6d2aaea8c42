package io.hephaestus.sample.order;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;

/**
 * Step of the order workflow that reserves the ordered items, in parallel with the payment, and
 * stores the reservation id.
 */
final class ReserveInventory extends OrderStep {

    static final String RESERVED = "reserved";

    @Override
    public Set<String> events() {
        return Set.of(RESERVED);
    }

    @Override
    StepResult perform(StepInput input) {
        Object items = input.context().step("validate_order").get(ValidateOrder.ITEMS);
        return StepResult.completed(RESERVED,
                Map.of("reservation_id", "rsv-" + UUID.randomUUID(), ValidateOrder.ITEMS, items));
    }
}
