package io.hephaestus.core.telemetry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Telemetry} dispatcher that delivers {@link TelemetryEvent}s to the
 * {@link TelemetryListener}s attached to it, each under a unique id, for one event type, several,
 * or all.
 *
 * <p>The dispatcher is thread-safe. Attaching and detaching are rare and take a lock;
 * {@link #isEnabled(TelemetryEventType)} and {@link #emit(TelemetryEvent)} are on the engine's hot
 * path and only read a snapshot of the listeners, without locking or allocating. Emitters should
 * check {@link #isEnabled(TelemetryEventType)} before building an event, so that telemetry costs
 * next to nothing when nobody listens.
 *
 * @since 0.1.0
 */
public final class Telemetry {

    private static final Logger logger = LoggerFactory.getLogger(Telemetry.class);

    private static final Registration[] NONE = {};

    private final Object lock = new Object();

    /** Every registration by id, in attach order. Guarded by {@link #lock}. */
    private final Map<String, Registration> registrations = new LinkedHashMap<>();

    /**
     * The registrations for each event type, indexed by ordinal, in attach order. Replaced
     * (never mutated) under {@link #lock}, so readers see a consistent snapshot.
     */
    private volatile Registration[][] byType;

    private Telemetry() {
        this.byType = index(List.of());
    }

    /**
     * Return a dispatcher with no listeners.
     * @return the dispatcher
     */
    public static Telemetry create() {
        return new Telemetry();
    }

    /**
     * Attach a listener for the event types it declares ({@link TelemetryListener#eventTypes()}:
     * every type unless the listener says otherwise).
     * @param id the unique id of the listener, used to detach it and to name it in logs
     * @param listener the listener
     * @throws IllegalArgumentException if the listener declares no event type
     * @throws IllegalStateException if a listener is already attached with that id
     */
    public void attach(String id, TelemetryListener listener) {
        attach(id, Objects.requireNonNull(listener, "listener").eventTypes(), listener);
    }

    /**
     * Attach a listener for the given event types. The listener receives the events after the
     * listeners attached before it.
     * @param id the unique id of the listener, used to detach it and to name it in logs
     * @param types the event types the listener receives
     * @param listener the listener
     * @throws IllegalArgumentException if {@code types} is empty
     * @throws IllegalStateException if a listener is already attached with that id
     */
    public void attach(String id, Set<TelemetryEventType> types, TelemetryListener listener) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(types, "types");
        Objects.requireNonNull(listener, "listener");
        if (types.isEmpty()) {
            throw new IllegalArgumentException(
                    "telemetry listener '" + id + "' must listen to at least one event type");
        }
        var registration = new Registration(id, EnumSet.copyOf(types), listener);
        synchronized (this.lock) {
            if (this.registrations.containsKey(id)) {
                throw new IllegalStateException("telemetry listener '" + id + "' is already attached");
            }
            this.registrations.put(id, registration);
            this.byType = index(this.registrations.values());
        }
    }

    /**
     * Detach the listener attached with the given id. An emission already under way may still
     * deliver its event to the listener.
     * @param id the id the listener was attached with
     * @return {@code true} if a listener was attached with that id
     */
    public boolean detach(String id) {
        Objects.requireNonNull(id, "id");
        synchronized (this.lock) {
            if (this.registrations.remove(id) == null) {
                return false;
            }
            this.byType = index(this.registrations.values());
            return true;
        }
    }

    /**
     * Return the ids of the attached listeners.
     * @return an unmodifiable snapshot of the ids, in attach order
     */
    public Set<String> listenerIds() {
        synchronized (this.lock) {
            return Collections.unmodifiableSet(new LinkedHashSet<>(this.registrations.keySet()));
        }
    }

    /**
     * Return whether at least one listener receives events of the given type. Emitters call it
     * before building an event; it neither locks nor allocates.
     * @param type the event type
     * @return {@code true} if emitting an event of this type would reach a listener
     */
    public boolean isEnabled(TelemetryEventType type) {
        return this.byType[type.ordinal()].length != 0;
    }

    /**
     * Deliver an event to each listener attached for its type, in attach order, on the calling
     * thread. An exception a listener throws is logged at WARN, naming the listener and the event,
     * and does not propagate: the remaining listeners still receive the event. An {@link Error}
     * (such as {@link OutOfMemoryError}) is not caught. Nothing is allocated when no listener is
     * attached for the type.
     * @param event the event
     */
    public void emit(TelemetryEvent event) {
        Registration[] listeners = this.byType[event.type().ordinal()];
        for (int i = 0; i < listeners.length; i++) {
            Registration registration = listeners[i];
            try {
                registration.listener().onEvent(event);
            }
            catch (Exception ex) {
                logger.warn("Telemetry listener '{}' failed on event {}", registration.id(), event.name(), ex);
            }
        }
    }

    private static Registration[][] index(Iterable<Registration> registrations) {
        TelemetryEventType[] types = TelemetryEventType.values();
        Registration[][] index = new Registration[types.length][];
        for (TelemetryEventType type : types) {
            List<Registration> listeners = new ArrayList<>();
            for (Registration registration : registrations) {
                if (registration.types().contains(type)) {
                    listeners.add(registration);
                }
            }
            index[type.ordinal()] = listeners.isEmpty() ? NONE : listeners.toArray(NONE);
        }
        return index;
    }

    private record Registration(String id, Set<TelemetryEventType> types, TelemetryListener listener) {
    }
}
