package io.hephaestus.spring.boot.metrics;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;

import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.runtime.Storage;
import io.hephaestus.core.telemetry.MetricDefinitions;
import io.hephaestus.core.telemetry.MetricScope;
import io.hephaestus.spring.boot.autoconfigure.HephaestusAutoConfiguration;
import io.hephaestus.spring.boot.autoconfigure.HephaestusProperties;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the
 * Hephaestus Micrometer metrics: a {@link HephaestusMeterBinder}, which Spring Boot binds to the
 * meter registries and {@link HephaestusAutoConfiguration} attaches to the telemetry dispatcher.
 *
 * <p>{@code hephaestus.metrics.scope} selects the metrics ({@code all}, {@code workflow},
 * {@code step} or {@code engine}), {@code hephaestus.metrics.slo} the histogram buckets of the
 * timers, and {@code hephaestus.metrics.enabled=false} turns the metrics off.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
        HephaestusAutoConfiguration.class })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ Storage.class, WorkflowRegistry.class })
@ConditionalOnBooleanProperty(name = "hephaestus.metrics.enabled", matchIfMissing = true)
public final class HephaestusMetricsAutoConfiguration {

    HephaestusMetricsAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    HephaestusMeterBinder hephaestusMeterBinder(HephaestusProperties properties, Storage storage,
            WorkflowRegistry workflows) {
        HephaestusProperties.Metrics metrics = properties.getMetrics();
        return new HephaestusMeterBinder(MetricDefinitions.of(scope(metrics.getScope())), metrics.getSlo(), storage,
                workflows);
    }

    private static MetricScope scope(String value) {
        try {
            return MetricScope.parse(value.trim());
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("Invalid hephaestus.metrics.scope: " + ex.getMessage(), ex);
        }
    }
}
