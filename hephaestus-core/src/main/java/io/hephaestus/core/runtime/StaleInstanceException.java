package io.hephaestus.core.runtime;

import io.hephaestus.core.HephaestusException;

/**
 * {@link HephaestusException} thrown by {@link Storage#update} when the stored instance changed
 * since it was read (optimistic locking). Nothing was written.
 *
 * @since 0.1.0
 */
public class StaleInstanceException extends HephaestusException {

    private static final long serialVersionUID = 1L;

    /**
     * Create an exception with the given message.
     * @param message which instance, and the expected and actual revisions
     */
    public StaleInstanceException(String message) {
        super(message);
    }
}
