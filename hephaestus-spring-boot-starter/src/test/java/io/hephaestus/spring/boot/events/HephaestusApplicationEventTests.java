package io.hephaestus.spring.boot.events;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.core.ResolvableType;

import io.hephaestus.core.telemetry.InstanceScope;
import io.hephaestus.core.telemetry.StepStop;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.core.telemetry.WorkflowStart;

import static org.assertj.core.api.Assertions.assertThat;

class HephaestusApplicationEventTests {

    private final Telemetry telemetry = Telemetry.create();

    private final StepStop stepStop = new StepStop(InstanceScope.of("greetingid::1", "greeting", 1), 2_000_000L,
            "Hello", "hello", "greeted", false, false, List.of("done"));

    @Test
    void accessorsExposeTheWrappedEvent() {
        var event = new HephaestusApplicationEvent<>(this.telemetry, this.stepStop);
        assertThat(event.event()).isSameAs(this.stepStop);
        assertThat(event.name()).isEqualTo("hephaestus.step.stop");
        assertThat(event.type()).isEqualTo(TelemetryEventType.STEP_STOP);
        assertThat(event.measurements()).isEqualTo(this.stepStop.measurements());
        assertThat(event.metadata()).isEqualTo(this.stepStop.metadata());
    }

    @Test
    void sourceIsTheDispatcher() {
        var event = new HephaestusApplicationEvent<>(this.telemetry, this.stepStop);
        assertThat(event.getSource()).isSameAs(this.telemetry);
        assertThat(event.telemetry()).isSameAs(this.telemetry);
    }

    @Test
    void resolvableTypeCarriesTheRecordType() {
        ResolvableType type = new HephaestusApplicationEvent<>(this.telemetry, this.stepStop).getResolvableType();
        assertThat(ResolvableType.forClassWithGenerics(HephaestusApplicationEvent.class, StepStop.class)
            .isAssignableFrom(type)).isTrue();
        assertThat(ResolvableType.forClassWithGenerics(HephaestusApplicationEvent.class, WorkflowStart.class)
            .isAssignableFrom(type)).isFalse();
    }
}
