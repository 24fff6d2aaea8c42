package io.hephaestus.core.runtime;

import io.hephaestus.core.HephaestusException;

/**
 * {@link HephaestusException} thrown when no instance matches the given id.
 *
 * @since 0.1.0
 */
public class InstanceNotFoundException extends HephaestusException {

    private static final long serialVersionUID = 1L;

    /**
     * Create an exception with the given message.
     * @param message which id was looked up, and where
     */
    public InstanceNotFoundException(String message) {
        super(message);
    }
}
