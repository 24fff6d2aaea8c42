package io.hephaestus.core.telemetry;

/** Placeholder until the telemetry branch is merged. */
public enum ResumeSource {
    EXTERNAL("external"), TIMEOUT("timeout");

    private final String value;

    ResumeSource(String value) {
        this.value = value;
    }

    public String value() {
        return this.value;
    }
}
