package io.hephaestus.core.telemetry;

import java.util.List;
import java.util.Objects;

/**
 * {@link MetricDefinitions} lists the documented Hephaestus metrics, the single source of truth
 * from which reporters (such as the Micrometer binder of the Spring Boot starter) create their
 * meters.
 *
 * <p>Metric names and tags are public API and follow the same stability rules as event names.
 *
 * @since 0.1.0
 */
public final class MetricDefinitions {

    private static final String MS = "ms";

    private static final String NO_UNIT = "";

    private static final String COUNT = "";

    private static final List<MetricDefinition> ALL = List.of(
            new MetricDefinition("hephaestus.workflow.start.count", MetricType.COUNTER,
                    TelemetryEventType.WORKFLOW_START, COUNT, List.of("workflow"), NO_UNIT,
                    "Workflow instances started, recoveries included"),
            new MetricDefinition("hephaestus.workflow.stop.count", MetricType.COUNTER, TelemetryEventType.WORKFLOW_STOP,
                    COUNT, List.of("workflow"), NO_UNIT, "Workflow instances completed"),
            new MetricDefinition("hephaestus.workflow.exception.count", MetricType.COUNTER,
                    TelemetryEventType.WORKFLOW_EXCEPTION, COUNT, List.of("workflow", "failed_step"), NO_UNIT,
                    "Workflow instances failed, by the step that failed"),
            new MetricDefinition("hephaestus.workflow.stop.duration", MetricType.DISTRIBUTION,
                    TelemetryEventType.WORKFLOW_STOP, "duration", List.of("workflow"), MS,
                    "Time from the start of a workflow instance to its completion"),
            new MetricDefinition("hephaestus.step.stop.duration", MetricType.DISTRIBUTION,
                    TelemetryEventType.STEP_STOP, "duration", List.of("workflow", "step"), MS,
                    "Time a step took to complete"),
            new MetricDefinition("hephaestus.step.exception.count", MetricType.COUNTER,
                    TelemetryEventType.STEP_EXCEPTION, COUNT, List.of("workflow", "step", "kind"), NO_UNIT,
                    "Step failures, by kind"),
            new MetricDefinition("hephaestus.step.async.count", MetricType.COUNTER, TelemetryEventType.STEP_ASYNC,
                    COUNT, List.of("workflow", "step"), NO_UNIT, "Steps that started waiting for an event"),
            new MetricDefinition("hephaestus.step.resume.wait_duration", MetricType.DISTRIBUTION,
                    TelemetryEventType.STEP_RESUME, "wait_duration", List.of("workflow", "step", "source"), MS,
                    "Time a waiting step waited before it resumed, by source"),
            new MetricDefinition("hephaestus.engine.advance.active_steps_count", MetricType.LAST_VALUE,
                    TelemetryEventType.ENGINE_ADVANCE, "active_steps_count", List.of("workflow"), NO_UNIT,
                    "Steps active after the latest engine advance"));

    private static final List<MetricDefinition> WORKFLOW = filter(MetricScope.WORKFLOW);

    private static final List<MetricDefinition> STEP = filter(MetricScope.STEP);

    private static final List<MetricDefinition> ENGINE = filter(MetricScope.ENGINE);

    private MetricDefinitions() {
    }

    /**
     * Return every documented metric: four workflow metrics, four step metrics and one engine
     * metric, in that order.
     * @return an unmodifiable list of the definitions
     */
    public static List<MetricDefinition> all() {
        return ALL;
    }

    /**
     * Return the documented metrics of a scope, in the order of {@link #all()}.
     * @param scope the scope
     * @return an unmodifiable list of the definitions
     */
    public static List<MetricDefinition> of(MetricScope scope) {
        Objects.requireNonNull(scope, "scope");
        return switch (scope) {
            case ALL -> ALL;
            case WORKFLOW -> WORKFLOW;
            case STEP -> STEP;
            case ENGINE -> ENGINE;
        };
    }

    private static List<MetricDefinition> filter(MetricScope scope) {
        return ALL.stream().filter((definition) -> scope.includes(definition.event())).toList();
    }
}
