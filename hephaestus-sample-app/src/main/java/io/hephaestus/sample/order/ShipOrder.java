package io.hephaestus.sample.order;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;

/**
 * Step of the order workflow that ships a paid and reserved order (it joins both branches) and
 * stores the tracking number.
 */
final class ShipOrder extends OrderStep {

    static final String SHIPPED = "shipped";

    @Override
    public Set<String> events() {
        return Set.of(SHIPPED);
    }

    @Override
    StepResult perform(StepInput input) {
        Object reservation = input.context().step("reserve_inventory").get("reservation_id");
        String tracking = "trk-" + UUID.randomUUID().toString().substring(0, 8);
        return StepResult.completed(SHIPPED, Map.of("tracking_number", tracking, "reservation_id", reservation));
    }
}
