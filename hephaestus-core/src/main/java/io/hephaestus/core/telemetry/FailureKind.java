package io.hephaestus.core.telemetry;

/** Placeholder until the telemetry branch is merged. */
public enum FailureKind {
    ERROR("error"), EXCEPTION("exception"), TIMEOUT("timeout"), INVALID("invalid");

    private final String value;

    FailureKind(String value) {
        this.value = value;
    }

    public String value() {
        return this.value;
    }
}
