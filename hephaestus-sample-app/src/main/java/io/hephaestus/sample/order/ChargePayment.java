package io.hephaestus.sample.order;

import java.util.Set;

import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;

/**
 * Step of the order workflow that asks the payment provider for a charge and parks the instance
 * until the provider confirms it with the external event {@code payment_confirmed}. A parked
 * instance holds no thread.
 */
final class ChargePayment extends OrderStep {

    static final String PAYMENT_CONFIRMED = "payment_confirmed";

    @Override
    public Set<String> events() {
        return Set.of(PAYMENT_CONFIRMED);
    }

    /**
     * Return {@code payment_confirmed}: the payment provider sends it, possibly before the order waits
     * for it (it is then queued).
     * @return the declared event
     */
    @Override
    public Set<String> externalEvents() {
        return events();
    }

    @Override
    StepResult perform(StepInput input) {
        // A real step would call the payment provider here; it answers later through
        // POST /orders/{orderId}/events/payment_confirmed, whose JSON body (e.g. the provider's
        // confirmation id) is stored under this step's key.
        return StepResult.async();
    }
}
