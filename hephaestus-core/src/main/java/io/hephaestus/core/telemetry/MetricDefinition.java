package io.hephaestus.core.telemetry;

import java.util.List;
import java.util.Objects;

/**
 * {@link MetricDefinition} describes one metric as data: which events feed it, which measurement
 * it records, and which tags it carries, so that every reporter derives its meters from
 * {@link MetricDefinitions} instead of repeating the table.
 *
 * <p>A reporter attaches a listener for {@link #event()} and, for each event, reads the tag
 * values with {@link #tagValue(TelemetryEvent, int)} and the value with
 * {@link #measure(TelemetryEvent)}; neither allocates. Tags only take bounded values: workflow
 * names, step keys, failure kinds, resume sources; never an instance id.
 *
 * <p>The supported tags are {@code workflow} (every instance-scoped event), {@code step} (the
 * step key, for step events), {@code failed_step} (workflow.exception), {@code kind}
 * (workflow.exception and step.exception) and {@code source} (step.resume). The measurement is
 * one of the keys of the event's {@link TelemetryEvent#measurements()}, or empty for a counter.
 *
 * <p>The constructor rejects a {@code null} component with a {@link NullPointerException}
 * naming it, and an {@link IllegalArgumentException} for a blank name, a counter with a
 * measurement or another type without one, a measurement the event does not have, or a tag
 * the event does not support.
 *
 * @param name the metric name, in Micrometer dot notation, such as
 * {@code hephaestus.step.stop.duration}
 * @param type how a reporter aggregates the values
 * @param event the event type that feeds the metric
 * @param measurement the measurement recorded, such as {@code duration}; empty for a counter,
 * which only counts events
 * @param tags the names of the tags, in order
 * @param unit the unit a reporter should present the values in, {@code ms} for the duration
 * distributions (whose {@link #measure(TelemetryEvent) measured} values are nanoseconds), empty
 * when the values have no unit
 * @param description a one-sentence description of the metric
 * @since 0.1.0
 */
