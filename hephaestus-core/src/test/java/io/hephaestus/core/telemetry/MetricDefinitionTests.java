package io.hephaestus.core.telemetry;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class MetricDefinitionTests {

    @Test
    void tagValuesAndMeasuresOfTheDocumentedMetrics() {
        assertThat(metric("hephaestus.workflow.start.count")).satisfies((m) -> {
            assertThat(tagValues(m, SampleEvents.workflowStart())).containsExactly("order_flow");
            assertThat(m.measure(SampleEvents.workflowStart())).isEqualTo(1.0);
        });
        assertThat(metric("hephaestus.workflow.stop.count")).satisfies((m) -> {
            assertThat(tagValues(m, SampleEvents.workflowStop())).containsExactly("order_flow");
            assertThat(m.measure(SampleEvents.workflowStop())).isEqualTo(1.0);
        });
        assertThat(metric("hephaestus.workflow.exception.count")).satisfies((m) -> {
            assertThat(tagValues(m, SampleEvents.workflowException())).containsExactly("order_flow", "charge");
            assertThat(m.measure(SampleEvents.workflowException())).isEqualTo(1.0);
        });
        assertThat(metric("hephaestus.workflow.stop.duration")).satisfies((m) -> {
            assertThat(tagValues(m, SampleEvents.workflowStop())).containsExactly("order_flow");
            assertThat(m.measure(SampleEvents.workflowStop())).isEqualTo(15_900_000.0);
        });
        assertThat(metric("hephaestus.step.stop.duration")).satisfies((m) -> {
            assertThat(tagValues(m, SampleEvents.stepStop())).containsExactly("order_flow", "validate");
            assertThat(m.measure(SampleEvents.stepStop())).isEqualTo(2_999_999.0);
        });
        assertThat(metric("hephaestus.step.exception.count")).satisfies((m) -> {
            assertThat(tagValues(m, SampleEvents.stepException())).containsExactly("order_flow", "charge", "timeout");
            assertThat(m.measure(SampleEvents.stepException())).isEqualTo(1.0);
        });
        assertThat(metric("hephaestus.step.async.count")).satisfies((m) -> {
            assertThat(tagValues(m, SampleEvents.stepAsync())).containsExactly("order_flow", "await_payment");
            assertThat(m.measure(SampleEvents.stepAsync())).isEqualTo(1.0);
        });
        assertThat(metric("hephaestus.step.resume.wait_duration")).satisfies((m) -> {
            assertThat(tagValues(m, SampleEvents.stepResume())).containsExactly("order_flow", "await_payment",
                    "external");
            assertThat(m.measure(SampleEvents.stepResume())).isEqualTo(61_234_000_000.0);
        });
        assertThat(metric("hephaestus.engine.advance.active_steps_count")).satisfies((m) -> {
            assertThat(tagValues(m, SampleEvents.engineAdvance())).containsExactly("order_flow");
            assertThat(m.measure(SampleEvents.engineAdvance())).isEqualTo(2.0);
        });
    }

    @ParameterizedTest
    @MethodSource("io.hephaestus.core.telemetry.SampleEvents#named")
    void everyMeasurementOfEveryEventCanBeMeasured(TelemetryEvent event) {
        for (Map.Entry<String, Object> measurement : event.measurements().entrySet()) {
            var definition = new MetricDefinition("test." + measurement.getKey(), MetricType.DISTRIBUTION,
                    event.type(), measurement.getKey(), List.of(), "", "Test");
            assertThat(definition.measure(event)).as(measurement.getKey())
                .isEqualTo(((Number) measurement.getValue()).doubleValue());
        }
    }

    @ParameterizedTest
    @MethodSource("io.hephaestus.core.telemetry.SampleEvents#namedInstanceScoped")
    void tagValuesMatchTheMetadata(TelemetryEvent event) {
        Map<String, Object> metadata = event.metadata();
        Map<String, String> tagToMetadataKey = Map.of("workflow", "workflow", "step", "step_key", "failed_step",
                "failed_step", "kind", "kind", "source", "source");
        List<String> tags = tagToMetadataKey.keySet()
            .stream()
            .filter((tag) -> metadata.containsKey(tagToMetadataKey.get(tag)))
            .sorted()
            .toList();
        var definition = new MetricDefinition("test", MetricType.COUNTER, event.type(), "", tags, "", "Test");
        for (int i = 0; i < tags.size(); i++) {
            assertThat(definition.tagValue(event, i)).as(tags.get(i))
                .isEqualTo(metadata.get(tagToMetadataKey.get(tags.get(i))));
        }
        assertThat(tags).contains("workflow");
    }

    @Test
    void kindTagOfAWorkflowExceptionIsItsKindValue() {
        var definition = new MetricDefinition("test", MetricType.COUNTER, TelemetryEventType.WORKFLOW_EXCEPTION, "",
                List.of("kind"), "", "Test");
        assertThat(definition.tagValue(SampleEvents.workflowException(), 0)).isEqualTo("exception");
    }

    @Test
    void eventOfAnotherTypeIsRejected() {
        MetricDefinition definition = metric("hephaestus.step.stop.duration");
        assertThatIllegalArgumentException().isThrownBy(() -> definition.measure(SampleEvents.stepStart()))
            .withMessage("metric 'hephaestus.step.stop.duration' is fed by hephaestus.step.stop events, "
                    + "not hephaestus.step.start");
        assertThatIllegalArgumentException().isThrownBy(() -> definition.tagValue(SampleEvents.stepAsync(), 0));
    }

    @Test
    void tagIndexOutOfRangeIsRejected() {
        MetricDefinition definition = metric("hephaestus.step.stop.duration");
        assertThatExceptionOfType(IndexOutOfBoundsException.class)
            .isThrownBy(() -> definition.tagValue(SampleEvents.stepStop(), 2));
    }

    @Test
    void tagValueAndMeasureDoNotAllocate() {
        List<MetricDefinition> definitions = MetricDefinitions.all();
        List<TelemetryEvent> events = definitions.stream().map(MetricDefinitionTests::sampleOf).toList();
        long[] checksum = new long[1];
        long allocated = Allocations.measure(() -> {
            for (int round = 0; round < 10_000; round++) {
                for (int d = 0; d < definitions.size(); d++) {
                    MetricDefinition definition = definitions.get(d);
                    TelemetryEvent event = events.get(d);
                    for (int t = 0; t < definition.tags().size(); t++) {
                        checksum[0] += definition.tagValue(event, t).length();
                    }
                    checksum[0] += (long) definition.measure(event);
                }
            }
        });
        assertThat(checksum[0]).isPositive();
        assertThat(allocated).isLessThan(10_000);
    }

    @Test
    void counterWithAMeasurementIsRejected() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new MetricDefinition("x", MetricType.COUNTER, TelemetryEventType.STEP_STOP, "duration",
                    List.of(), "", "X"))
            .withMessageContaining("counter");
    }

    @Test
    void distributionWithoutAMeasurementIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(
                () -> new MetricDefinition("x", MetricType.DISTRIBUTION, TelemetryEventType.STEP_STOP, "", List.of(),
                        "", "X"));
    }

    @Test
    void unknownMeasurementIsRejected() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new MetricDefinition("x", MetricType.LAST_VALUE, TelemetryEventType.STEP_STOP,
                    "wait_duration", List.of(), "", "X"))
            .withMessage("metric 'x': event hephaestus.step.stop has no measurement 'wait_duration', "
                    + "expected one of [duration]");
    }

    @Test
    void unsupportedTagIsRejected() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new MetricDefinition("x", MetricType.COUNTER, TelemetryEventType.WORKFLOW_STOP, "",
                    List.of("workflow", "step"), "", "X"))
            .withMessage("metric 'x': event hephaestus.workflow.stop has no tag 'step'");
        assertThatIllegalArgumentException().isThrownBy(() -> new MetricDefinition("x", MetricType.COUNTER,
                TelemetryEventType.RUNNER_INIT, "", List.of("workflow"), "", "X"));
        assertThatIllegalArgumentException().isThrownBy(() -> new MetricDefinition("x", MetricType.COUNTER,
                TelemetryEventType.STEP_STOP, "", List.of("instance_id"), "", "X"));
    }

    @Test
    void blankNameAndNullsAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(
                () -> new MetricDefinition(" ", MetricType.COUNTER, TelemetryEventType.STEP_STOP, "", List.of(), "",
                        "X"));
        assertThatNullPointerException().isThrownBy(
                () -> new MetricDefinition("x", MetricType.COUNTER, null, "", List.of(), "", "X"))
            .withMessage("event");
        assertThatNullPointerException().isThrownBy(
                () -> new MetricDefinition("x", MetricType.COUNTER, TelemetryEventType.STEP_STOP, "", null, "", "X"))
            .withMessage("tags");
    }

    private static MetricDefinition metric(String name) {
        return MetricDefinitions.all()
            .stream()
            .filter((definition) -> definition.name().equals(name))
            .findFirst()
            .orElseThrow();
    }

    private static List<String> tagValues(MetricDefinition definition, TelemetryEvent event) {
        return IntStream.range(0, definition.tags().size())
            .mapToObj((index) -> definition.tagValue(event, index))
            .toList();
    }

    private static TelemetryEvent sampleOf(MetricDefinition definition) {
        return SampleEvents.all()
            .stream()
            .filter((event) -> event.type() == definition.event())
            .findFirst()
            .orElseThrow();
    }
}
