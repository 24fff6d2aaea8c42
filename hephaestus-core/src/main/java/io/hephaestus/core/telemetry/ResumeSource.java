package io.hephaestus.core.telemetry;

/**
 * Why a waiting step resumed, as carried by {@link StepResume}.
 *
 * <p>The values are bounded, so reporters may use {@link #value()} as a metric tag
 * ({@code source}).
 *
 * @since 0.1.0
 */
public enum ResumeSource {

    /** An external event was delivered to the waiting instance. */
    EXTERNAL("external"),

    /** The step's wait timed out. */
    TIMEOUT("timeout");

    private final String value;

    ResumeSource(String value) {
        this.value = value;
    }

    /**
     * Return the lower-case value written to event metadata and metric tags.
     * @return the value, such as {@code external}
     */
    public String value() {
        return this.value;
    }
}
