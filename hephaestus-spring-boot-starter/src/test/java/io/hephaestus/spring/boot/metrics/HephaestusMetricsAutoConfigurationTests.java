package io.hephaestus.spring.boot.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.ConversionFailedException;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.runtime.InMemoryStorage;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.telemetry.InstanceScope;
import io.hephaestus.core.telemetry.MetricDefinitions;
import io.hephaestus.core.telemetry.MetricScope;
import io.hephaestus.core.telemetry.StepStop;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.core.telemetry.WorkflowStop;
import io.hephaestus.spring.boot.autoconfigure.HephaestusAutoConfiguration;
import io.hephaestus.spring.boot.autoconfigure.HephaestusProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.CountAtBucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HephaestusMetricsAutoConfigurationTests {

    private static final InstanceScope SCOPE = InstanceScope.of("key::1", "tiny", 1);

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HephaestusAutoConfiguration.class,
                HephaestusMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
        .withUserConfiguration(WorkflowConfiguration.class);

    @Test
    void binderIsAttachedToTelemetryAndBoundToTheRegistryByDefault() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(HephaestusMeterBinder.class);
            assertThat(context.getBean(HephaestusMeterBinder.class).definitions())
                .isEqualTo(MetricDefinitions.all());
            assertThat(context.getBean(Telemetry.class).listenerIds()).contains("hephaestusMeterBinder");
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find(HephaestusMeterBinder.INSTANCES).tags("workflow", "tiny").gauges()).hasSize(6);
            context.getBean(LocalRunner.class).start(StartRequest.of("tiny", "1"));
            await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.find("hephaestus.workflow.stop").tags("workflow", "tiny").counter() != null);
            assertThat(registry.get("hephaestus.workflow.start").tags("workflow", "tiny").counter().count())
                .isEqualTo(1);
            assertThat(registry.get("hephaestus.workflow.stop").tags("workflow", "tiny").counter().count())
                .isEqualTo(1);
            assertThat(registry.get("hephaestus.step.stop.duration").tags("step", "work").timer().count())
                .isEqualTo(1);
        });
    }

    @Test
    void binderIsAttachedOnlyForTheEventsItsMetricsUse() {
        this.contextRunner.withPropertyValues("hephaestus.telemetry.log.enabled=false").run((context) -> {
            Telemetry telemetry = context.getBean(Telemetry.class);
            assertThat(telemetry.listenerIds()).containsExactly("hephaestusMeterBinder");
            assertThat(TelemetryEventType.values()).filteredOn(telemetry::isEnabled)
                .containsExactlyInAnyOrderElementsOf(context.getBean(HephaestusMeterBinder.class).eventTypes())
                .doesNotContain(TelemetryEventType.STEP_START, TelemetryEventType.WORKFLOW_TRANSITION);
        });
    }

    @Test
    void binderBacksOffWhenMetricsAreDisabled() {
        this.contextRunner.withPropertyValues("hephaestus.metrics.enabled=false").run((context) -> {
            assertThat(context).doesNotHaveBean(HephaestusMeterBinder.class);
            assertThat(context.getBean(MeterRegistry.class).find(HephaestusMeterBinder.INSTANCES).meters())
                .isEmpty();
        });
    }

    @Test
    void userDefinedBinderWins() {
        this.contextRunner.withUserConfiguration(CustomBinderConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(HephaestusMeterBinder.class);
            assertThat(context.getBean(HephaestusMeterBinder.class))
                .isSameAs(context.getBean("customMeterBinder"));
        });
    }

    @Test
    void binderBacksOffWithoutMicrometer() {
        // Without Spring Boot's metrics auto-configurations, which need Micrometer too
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HephaestusAutoConfiguration.class,
                    HephaestusMetricsAutoConfiguration.class))
            .withUserConfiguration(WorkflowConfiguration.class)
            .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(HephaestusMeterBinder.class);
                assertThat(context).hasSingleBean(LocalRunner.class);
            });
    }

    @Test
    void binderBacksOffWithoutHephaestusStorageAndWorkflows() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HephaestusMetricsAutoConfiguration.class,
                    MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(HephaestusMeterBinder.class);
            });
    }

    @Test
    void scopePropertySelectsTheMetrics() {
        this.contextRunner.withPropertyValues("hephaestus.metrics.scope=Workflow").run((context) -> {
            HephaestusMeterBinder binder = context.getBean(HephaestusMeterBinder.class);
            assertThat(binder.definitions()).isEqualTo(MetricDefinitions.of(MetricScope.WORKFLOW));
            Telemetry telemetry = context.getBean(Telemetry.class);
            telemetry.emit(new WorkflowStop(SCOPE, 1_000_000L, 2, 3, List.of("work", "done"), "local"));
            telemetry.emit(stepStop(1_000_000L));
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("hephaestus.workflow.stop").counter()).isNotNull();
            assertThat(registry.find("hephaestus.step.stop.duration").meters()).isEmpty();
        });
    }

    @Test
    void unknownScopeFailsStartUpNamingTheProperty() {
        this.contextRunner.withPropertyValues("hephaestus.metrics.scope=steps").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("hephaestus.metrics.scope")
                .hasStackTraceContaining(ConversionFailedException.class.getName())
                .hasStackTraceContaining("MetricScope");
        });
    }

    @Test
    void nonPositiveSloBoundaryFailsStartUpNamingTheProperty() {
        this.contextRunner.withPropertyValues("hephaestus.metrics.slo=10ms,-1ms").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("hephaestus.metrics.slo")
                .hasMessageContaining("-1ms")
                .hasMessageContaining("must be positive");
        });
    }

    @Test
    void zeroSloBoundaryFailsStartUp() {
        this.contextRunner.withPropertyValues("hephaestus.metrics.slo=0s").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("hephaestus.metrics.slo");
        });
    }

    @Test
    void invalidEnabledValueFailsStartUpInsteadOfTurningMetricsOff() {
        this.contextRunner.withPropertyValues("hephaestus.metrics.enabled=maybe").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("hephaestus.metrics.enabled");
        });
    }

    @Test
    void enabledIsABoundProperty() {
        this.contextRunner.withPropertyValues("hephaestus.metrics.enabled=false")
            .run((context) -> assertThat(context.getBean(HephaestusProperties.class).getMetrics().isEnabled())
                .isFalse());
    }

    @Test
    void sloPropertySetsTheHistogramBuckets() {
        this.contextRunner.withPropertyValues("hephaestus.metrics.slo=10ms,1s").run((context) -> {
            context.getBean(Telemetry.class).emit(stepStop(5_000_000L));
            assertThat(buckets(context, "hephaestus.step.stop.duration")).containsExactly(10.0, 1_000.0);
        });
    }

    @Test
    void timersPublishTheDefaultServiceLevelObjectives() {
        this.contextRunner.run((context) -> {
            context.getBean(Telemetry.class).emit(stepStop(5_000_000L));
            assertThat(buckets(context, "hephaestus.step.stop.duration")).containsExactly(5.0, 10.0, 50.0, 100.0,
                    250.0, 500.0, 1_000.0, 5_000.0, 30_000.0, 60_000.0, 300_000.0);
        });
    }

    @Test
    void managementMetricsDistributionSloOverridesTheBuckets() {
        this.contextRunner
            .withPropertyValues("management.metrics.distribution.slo.hephaestus.step.stop.duration=1ms,2ms")
            .run((context) -> {
                Telemetry telemetry = context.getBean(Telemetry.class);
                telemetry.emit(stepStop(1_500_000L));
                telemetry.emit(new WorkflowStop(SCOPE, 1_000_000L, 2, 3, List.of("work", "done"), "local"));
                assertThat(buckets(context, "hephaestus.step.stop.duration")).containsExactly(1.0, 2.0);
                assertThat(buckets(context, "hephaestus.workflow.stop.duration")).hasSize(11);
            });
    }

    private static StepStop stepStop(long duration) {
        return new StepStop(SCOPE, duration, "Work", "work", "done", false, false, List.of("done"));
    }

    private static List<Double> buckets(AssertableApplicationContext context, String timer) {
        CountAtBucket[] counts = context.getBean(MeterRegistry.class).get(timer).timer().takeSnapshot()
            .histogramCounts();
        return Arrays.stream(counts).map((bucket) -> bucket.bucket(TimeUnit.MILLISECONDS)).toList();
    }

    @Configuration(proxyBeanMethods = false)
    static class WorkflowConfiguration {

        @Bean
        Workflow tinyWorkflow() {
            return TestWorkflows.tiny("tiny");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomBinderConfiguration {

        @Bean
        HephaestusMeterBinder customMeterBinder() {
            return new HephaestusMeterBinder(MetricDefinitions.of(MetricScope.ENGINE), List.of(), new InMemoryStorage(),
                    WorkflowRegistry.of(TestWorkflows.tiny("tiny")));
        }
    }
}
