package io.hephaestus.spring.boot.actuate;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import io.hephaestus.core.runtime.Runner;
import io.hephaestus.spring.boot.autoconfigure.HephaestusAutoConfiguration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * {@link HephaestusHealthIndicator}: a health contributor named {@code hephaestus}, switched off
 * with {@code management.health.hephaestus.enabled=false}.
 *
 * <p>A bean named {@code hephaestusHealthIndicator} or {@code hephaestusHealthContributor} replaces
 * it.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = HephaestusAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Runner.class)
@ConditionalOnEnabledHealthIndicator("hephaestus")
public final class HephaestusHealthContributorAutoConfiguration {

    HephaestusHealthContributorAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean(name = { "hephaestusHealthIndicator", "hephaestusHealthContributor" })
    HephaestusHealthIndicator hephaestusHealthIndicator(Runner runner) {
        return new HephaestusHealthIndicator(runner);
    }
}
