package io.hephaestus.core.runtime;

import io.hephaestus.core.HephaestusException;

/**
 * {@link HephaestusException} thrown by a {@link Storage} that could not do what was asked because
 * its backend failed: a database error, or a stored instance that cannot be read back. Contract
 * violations by the caller (a stale revision, an unknown run id, an invalid value) have their own
 * exceptions and are never reported this way.
 *
 * <p>A write that fails this way may or may not have been applied (a connection can break after
 * the commit): read the instance again before writing it anew.
 *
 * @since 0.1.0
 */
public class StorageException extends HephaestusException {

    private static final long serialVersionUID = 1L;

    /**
     * Create an exception with the given message.
     * @param message which storage failed, doing what, and why
     */
    public StorageException(String message) {
        super(message);
    }

    /**
     * Create an exception with the given message and cause.
     * @param message which storage failed, doing what, and why
     * @param cause the backend's error
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
