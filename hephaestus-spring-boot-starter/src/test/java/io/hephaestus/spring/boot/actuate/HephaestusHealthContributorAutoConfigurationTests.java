package io.hephaestus.spring.boot.actuate;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.hephaestus.core.runtime.Runner;
import io.hephaestus.spring.boot.autoconfigure.HephaestusAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

class HephaestusHealthContributorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HephaestusHealthContributorAutoConfiguration.class,
                HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class));

    private static final AutoConfigurations HEPHAESTUS = AutoConfigurations.of(HephaestusAutoConfiguration.class);

    @Test
    void healthIndicatorIsRegisteredAsHephaestusByDefault() {
        this.contextRunner.withConfiguration(HEPHAESTUS).run((context) -> {
            assertThat(context).hasSingleBean(HephaestusHealthIndicator.class).hasBean("hephaestusHealthIndicator");
            assertThat(context.getBean(HealthContributorRegistry.class).getContributor("hephaestus"))
                .isSameAs(context.getBean(HephaestusHealthIndicator.class));
        });
    }

    @Test
    void healthIndicatorBacksOffWhenDisabled() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withPropertyValues("management.health.hephaestus.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(HephaestusHealthIndicator.class));
    }

    @Test
    void healthIndicatorBacksOffWhenDefaultHealthIndicatorsAreDisabled() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withPropertyValues("management.health.defaults.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(HephaestusHealthIndicator.class));
    }

    @Test
    void userDefinedHealthIndicatorWins() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withUserConfiguration(UserHealthIndicatorConfiguration.class)
            .run((context) -> {
                assertThat(context).doesNotHaveBean(HephaestusHealthIndicator.class);
                assertThat(context.getBean("hephaestusHealthIndicator"))
                    .isSameAs(UserHealthIndicatorConfiguration.INDICATOR);
            });
    }

    @Test
    void healthIndicatorBacksOffWithoutSpringBootHealth() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
            .run((context) -> {
                assertThat(context).hasNotFailed().hasSingleBean(Runner.class);
                assertThat(context).doesNotHaveBean(HephaestusHealthIndicator.class);
            });
    }

    @Test
    void healthIndicatorBacksOffWithoutRunner() {
        this.contextRunner
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HephaestusHealthIndicator.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class UserHealthIndicatorConfiguration {

        static final HealthIndicator INDICATOR = () -> Health.up().build();

        @Bean
        HealthIndicator hephaestusHealthIndicator() {
            return INDICATOR;
        }
    }
}
