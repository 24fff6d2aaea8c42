package io.hephaestus.sample.order;

/**
 * {@link RuntimeException} thrown by the order API when a request is well-formed JSON but not what
 * the endpoint takes (a {@code null} body, an array, an unknown step in {@code fail}); answered
 * 400 with the message as the problem's {@code detail}.
 */
final class InvalidOrderRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidOrderRequestException(String message) {
        super(message);
    }
}
