package io.hephaestus.sample.order;

/**
 * {@link RuntimeException} thrown by an order step that the order's {@code fail} entry names.
 */
final class SimulatedFailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SimulatedFailureException(String stepKey, String instanceId) {
        super("simulated failure of step " + stepKey + " for " + instanceId + ", requested by the order's '"
                + OrderStep.FAIL + "' entry");
    }
}
