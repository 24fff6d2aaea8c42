package io.hephaestus.spring.boot.events;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.spring.boot.autoconfigure.HephaestusAutoConfiguration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} that
 * publishes Hephaestus telemetry as Spring application events: an
 * {@link ApplicationEventTelemetryListener} bean, which the auto-configured
 * {@link Telemetry} dispatcher attaches like every other
 * {@link io.hephaestus.core.telemetry.TelemetryListener} bean.
 *
 * <p>On unless {@code hephaestus.events.enabled=false}. The published events have the single
 * {@link Telemetry} bean as their source; an application with several dispatchers defines its
 * own {@link ApplicationEventTelemetryListener}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = HephaestusAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "hephaestus.events.enabled", matchIfMissing = true)
public final class HephaestusEventsAutoConfiguration {

    HephaestusEventsAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    ApplicationEventTelemetryListener hephaestusApplicationEventTelemetryListener(ApplicationEventPublisher publisher,
            ObjectProvider<Telemetry> telemetry) {
        // Resolved lazily: the dispatcher bean is built from the listener beans, this one included.
        return new ApplicationEventTelemetryListener(publisher, telemetry::getObject);
    }
}
