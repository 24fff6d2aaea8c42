package io.hephaestus.sample.order;

import java.math.BigInteger;
import java.util.Map;
import java.util.Set;

import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;

/**
 * First step of the order workflow: an order is {@code valid} when its {@code items} entry is a
 * positive whole number, else {@code invalid}.
 */
final class ValidateOrder extends OrderStep {

    static final String VALID = "valid";

    static final String INVALID = "invalid";

    static final String ITEMS = "items";

    @Override
    public Set<String> events() {
        return Set.of(VALID, INVALID);
    }

    @Override
    StepResult perform(StepInput input) {
        Object items = input.initial(ITEMS).orElse(null);
        if (items == null) {
            return StepResult.completed(INVALID, Map.of("reason", "the order has no '" + ITEMS + "' entry"));
        }
        if (!isPositiveWholeNumber(items)) {
            return StepResult.completed(INVALID,
                    Map.of("reason", "'" + ITEMS + "' must be a positive whole number, got " + items));
        }
        return StepResult.completed(VALID, Map.of(ITEMS, ((Number) items).longValue()));
    }

    private static boolean isPositiveWholeNumber(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue() > 0;
        }
        if (value instanceof BigInteger big) {
            return big.signum() > 0 && big.bitLength() < Long.SIZE;
        }
        return false;
    }
}
