package io.hephaestus.sample.web;

import java.io.IOException;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * {@link IOException} thrown by a request body stream once the body has grown past the configured
 * maximum; whoever reads the body sees an I/O error, and the sample answers 413.
 */
final class BodyTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    BodyTooLargeException(String message) {
        super(message);
    }

    /**
     * Return the {@link BodyTooLargeException} in a cause chain.
     * @param error the outermost error, or {@code null}
     * @return the exception, or empty if the chain has none
     */
    static Optional<BodyTooLargeException> in(@Nullable Throwable error) {
        for (Throwable cause = error; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
            if (cause instanceof BodyTooLargeException tooLarge) {
                return Optional.of(tooLarge);
            }
        }
        return Optional.empty();
    }
}
