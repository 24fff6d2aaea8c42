package io.hephaestus.spring.boot.events;

import java.util.Objects;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEvent;
import io.hephaestus.core.telemetry.TelemetryListener;

/**
 * {@link TelemetryListener} that publishes every {@link TelemetryEvent} as a
 * {@link HephaestusApplicationEvent} through an {@link ApplicationEventPublisher}, so that
 * {@code @EventListener} methods receive Hephaestus telemetry.
 *
 * <p>Events are published synchronously on the thread that emitted them, in emission order. An
 * exception thrown by an application listener never reaches the workflow: it is logged at WARN,
 * once per event, naming the event, and the workflow continues. As with any Spring event, a
 * listener that throws stops the delivery of that event to the listeners after it, unless the
 * application's event multicaster has an error handler.
 *
 * <p>Events emitted while the application context is still refreshing (such as
 * {@code hephaestus.runner.init}, emitted when the runner bean is created) reach
 * {@link org.springframework.context.ApplicationListener} beans, but not {@code @EventListener}
 * methods, which Spring registers only once every singleton exists.
 *
 * @since 0.1.0
 */
public final class ApplicationEventTelemetryListener implements TelemetryListener {

    private static final Logger logger = LoggerFactory.getLogger(ApplicationEventTelemetryListener.class);

    private final ApplicationEventPublisher publisher;

    private final Supplier<Telemetry> telemetry;

    private volatile @Nullable Telemetry source;

    /**
     * Create a listener that publishes to the given publisher.
     * @param publisher the publisher, usually the application context
     * @param telemetry the dispatcher the listener is attached to, used as the source of the
     * published events; resolved on the first event, so that the listener can be created before
     * the dispatcher it is attached to
     */
    public ApplicationEventTelemetryListener(ApplicationEventPublisher publisher, Supplier<Telemetry> telemetry) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    }

    @Override
    public void onEvent(TelemetryEvent event) {
        try {
            this.publisher.publishEvent(new HephaestusApplicationEvent<>(source(), event));
        }
        catch (RuntimeException ex) {
            logger.warn("Application listener failed on telemetry event {}; the workflow continues", event.name(), ex);
        }
    }

    private Telemetry source() {
        Telemetry source = this.source;
        if (source == null) {
            source = Objects.requireNonNull(this.telemetry.get(), "telemetry");
            this.source = source;
        }
        return source;
    }
}
