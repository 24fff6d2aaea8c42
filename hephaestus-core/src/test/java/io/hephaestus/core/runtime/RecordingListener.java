package io.hephaestus.core.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.hephaestus.core.telemetry.TelemetryEvent;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.core.telemetry.TelemetryListener;

/**
 * Records every telemetry event, thread-safely.
 */
final class RecordingListener implements TelemetryListener {

    private final List<TelemetryEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(TelemetryEvent event) {
        this.events.add(event);
    }

    List<TelemetryEvent> events() {
        return new ArrayList<>(this.events);
    }

    List<String> names() {
        return this.events.stream().map(TelemetryEvent::name).collect(Collectors.toList());
    }

    <T extends TelemetryEvent> List<T> of(Class<T> type) {
        return this.events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    long count(TelemetryEventType type) {
        return this.events.stream().filter((event) -> event.type() == type).count();
    }
}
