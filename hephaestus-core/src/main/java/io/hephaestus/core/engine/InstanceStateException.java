package io.hephaestus.core.engine;

import io.hephaestus.core.HephaestusException;

/**
 * {@link HephaestusException} thrown when an operation is not allowed in the instance's current
 * status, such as cancelling a completed instance. The instance is left unchanged.
 *
 * @since 0.1.0
 */
public class InstanceStateException extends HephaestusException {

    private static final long serialVersionUID = 1L;

    /**
     * Create an exception with the given message.
     * @param message what was attempted, on which instance, and its status
     */
    public InstanceStateException(String message) {
        super(message);
    }
}
