package io.hephaestus.core.telemetry;

import java.util.EnumSet;
import java.util.Set;

/**
 * {@link TelemetryListener} that receives the {@link TelemetryEvent}s a {@link Telemetry}
 * dispatcher emits.
 *
 * <p>Listeners run synchronously on the engine's and the runner's threads, possibly on several
 * threads at once, so they must be thread-safe, fast, and must not block: hand slow work (network
 * calls, disk writes) to another thread. An exception a listener throws is caught and logged by
 * the dispatcher; it never reaches the workflow, and the other listeners still receive the event.
 * An {@link Error} is not caught.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface TelemetryListener {

    /**
     * Handle one event.
     * @param event the event, of one of the types the listener was attached for
     */
    void onEvent(TelemetryEvent event);

    /**
     * Return the event types this listener receives when it is attached without naming any
     * ({@link Telemetry#attach(String, TelemetryListener)}). Defaults to every type. A listener
     * that uses only some events declares them here, so that the others are not even built for it.
     * @return the event types, not empty
     */
    default Set<TelemetryEventType> eventTypes() {
        return EnumSet.allOf(TelemetryEventType.class);
    }
}
