package io.hephaestus.core.engine;

/**
 * {@link InstanceStateException} thrown when a resume is rejected: the instance is not waiting, no
 * waiting step accepts the event, or the named step is not waiting. A rejected resume changes
 * nothing.
 *
 * @since 0.1.0
 */
public class IllegalResumeException extends InstanceStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Create an exception with the given message.
     * @param message why the resume was rejected, naming the instance, step and event
     */
    public IllegalResumeException(String message) {
        super(message);
    }
}
