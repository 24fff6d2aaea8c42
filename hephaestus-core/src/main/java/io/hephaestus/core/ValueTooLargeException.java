package io.hephaestus.core;

/**
 * {@link InvalidValueException} thrown when a context, metadata or event data value is larger, as
 * JSON, than the runner accepts (see {@code LocalRunner.Builder#maxValueSize}).
 *
 * @since 0.1.0
 */
public class ValueTooLargeException extends InvalidValueException {

    private static final long serialVersionUID = 1L;

    private final long limit;

    /**
     * Create an exception for a value over the limit.
     * @param what the value, such as {@code initial context}
     * @param limit the limit in bytes of JSON (UTF-8)
     */
    public ValueTooLargeException(String what, long limit) {
        super(what + " is larger than " + limit + " bytes of JSON, the most this runner accepts");
        this.limit = limit;
    }

    /**
     * Return the limit that was exceeded.
     * @return the limit in bytes of JSON (UTF-8)
     */
    public long limit() {
        return this.limit;
    }
}
