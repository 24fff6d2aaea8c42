package io.hephaestus.core;

/**
 * {@link HephaestusException} thrown when a value handed to Hephaestus is not acceptable: a
 * business key value with forbidden characters, a context or metadata value that is not
 * JSON-serialisable, a negative duration.
 *
 * @since 0.1.0
 */
public class InvalidValueException extends HephaestusException {

    private static final long serialVersionUID = 1L;

    /**
     * Create an exception with the given message.
     * @param message what is wrong, naming the offending value
     */
    public InvalidValueException(String message) {
        super(message);
    }
}
