package io.hephaestus.core.telemetry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class MetricScopeTests {

    @Test
    void scopeIsParsedIgnoringCase() {
        assertThat(MetricScope.parse("all")).isEqualTo(MetricScope.ALL);
        assertThat(MetricScope.parse("Workflow")).isEqualTo(MetricScope.WORKFLOW);
        assertThat(MetricScope.parse("step")).isEqualTo(MetricScope.STEP);
        assertThat(MetricScope.parse("ENGINE")).isEqualTo(MetricScope.ENGINE);
    }

    @Test
    void unknownScopeIsRejectedListingTheValidOnes() {
        assertThatIllegalArgumentException().isThrownBy(() -> MetricScope.parse("steps"))
            .withMessage("unknown metric scope 'steps', expected one of: all, workflow, step, engine");
        assertThatIllegalArgumentException().isThrownBy(() -> MetricScope.parse(""))
            .withMessageContaining("all, workflow, step, engine");
        assertThatNullPointerException().isThrownBy(() -> MetricScope.parse(null)).withMessage("value");
    }

    @Test
    void scopeIncludesTheEventTypesOfItsFamily() {
        assertThat(MetricScope.WORKFLOW.includes(TelemetryEventType.WORKFLOW_CANCEL)).isTrue();
        assertThat(MetricScope.WORKFLOW.includes(TelemetryEventType.STEP_STOP)).isFalse();
        assertThat(MetricScope.STEP.includes(TelemetryEventType.STEP_RESUME)).isTrue();
        assertThat(MetricScope.STEP.includes(TelemetryEventType.ENGINE_ADVANCE)).isFalse();
        assertThat(MetricScope.ENGINE.includes(TelemetryEventType.ENGINE_ADVANCE)).isTrue();
        assertThat(MetricScope.ENGINE.includes(TelemetryEventType.RUNNER_INIT)).isFalse();
        for (TelemetryEventType type : TelemetryEventType.values()) {
            assertThat(MetricScope.ALL.includes(type)).isTrue();
        }
    }
}
