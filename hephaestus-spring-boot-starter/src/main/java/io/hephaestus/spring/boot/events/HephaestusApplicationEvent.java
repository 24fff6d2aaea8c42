package io.hephaestus.spring.boot.events;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEvent;
import org.springframework.core.ResolvableType;
import org.springframework.core.ResolvableTypeProvider;

import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEvent;
import io.hephaestus.core.telemetry.TelemetryEventType;

/**
 * {@link ApplicationEvent} that carries one Hephaestus {@link TelemetryEvent}, published by
 * {@link ApplicationEventTelemetryListener} for every telemetry event.
 *
 * <p>The type argument is the record of the wrapped event, so the parameter type of an
 * {@code @EventListener} method selects the events it receives:
 * <pre>{@code
 * @EventListener
 * void onStepStop(HephaestusApplicationEvent<StepStop> event) {     // hephaestus.step.stop only
 *     Duration took = Duration.ofNanos(event.event().duration());
 * }
 *
 * @EventListener
 * void onAny(HephaestusApplicationEvent<?> event) {                 // every event
 *     log.info("{} {} {}", event.name(), event.measurements(), event.metadata());
 * }
 * }</pre>
 * Generic types match exactly: {@code HephaestusApplicationEvent<TelemetryEvent>} receives
 * nothing; use {@code <?>} (or {@code <? extends TelemetryEvent>}) to receive every event.
 *
 * <p>The {@linkplain #getSource() source} is the {@link Telemetry} dispatcher that emitted the
 * event. Listeners run synchronously on the thread that emitted it (a runner thread, usually), so
 * they must be fast and must not block; annotate them with {@code @Async} to move slow work
 * elsewhere.
 *
 * @param <T> the type of the wrapped telemetry event
 * @since 0.1.0
 */
public final class HephaestusApplicationEvent<T extends TelemetryEvent> extends ApplicationEvent
        implements ResolvableTypeProvider {

    private final T event;

    /**
     * Create an application event for a telemetry event.
     * @param source the dispatcher that emitted the event
     * @param event the telemetry event
     */
    public HephaestusApplicationEvent(Telemetry source, T event) {
        super(Objects.requireNonNull(source, "source"));
        this.event = Objects.requireNonNull(event, "event");
    }

    /**
     * Return the wrapped telemetry event, with its typed fields.
     * @return the telemetry event
     */
    public T event() {
        return this.event;
    }

    /**
     * Return the dotted name of the event, such as {@code hephaestus.step.stop}.
     * @return the event name
     */
    public String name() {
        return this.event.name();
    }

    /**
     * Return the type of the event.
     * @return the event type
     */
    public TelemetryEventType type() {
        return this.event.type();
    }

    /**
     * Return the numeric measurements of the event, keyed by their documented names.
     * @return an unmodifiable, insertion-ordered map, built on each call
     * @see TelemetryEvent#measurements()
     */
    public Map<String, Object> measurements() {
        return this.event.measurements();
    }

    /**
     * Return the metadata of the event, keyed by their documented names.
     * @return an unmodifiable, insertion-ordered map, built on each call; caller values may be
     * {@code null}
     * @see TelemetryEvent#metadata()
     */
    public Map<String, @Nullable Object> metadata() {
        return this.event.metadata();
    }

    /**
     * Return the dispatcher that emitted the event (the {@linkplain #getSource() source}).
     * @return the dispatcher
     */
    public Telemetry telemetry() {
        return (Telemetry) getSource();
    }

    @Override
    public ResolvableType getResolvableType() {
        return ResolvableType.forClassWithGenerics(HephaestusApplicationEvent.class, this.event.getClass());
    }

    @Override
    public String toString() {
        return "HephaestusApplicationEvent[" + this.event + "]";
    }
}
