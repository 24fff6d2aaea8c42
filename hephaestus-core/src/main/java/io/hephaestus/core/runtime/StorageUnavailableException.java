package io.hephaestus.core.runtime;

/**
 * {@link StorageException} thrown when a {@link Storage} cannot reach its backend (the database is
 * down, the network is broken, no connection could be had in time). The condition is usually
 * transient, so the same call may succeed later; as for every {@code StorageException}, a write
 * may or may not have been applied.
 *
 * @since 0.1.0
 */
public class StorageUnavailableException extends StorageException {

    private static final long serialVersionUID = 1L;

    /**
     * Create an exception with the given message and cause.
     * @param message which storage could not reach what, doing what
     * @param cause the backend's error
     */
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
