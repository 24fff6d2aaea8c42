package io.hephaestus.spring.boot.actuate;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.hephaestus.core.runtime.Runner;
import io.hephaestus.spring.boot.autoconfigure.HephaestusAutoConfiguration;
import io.hephaestus.spring.boot.autoconfigure.HephaestusJdbcAutoConfiguration;
import io.hephaestus.spring.boot.autoconfigure.HephaestusJdbcSchemaAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class HephaestusHealthContributorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HephaestusHealthContributorAutoConfiguration.class,
                HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class));

    private static final AutoConfigurations HEPHAESTUS = AutoConfigurations.of(HephaestusAutoConfiguration.class);

    private static final AutoConfigurations HEALTH_ENDPOINT = AutoConfigurations.of(EndpointAutoConfiguration.class,
            HealthEndpointAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class,
            AvailabilityHealthContributorAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class);

    @Test
    void healthIndicatorIsRegisteredAsHephaestusByDefault() {
        this.contextRunner.withConfiguration(HEPHAESTUS).run((context) -> {
            assertThat(context).hasSingleBean(HephaestusHealthIndicator.class).hasBean("hephaestusHealthIndicator");
            assertThat(context.getBean(HealthContributorRegistry.class).getContributor("hephaestus"))
                .isSameAs(context.getBean(HephaestusHealthIndicator.class));
        });
    }

    @Test
    void healthIndicatorReportsTheJdbcStorageAsDurable() {
        this.contextRunner
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    HephaestusJdbcAutoConfiguration.class, HephaestusJdbcSchemaAutoConfiguration.class,
                    HephaestusAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:health-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
            .run((context) -> {
                Health health = context.getBean(HephaestusHealthIndicator.class).health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails()).containsEntry("storage", "jdbc-h2").containsEntry("durable", true);
            });
    }

    @Test
    void healthIndicatorBacksOffWhenDisabled() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withPropertyValues("management.health.hephaestus.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(HephaestusHealthIndicator.class));
    }

    @Test
    void disabledHealthIndicatorLeavesAContributorThatReportsUpAndDisabled() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withPropertyValues("management.health.hephaestus.enabled=false")
            .run((context) -> {
                HealthContributor contributor = context.getBean(HealthContributorRegistry.class)
                    .getContributor("hephaestus");
                assertThat(contributor).isInstanceOfSatisfying(HealthIndicator.class, (indicator) -> {
                    Health health = indicator.health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsExactly(entry("enabled", false));
                });
            });
    }

    @Test
    void disabledHealthIndicatorKeepsAReadinessGroupThatIncludesItWorking() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withConfiguration(HEALTH_ENDPOINT)
            .withPropertyValues("management.health.hephaestus.enabled=false",
                    "management.endpoint.health.probes.enabled=true",
                    "management.endpoint.health.group.readiness.include=readinessState,hephaestus",
                    "management.endpoint.health.group.readiness.show-details=always")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
                HealthDescriptor readiness = context.getBean(HealthEndpoint.class).healthForPath("readiness");
                assertThat(readiness.getStatus()).isEqualTo(Status.UP);
                assertThat(readiness).isInstanceOfSatisfying(CompositeHealthDescriptor.class,
                        (group) -> assertThat(group.getComponents()).containsOnlyKeys("readinessState", "hephaestus"));
                HealthDescriptor hephaestus = context.getBean(HealthEndpoint.class)
                    .healthForPath("readiness", "hephaestus");
                assertThat(hephaestus).isInstanceOfSatisfying(IndicatedHealthDescriptor.class,
                        (indicated) -> assertThat(indicated.getDetails()).containsExactly(entry("enabled", false)));
            });
    }

    @Test
    void enabledHealthIndicatorIsPartOfTheReadinessGroup() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withConfiguration(HEALTH_ENDPOINT)
            .withPropertyValues("management.endpoint.health.probes.enabled=true",
                    "management.endpoint.health.group.readiness.include=readinessState,hephaestus",
                    "management.endpoint.health.group.readiness.show-details=always")
            .run((context) -> {
                HealthDescriptor hephaestus = context.getBean(HealthEndpoint.class)
                    .healthForPath("readiness", "hephaestus");
                assertThat(hephaestus).isInstanceOfSatisfying(IndicatedHealthDescriptor.class,
                        (indicated) -> assertThat(indicated.getDetails()).containsKeys("runner", "storage",
                                "instances", "workflows"));
            });
    }

    @Test
    void invalidEnabledValueFailsStartUp() {
        // Only SpringApplication's environment names the property in the failure; see
        // HephaestusPropertiesFailureAnalyzerTests for the report a user gets.
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withPropertyValues("management.health.hephaestus.enabled=maybe")
            .run((context) -> {
                assertThat(context).hasFailed();
                String condition = "Error processing condition on "
                        + HephaestusHealthContributorAutoConfiguration.class.getName();
                assertThat(context.getStartupFailure()).hasStackTraceContaining(condition)
                    .hasStackTraceContaining("for value [maybe]");
            });
    }

    @Test
    void userDefinedHealthIndicatorWinsWhenDisabled() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withUserConfiguration(UserHealthIndicatorConfiguration.class)
            .withPropertyValues("management.health.hephaestus.enabled=false")
            .run((context) -> assertThat(context.getBean("hephaestusHealthIndicator"))
                .isSameAs(UserHealthIndicatorConfiguration.INDICATOR));
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
