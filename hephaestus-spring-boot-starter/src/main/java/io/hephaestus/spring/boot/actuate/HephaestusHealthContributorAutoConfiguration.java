package io.hephaestus.spring.boot.actuate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import io.hephaestus.core.runtime.Runner;
import io.hephaestus.spring.boot.autoconfigure.HephaestusAutoConfiguration;
import io.hephaestus.spring.boot.autoconfigure.HephaestusClusterAutoConfiguration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * {@link HephaestusHealthIndicator}: a health contributor named {@code hephaestus}.
 *
 * <p>Turned off with {@code management.health.hephaestus.enabled=false} (or
 * {@code management.health.defaults.enabled=false}), the {@code hephaestus} contributor stays
 * registered but no longer checks anything: it reports {@code UP} with the detail
 * {@code enabled: false}. A health group that includes {@code hephaestus}, such as
 * {@code management.endpoint.health.group.readiness.include=readinessState,hephaestus}, so keeps
 * working instead of stopping start-up with "Included health contributor 'hephaestus' ... does not
 * exist".
 *
 * <p>A bean named {@code hephaestusHealthIndicator} or {@code hephaestusHealthContributor} replaces
 * either.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { HephaestusAutoConfiguration.class, HephaestusClusterAutoConfiguration.class })
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Runner.class)
public final class HephaestusHealthContributorAutoConfiguration {

    HephaestusHealthContributorAutoConfiguration() {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("hephaestus")
    static class EnabledHealthIndicatorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = { "hephaestusHealthIndicator", "hephaestusHealthContributor" })
        HephaestusHealthIndicator hephaestusHealthIndicator(Runner runner,
                ObjectProvider<HephaestusRunnerDetails> runnerDetails) {
            HephaestusRunnerDetails details = runnerDetails.getIfUnique();
            return (details != null) ? new HephaestusHealthIndicator(runner, details)
                    : new HephaestusHealthIndicator(runner);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(HealthIndicatorDisabledCondition.class)
    static class DisabledHealthIndicatorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = { "hephaestusHealthIndicator", "hephaestusHealthContributor" })
        DisabledHealthIndicator hephaestusHealthIndicator() {
            return new DisabledHealthIndicator();
        }
    }

    /**
     * Matches when the {@code hephaestus} health indicator is turned off.
     */
    static final class HealthIndicatorDisabledCondition extends NoneNestedConditions {

        HealthIndicatorDisabledCondition() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnEnabledHealthIndicator("hephaestus")
        static final class Enabled {

        }
    }

    /**
     * The {@code hephaestus} contributor while the health indicator is turned off: always
     * {@code UP}, with the detail {@code enabled: false}.
     */
    static final class DisabledHealthIndicator implements HealthIndicator {

        private static final Health HEALTH = Health.up().withDetail("enabled", false).build();

        @Override
        public Health health() {
            return HEALTH;
        }
    }
}
