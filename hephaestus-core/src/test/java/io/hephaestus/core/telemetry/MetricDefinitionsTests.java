package io.hephaestus.core.telemetry;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class MetricDefinitionsTests {

    @Test
    void allListsTheNineDocumentedMetricsInOrder() {
        assertThat(MetricDefinitions.all())
            .extracting(MetricDefinition::name, MetricDefinition::type, MetricDefinition::event,
                    MetricDefinition::measurement, MetricDefinition::tags, MetricDefinition::unit)
            .containsExactly(
                    tuple("hephaestus.workflow.start.count", MetricType.COUNTER, TelemetryEventType.WORKFLOW_START, "",
                            List.of("workflow"), ""),
                    tuple("hephaestus.workflow.stop.count", MetricType.COUNTER, TelemetryEventType.WORKFLOW_STOP, "",
                            List.of("workflow"), ""),
                    tuple("hephaestus.workflow.exception.count", MetricType.COUNTER,
                            TelemetryEventType.WORKFLOW_EXCEPTION, "", List.of("workflow", "failed_step"), ""),
                    tuple("hephaestus.workflow.stop.duration", MetricType.DISTRIBUTION,
                            TelemetryEventType.WORKFLOW_STOP, "duration", List.of("workflow"), "ms"),
                    tuple("hephaestus.step.stop.duration", MetricType.DISTRIBUTION, TelemetryEventType.STEP_STOP,
                            "duration", List.of("workflow", "step"), "ms"),
                    tuple("hephaestus.step.exception.count", MetricType.COUNTER, TelemetryEventType.STEP_EXCEPTION, "",
                            List.of("workflow", "step", "kind"), ""),
                    tuple("hephaestus.step.async.count", MetricType.COUNTER, TelemetryEventType.STEP_ASYNC, "",
                            List.of("workflow", "step"), ""),
                    tuple("hephaestus.step.resume.wait_duration", MetricType.DISTRIBUTION,
                            TelemetryEventType.STEP_RESUME, "wait_duration", List.of("workflow", "step", "source"),
                            "ms"),
                    tuple("hephaestus.engine.advance.active_steps_count", MetricType.LAST_VALUE,
                            TelemetryEventType.ENGINE_ADVANCE, "active_steps_count", List.of("workflow"), ""));
    }

    @Test
    void everyMetricHasADescription() {
        assertThat(MetricDefinitions.all()).allSatisfy((definition) -> assertThat(definition.description())
            .isNotBlank()
            .doesNotEndWith("."));
    }

    @Test
    void noMetricIsTaggedWithTheInstanceId() {
        assertThat(MetricDefinitions.all()).flatExtracting(MetricDefinition::tags)
            .doesNotContain("instance_id")
            .isSubsetOf("workflow", "step", "failed_step", "kind", "source");
    }

    @Test
    void allIsUnmodifiable() {
        assertThat(MetricDefinitions.all()).isUnmodifiable();
        for (MetricScope scope : MetricScope.values()) {
            assertThat(MetricDefinitions.of(scope)).isUnmodifiable();
        }
    }

    @Test
    void scopesSelectTheirMetricsInOrder() {
        assertThat(MetricDefinitions.of(MetricScope.ALL)).isEqualTo(MetricDefinitions.all());
        assertThat(MetricDefinitions.of(MetricScope.WORKFLOW)).extracting(MetricDefinition::name)
            .containsExactly("hephaestus.workflow.start.count", "hephaestus.workflow.stop.count",
                    "hephaestus.workflow.exception.count", "hephaestus.workflow.stop.duration");
        assertThat(MetricDefinitions.of(MetricScope.STEP)).extracting(MetricDefinition::name)
            .containsExactly("hephaestus.step.stop.duration", "hephaestus.step.exception.count",
                    "hephaestus.step.async.count", "hephaestus.step.resume.wait_duration");
        assertThat(MetricDefinitions.of(MetricScope.ENGINE)).extracting(MetricDefinition::name)
            .containsExactly("hephaestus.engine.advance.active_steps_count");
    }
}
