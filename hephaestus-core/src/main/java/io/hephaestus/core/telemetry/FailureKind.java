package io.hephaestus.core.telemetry;

/**
 * How a step failed, as carried by {@link StepException} and {@link WorkflowException}.
 *
 * <p>The values are bounded, so reporters may use {@link #value()} as a metric tag ({@code kind}).
 *
 * @since 0.1.0
 */
public enum FailureKind {

    /** The step returned a failure. */
    ERROR("error"),

    /** The step threw an exception. */
    EXCEPTION("exception"),

    /** The step ran longer than its timeout. */
    TIMEOUT("timeout"),

    /**
     * The engine rejected the step's result, for example an undeclared event or an undeclared
     * dynamic target.
     */
    INVALID("invalid");

    private final String value;

    FailureKind(String value) {
        this.value = value;
    }

    /**
     * Return the lower-case value written to event metadata and metric tags.
     * @return the value, such as {@code exception}
     */
    public String value() {
        return this.value;
    }
}
