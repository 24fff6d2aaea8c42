package io.hephaestus.core;

/**
 * {@link RuntimeException} at the root of every error Hephaestus raises on purpose.
 *
 * <p>Hephaestus never throws checked exceptions; catch this type to handle any library error,
 * or one of its subclasses to handle a specific one.
 *
 * @since 0.1.0
 */
public class HephaestusException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Create an exception with the given message.
     * @param message what went wrong, naming the offending input
     */
    public HephaestusException(String message) {
        super(message);
    }

    /**
     * Create an exception with the given message and cause.
     * @param message what went wrong, naming the offending input
     * @param cause the underlying error
     */
    public HephaestusException(String message, Throwable cause) {
        super(message, cause);
    }
}
