package io.hephaestus.core.definition;

import io.hephaestus.core.HephaestusException;

/**
 * {@link HephaestusException} thrown when a workflow name or version is not registered.
 *
 * @since 0.1.0
 */
public class UnknownWorkflowException extends HephaestusException {

    private static final long serialVersionUID = 1L;

    /**
     * Create an exception with the given message.
     * @param message which workflow or version was asked for, and which exist
     */
    public UnknownWorkflowException(String message) {
        super(message);
    }
}
