package io.hephaestus.sample.order;

import java.util.Map;
import java.util.Set;

import io.hephaestus.core.definition.BusinessKey;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;

/**
 * Last step of a shipped order: tells the customer the tracking number and stores the message.
 */
final class NotifyCustomer extends OrderStep {

    static final String NOTIFIED = "notified";

    @Override
    public Set<String> events() {
        return Set.of(NOTIFIED);
    }

    @Override
    StepResult perform(StepInput input) {
        Object tracking = input.context().step("ship_order").get("tracking_number");
        String message = "Order " + BusinessKey.valueOf(input.instanceId()) + " has shipped; tracking number "
                + tracking;
        return StepResult.completed(NOTIFIED, Map.of("message", message));
    }
}
