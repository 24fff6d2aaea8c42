package io.hephaestus.cluster;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.hephaestus.core.telemetry.TelemetryEvent;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.core.telemetry.TelemetryListener;

/**
 * A telemetry listener of one node that counts the events it receives, per type and per instance
 * and type, and counts down a latch shared by every node on each {@code workflow.stop}.
 */
final class EventCounter implements TelemetryListener {

    private final Map<TelemetryEventType, AtomicInteger> byType = new EnumMap<>(TelemetryEventType.class);

    private final Map<String, AtomicInteger> byInstance = new ConcurrentHashMap<>();

    private final Map<TelemetryEventType, TelemetryEvent> last = new ConcurrentHashMap<>();

    private final CountDownLatch stops;

    EventCounter(CountDownLatch stops) {
        this.stops = stops;
        for (TelemetryEventType type : TelemetryEventType.values()) {
            this.byType.put(type, new AtomicInteger());
        }
    }

    @Override
    public void onEvent(TelemetryEvent event) {
        this.byType.get(event.type()).incrementAndGet();
        this.last.put(event.type(), event);
        event.instanceScope().ifPresent((scope) -> this.byInstance
            .computeIfAbsent(scope.instanceId() + " " + event.type().eventName(), (key) -> new AtomicInteger())
            .incrementAndGet());
        if (event.type() == TelemetryEventType.WORKFLOW_STOP) {
            this.stops.countDown();
        }
    }

    /**
     * Return the metadata of the last event of a type, or an empty map if there was none.
     */
    Map<String, Object> metadataOf(TelemetryEventType type) {
        TelemetryEvent event = this.last.get(type);
        return (event == null) ? Map.of() : new HashMap<>(event.metadata());
    }

    int count(TelemetryEventType type) {
        return this.byType.get(type).get();
    }

    int count(String instanceId, TelemetryEventType type) {
        AtomicInteger count = this.byInstance.get(instanceId + " " + type.eventName());
        return (count == null) ? 0 : count.get();
    }

    static boolean await(CountDownLatch latch, int seconds) throws InterruptedException {
        return latch.await(seconds, TimeUnit.SECONDS);
    }
}
