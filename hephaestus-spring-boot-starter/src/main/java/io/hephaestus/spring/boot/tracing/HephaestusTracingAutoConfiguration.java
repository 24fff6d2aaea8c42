package io.hephaestus.spring.boot.tracing;

import java.util.Map;
import java.util.function.Supplier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import io.hephaestus.core.engine.Engine;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of
 * step tracing: when there is an {@link ObservationRegistry} (Spring Boot's actuator makes one), an
 * {@link ObservationStepInterceptor} that the runner wraps around every step; when Micrometer
 * Tracing has a {@link Tracer} and a {@link Propagator} (a tracer bridge is on the class path), the
 * trace context is stored with every instance and a {@link StepTracingObservationHandler} makes
 * the spans, continuing the caller's trace or linking to it. A {@link StepObservationMeterHandler}
 * keeps Spring Boot's meter handler from turning step observations into timers. Switched off with
 * {@code hephaestus.tracing.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration" })
@ConditionalOnClass({ ObservationRegistry.class, Engine.class })
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "hephaestus.tracing.enabled", matchIfMissing = true)
public final class HephaestusTracingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    ObservationStepInterceptor hephaestusObservationStepInterceptor(ObservationRegistry registry,
            ObjectProvider<StepObservationConvention> convention,
            ObjectProvider<TracingStepContexts> contexts) {
        TracingStepContexts capture = contexts.getIfAvailable();
        Supplier<Map<String, String>> supplier = (capture != null) ? capture : Map::of;
        return new ObservationStepInterceptor(registry, convention.getIfAvailable(), supplier);
    }

    /**
     * Keeps step observations out of the meters.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterObservationHandler.class)
    static final class StepMetersConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        StepObservationMeterHandler hephaestusStepObservationMeterHandler() {
            return new StepObservationMeterHandler();
        }
    }

    /**
     * Spans, stored trace contexts and links, with Micrometer Tracing.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Tracer.class)
    @ConditionalOnBean({ Tracer.class, Propagator.class })
    static final class StepTracingConfiguration {

        @Bean
        @ConditionalOnMissingBean
        TracingStepContexts hephaestusTracingStepContexts(Tracer tracer, Propagator propagator) {
            return new TracingStepContexts(tracer, propagator);
        }

        @Bean
        @ConditionalOnMissingBean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        StepTracingObservationHandler hephaestusStepTracingObservationHandler(Tracer tracer) {
            return new StepTracingObservationHandler(tracer);
        }
    }
}
