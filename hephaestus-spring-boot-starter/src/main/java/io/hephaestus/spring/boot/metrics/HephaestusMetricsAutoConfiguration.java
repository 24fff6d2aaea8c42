package io.hephaestus.spring.boot.metrics;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;

import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.runtime.Storage;
import io.hephaestus.core.telemetry.MetricDefinitions;
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

    private static final String SLO = "hephaestus.metrics.slo";

    HephaestusMetricsAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    HephaestusMeterBinder hephaestusMeterBinder(HephaestusProperties properties, Storage storage,
            WorkflowRegistry workflows) {
        HephaestusProperties.Metrics metrics = properties.getMetrics();
        return new HephaestusMeterBinder(MetricDefinitions.of(metrics.getScope()), slo(metrics.getSlo()), storage,
                workflows);
    }

    private static List<Duration> slo(List<Duration> slo) {
        for (Duration boundary : slo) {
            if (boundary.isZero() || boundary.isNegative()) {
                throw new InvalidConfigurationPropertyValueException(SLO, DurationStyle.SIMPLE.print(boundary),
                        "Every histogram bucket boundary must be positive; the buckets are "
                                + slo.stream().map(DurationStyle.SIMPLE::print).toList() + ".");
            }
        }
        return slo;
    }
}
