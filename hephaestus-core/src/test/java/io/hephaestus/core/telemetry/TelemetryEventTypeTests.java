package io.hephaestus.core.telemetry;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class TelemetryEventTypeTests {

    @Test
    void eventNamesAreTheDocumentedDottedNamesInOrder() {
        assertThat(Arrays.stream(TelemetryEventType.values()).map(TelemetryEventType::eventName)).containsExactly(
                "hephaestus.workflow.start", "hephaestus.workflow.stop", "hephaestus.workflow.exception",
                "hephaestus.workflow.cancel", "hephaestus.workflow.transition", "hephaestus.step.start",
                "hephaestus.step.stop", "hephaestus.step.exception", "hephaestus.step.async", "hephaestus.step.resume",
                "hephaestus.engine.advance", "hephaestus.runner.init");
    }

    @Test
    void fromEventNameFindsEveryType() {
        for (TelemetryEventType type : TelemetryEventType.values()) {
            assertThat(TelemetryEventType.fromEventName(type.eventName())).contains(type);
        }
    }

    @Test
    void fromEventNameIsEmptyForUnknownNames() {
        assertThat(TelemetryEventType.fromEventName("hephaestus.workflow.pause")).isEmpty();
        assertThat(TelemetryEventType.fromEventName("WORKFLOW_START")).isEmpty();
        assertThat(TelemetryEventType.fromEventName("")).isEmpty();
    }

    @Test
    void fromEventNameRejectsNull() {
        assertThatNullPointerException().isThrownBy(() -> TelemetryEventType.fromEventName(null)).withMessage("name");
    }

    @Test
    void failureKindValuesAreLowerCase() {
        assertThat(Arrays.stream(FailureKind.values()).map(FailureKind::value)).containsExactly("error", "exception",
                "timeout", "invalid");
    }

    @Test
    void resumeSourceValuesAreLowerCase() {
        assertThat(Arrays.stream(ResumeSource.values()).map(ResumeSource::value)).containsExactly("external",
                "timeout");
    }
}