public record MetricDefinition(String name, MetricType type, TelemetryEventType event, String measurement,
        List<String> tags, String unit, String description) {

    /**
     * Create a definition.
     * @param name the metric name, in Micrometer dot notation, such as
     * {@code hephaestus.step.stop.duration}
     * @param type how a reporter aggregates the values
     * @param event the event type that feeds the metric
     * @param measurement the measurement recorded, such as {@code duration}; empty for a counter,
     * which only counts events
     * @param tags the names of the tags, in order
     * @param unit the unit a reporter should present the values in, {@code ms} for the duration
     * distributions (whose {@link #measure(TelemetryEvent) measured} values are nanoseconds), empty
     * when the values have no unit
     * @param description a one-sentence description of the metric
     * @throws NullPointerException if a component or a tag is {@code null}
     * @throws IllegalArgumentException if the definition is inconsistent, as described above
     */
    public MetricDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(measurement, "measurement");
        tags = List.copyOf(Objects.requireNonNull(tags, "tags"));
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(description, "description");
        if (name.isBlank()) {
            throw new IllegalArgumentException("metric name must not be blank");
        }
        if ((type == MetricType.COUNTER) != measurement.isEmpty()) {
            throw new IllegalArgumentException("metric '" + name + "': a counter has no measurement and "
                    + "other types have one, but " + type + " has '" + measurement + "'");
        }
        if (!measurement.isEmpty() && !measurementNames(event).contains(measurement)) {
            throw new IllegalArgumentException("metric '" + name + "': event " + event.eventName()
                    + " has no measurement '" + measurement + "', expected one of " + measurementNames(event));
        }
        for (String tag : tags) {
            if (!supportsTag(event, tag)) {
                throw new IllegalArgumentException("metric '" + name + "': event " + event.eventName()
                        + " has no tag '" + tag + "'");
            }
        }
    }

    /**
     * Return the value of one of this metric's tags for an event.
     * @param event an event of type {@link #event()}
     * @param index the index of the tag in {@link #tags()}
     * @return the tag value: the workflow name for {@code workflow}, the step key for
     * {@code step} and {@code failed_step}, the lower-case value for {@code kind} and
     * {@code source}
     * @throws IllegalArgumentException if the event is of another type
     * @throws IndexOutOfBoundsException if there is no tag at {@code index}
     */
    public String tagValue(TelemetryEvent event, int index) {
        checkType(event);
        String tag = this.tags.get(index);
        return switch (tag) {
            case "workflow" -> Objects.requireNonNull(Events.scopeOf(event)).workflow();
            case "step" -> Objects.requireNonNull(Events.stepKeyOf(event));
            case "failed_step" -> ((WorkflowException) event).failedStep();
            case "kind" -> (event instanceof StepException e) ? e.kind().value()
                    : ((WorkflowException) event).kind().value();
            case "source" -> ((StepResume) event).source().value();
            default -> throw new AssertionError(tag);
        };
    }

    /**
     * Return the value this metric records for an event.
     * @param event an event of type {@link #event()}
     * @return 1 for a counter; otherwise the measurement, in nanoseconds for durations
     * @throws IllegalArgumentException if the event is of another type
     */
    public double measure(TelemetryEvent event) {
        checkType(event);
        if (this.type == MetricType.COUNTER) {
            return 1;
        }
        return measurement(event, this.measurement);
    }

    private void checkType(TelemetryEvent event) {
        if (event.type() != this.event) {
            throw new IllegalArgumentException("metric '" + this.name + "' is fed by " + this.event.eventName()
                    + " events, not " + event.name());
        }
    }

    /**
     * Return the names of an event type's measurements, in the order of
     * {@link TelemetryEvent#measurements()}.
     */
    private static List<String> measurementNames(TelemetryEventType type) {
        return switch (type) {
            case WORKFLOW_START, STEP_START, RUNNER_INIT -> List.of("system_time");
            case WORKFLOW_STOP -> List.of("duration", "step_count", "advance_count");
            case WORKFLOW_EXCEPTION, WORKFLOW_CANCEL, STEP_STOP, STEP_EXCEPTION, STEP_ASYNC -> List.of("duration");
            case WORKFLOW_TRANSITION -> List.of("system_time", "targets_count");
            case STEP_RESUME -> List.of("system_time", "wait_duration");
            case ENGINE_ADVANCE -> List.of("duration", "active_steps_count", "completed_in_advance");
        };
    }

    private static boolean supportsTag(TelemetryEventType type, String tag) {
        return switch (tag) {
            case "workflow" -> type != TelemetryEventType.RUNNER_INIT;
            case "step" -> type == TelemetryEventType.STEP_START || type == TelemetryEventType.STEP_STOP
                    || type == TelemetryEventType.STEP_EXCEPTION || type == TelemetryEventType.STEP_ASYNC
                    || type == TelemetryEventType.STEP_RESUME;
            case "failed_step" -> type == TelemetryEventType.WORKFLOW_EXCEPTION;
            case "kind" -> type == TelemetryEventType.WORKFLOW_EXCEPTION || type == TelemetryEventType.STEP_EXCEPTION;
            case "source" -> type == TelemetryEventType.STEP_RESUME;
            default -> false;
        };
    }

    /**
     * Return a measurement of an event, whose type has been checked to have it.
     */
    private static double measurement(TelemetryEvent event, String name) {
        if (event instanceof WorkflowStop e) {
            return switch (name) {
                case "duration" -> e.duration();
                case "step_count" -> e.stepCount();
                case "advance_count" -> e.advanceCount();
                default -> throw new AssertionError(name);
            };
        }
        if (event instanceof WorkflowTransition e) {
            return switch (name) {
                case "system_time" -> e.systemTime();
                case "targets_count" -> e.targets().size();
                default -> throw new AssertionError(name);
            };
        }
        if (event instanceof StepResume e) {
            return switch (name) {
                case "system_time" -> e.systemTime();
                case "wait_duration" -> e.waitDuration();
                default -> throw new AssertionError(name);
            };
        }
        if (event instanceof EngineAdvance e) {
            return switch (name) {
                case "duration" -> e.duration();
                case "active_steps_count" -> e.activeStepsCount();
                case "completed_in_advance" -> e.completedInAdvance();
                default -> throw new AssertionError(name);
            };
        }
        // The remaining events have a single measurement.
        if (event instanceof WorkflowStart e) {
            return e.systemTime();
        }
        if (event instanceof WorkflowException e) {
            return e.duration();
        }
        if (event instanceof WorkflowCancel e) {
            return e.duration();
        }
        if (event instanceof StepStart e) {
            return e.systemTime();
        }
        if (event instanceof StepStop e) {
            return e.duration();
        }
        if (event instanceof StepException e) {
            return e.duration();
        }
        if (event instanceof StepAsync e) {
            return e.duration();
        }
        if (event instanceof RunnerInit e) {
            return e.systemTime();
        }
        throw new AssertionError(event);
    }
}
