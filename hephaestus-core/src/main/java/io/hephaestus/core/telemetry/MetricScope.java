package io.hephaestus.core.telemetry;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Which {@link MetricDefinition}s {@link MetricDefinitions#of(MetricScope)} returns.
 *
 * @since 0.1.0
 */
public enum MetricScope {

    /** Every metric. */
    ALL,

    /** The metrics of workflow events. */
    WORKFLOW,

    /** The metrics of step events. */
    STEP,

    /** The metrics of engine events. */
    ENGINE;

    /**
     * Return the scope with the given name, ignoring case, such as {@code step} from a
     * configuration property.
     * @param value the name of the scope
     * @return the scope
     * @throws IllegalArgumentException if no scope has that name; the message lists the valid
     * ones
     */
    public static MetricScope parse(String value) {
        Objects.requireNonNull(value, "value");
        for (MetricScope scope : values()) {
            if (scope.name().equalsIgnoreCase(value)) {
                return scope;
            }
        }
        String valid = Arrays.stream(values())
            .map((scope) -> scope.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", "));
        throw new IllegalArgumentException("unknown metric scope '" + value + "', expected one of: " + valid);
    }

    /**
     * Return whether the metrics of an event type belong to this scope.
     * @param type the event type
     * @return {@code true} if they do
     */
    boolean includes(TelemetryEventType type) {
        return switch (this) {
            case ALL -> true;
            case WORKFLOW -> type.eventName().startsWith("hephaestus.workflow.");
            case STEP -> type.eventName().startsWith("hephaestus.step.");
            case ENGINE -> type.eventName().startsWith("hephaestus.engine.");
        };
    }
}
