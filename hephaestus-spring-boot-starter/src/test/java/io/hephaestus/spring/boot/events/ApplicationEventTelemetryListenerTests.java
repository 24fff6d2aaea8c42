package io.hephaestus.spring.boot.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.hephaestus.core.telemetry.InstanceScope;
import io.hephaestus.core.telemetry.StepStop;
import io.hephaestus.core.telemetry.Telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

@ExtendWith(OutputCaptureExtension.class)
class ApplicationEventTelemetryListenerTests {

    private final Telemetry telemetry = Telemetry.create();

    private final StepStop stepStop = new StepStop(InstanceScope.of("greetingid::1", "greeting", 1), 2_000_000L,
            "Hello", "hello", "greeted", false, false, List.of("done"));

    @Test
    void publishesEachEventWrappedWithTheDispatcherAsSource() {
        List<Object> published = new CopyOnWriteArrayList<>();
        var listener = new ApplicationEventTelemetryListener(published::add, () -> this.telemetry);
        listener.onEvent(this.stepStop);
        assertThat(published).singleElement()
            .isInstanceOfSatisfying(HephaestusApplicationEvent.class, (event) -> {
                assertThat(event.event()).isSameAs(this.stepStop);
                assertThat(event.getSource()).isSameAs(this.telemetry);
            });
    }

    @Test
    void resolvesTheDispatcherOnce() {
        AtomicInteger lookups = new AtomicInteger();
        var listener = new ApplicationEventTelemetryListener((event) -> {
        }, () -> {
            lookups.incrementAndGet();
            return this.telemetry;
        });
        listener.onEvent(this.stepStop);
        listener.onEvent(this.stepStop);
        assertThat(lookups).hasValue(1);
    }

    @Test
    void failingPublisherIsLoggedOnceAndSwallowed(CapturedOutput output) {
        var listener = new ApplicationEventTelemetryListener((event) -> {
            throw new IllegalStateException("listener failure");
        }, () -> this.telemetry);
        assertThatNoException().isThrownBy(() -> listener.onEvent(this.stepStop));
        String warning = "Application listener failed on telemetry event hephaestus.step.stop";
        assertThat(output.getOut()).containsOnlyOnce(warning).contains("WARN").contains("listener failure");
    }
}
