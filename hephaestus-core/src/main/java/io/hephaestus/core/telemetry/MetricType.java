package io.hephaestus.core.telemetry;

/**
 * How a reporter aggregates the values of a {@link MetricDefinition}.
 *
 * @since 0.1.0
 */
public enum MetricType {

    /** Count the events; {@link MetricDefinition#measure(TelemetryEvent)} is always 1. */
    COUNTER,

    /** Record the distribution of a measurement, such as a timer or a histogram. */
    DISTRIBUTION,

    /** Keep the latest value of a measurement, such as a gauge. */
    LAST_VALUE
}
