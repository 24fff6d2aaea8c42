package io.hephaestus.spring.boot.autoconfigure;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.mock.env.MockEnvironment;

import com.jayway.jsonpath.JsonPath;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.spring.boot.actuate.HephaestusHealthContributorAutoConfiguration;
import io.hephaestus.spring.boot.events.HephaestusEventsAutoConfiguration;
import io.hephaestus.spring.boot.metrics.HephaestusMetricsAutoConfiguration;
import io.hephaestus.spring.boot.support.TestWorkflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class HephaestusPropertiesFailureAnalyzerTests {

    private static final String BOOLEAN = "true or false";

    private static final String EVENT_NAMES = "hephaestus.workflow.start, hephaestus.workflow.stop";

    private final AtomicReference<ConfigurableEnvironment> environment = new AtomicReference<>();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HephaestusAutoConfiguration.class,
                HephaestusEventsAutoConfiguration.class, HephaestusMetricsAutoConfiguration.class,
                MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, HephaestusHealthContributorAutoConfiguration.class,
                HealthContributorAutoConfiguration.class))
        .withUserConfiguration(TwoGreetingVersionsConfiguration.class)
        .withInitializer((context) -> this.environment.set(context.getEnvironment()));

    static Stream<Arguments> invalidProperties() {
        return Stream.of(
                invalid("hephaestus.runner.name=", "hephaestus.runner.name", "", "any text that is not blank"),
                invalid("hephaestus.runner.threads=0", "hephaestus.runner.threads", "0",
                        "a whole number of at least 1"),
                invalid("hephaestus.runner.threads=many", "hephaestus.runner.threads", "many",
                        "a whole number of at least 1"),
                invalid("hephaestus.runner.default-step-timeout=0s", "hephaestus.runner.default-step-timeout", "0s",
                        "a positive duration such as 30s or 5m"),
                invalid("hephaestus.runner.default-step-timeout=soon", "hephaestus.runner.default-step-timeout",
                        "soon", "a positive duration such as 30s or 5m"),
                invalid("hephaestus.runner.shutdown-grace-period=-1s", "hephaestus.runner.shutdown-grace-period",
                        "-1s", "a duration of zero or more"),
                invalid("hephaestus.runner.max-value-size=0B", "hephaestus.runner.max-value-size", "0B",
                        "a positive data size such as 512KB or 1MB"),
                invalid("hephaestus.runner.max-value-size=large", "hephaestus.runner.max-value-size", "large",
                        "a positive data size such as 512KB or 1MB"),
                invalid("hephaestus.storage.type=file", "hephaestus.storage.type", "file", "auto, memory, jdbc"),
                invalid("hephaestus.storage.type=jdbc", "hephaestus.storage.type", "jdbc", "auto, memory, jdbc"),
                invalid("hephaestus.storage.retention=forever", "hephaestus.storage.retention", "forever",
                        "a duration such as 7d or 12h"),
                invalid("hephaestus.storage.retention-sweep-interval=0s",
                        "hephaestus.storage.retention-sweep-interval", "0s", "a positive duration such as 5m or 1h"),
                invalid("hephaestus.storage.memory.max-finished-instances=-1",
                        "hephaestus.storage.memory.max-finished-instances", "-1", "a whole number of 0 or more"),
                invalid("hephaestus.storage.memory.max-finished-instances=all",
                        "hephaestus.storage.memory.max-finished-instances", "all", "a whole number of 0 or more"),
                invalid("hephaestus.jdbc.initialize-schema=sometimes", "hephaestus.jdbc.initialize-schema",
                        "sometimes", "embedded, always, never"),
                invalid("hephaestus.workflows.current.greeting=3", "hephaestus.workflows.current.greeting", "3",
                        "a registered version of a registered workflow"),
                invalid("hephaestus.workflows.current.greeting=latest", "hephaestus.workflows.current.greeting",
                        "latest", "a registered version of a registered workflow"),
                invalid("hephaestus.telemetry.log.enabled=maybe", "hephaestus.telemetry.log.enabled", "maybe",
                        BOOLEAN),
                invalid("hephaestus.telemetry.log.events=step.stop,step.finish", "hephaestus.telemetry.log.events",
                        "step.stop,step.finish", EVENT_NAMES),
                invalid("hephaestus.telemetry.log.levels.step.stop=loud", "hephaestus.telemetry.log.levels.step.stop",
                        "loud", "trace, debug, info, warn, error or fatal"),
                invalid("hephaestus.telemetry.log.levels.step.stop=off", "hephaestus.telemetry.log.levels.step.stop",
                        "off", "trace, debug, info, warn, error or fatal"),
                invalid("hephaestus.telemetry.log.levels.step.finish=debug", "hephaestus.telemetry.log.levels",
                        "step.finish", EVENT_NAMES),
                invalid("hephaestus.events.enabled=maybe", "hephaestus.events.enabled", "maybe", BOOLEAN),
                invalid("hephaestus.metrics.enabled=maybe", "hephaestus.metrics.enabled", "maybe", BOOLEAN),
                invalid("hephaestus.metrics.scope=bogus", "hephaestus.metrics.scope", "bogus",
                        "all, workflow, step, engine"),
                invalid("hephaestus.metrics.slo=10ms,-1ms", "hephaestus.metrics.slo", "10ms,-1ms",
                        "a comma-separated list of positive durations"),
                invalid("hephaestus.metrics.slo=10ms,often", "hephaestus.metrics.slo", "10ms,often",
                        "a comma-separated list of positive durations"));
    }

    private static Arguments invalid(String setting, String property, String value, String valid) {
        return Arguments.of(Named.of(setting, setting), property, value, valid);
    }

    @ParameterizedTest
    @MethodSource("invalidProperties")
    void invalidPropertyIsReportedWithItsValueAndValidValues(String setting, String property, String value,
            String valid) {
        FailureAnalysis analysis = analyzeStartUpWith(setting);

        assertThat(analysis).as("analysis of %s", setting).isNotNull();
        assertThat(analysis.getDescription())
            .startsWith("Invalid value for Hephaestus property '" + property + "':")
            .contains("    Property: " + property)
            .contains("    Value: \"" + value + "\"")
            .contains("    Reason: ")
            .contains("    Valid values: ")
            .contains(valid);
        assertThat(analysis.getAction())
            .startsWith("Set '" + property + "' to one of the valid values above, or leave it out to use its default.")
            .contains("\"Properties\" section of the Hephaestus README");
    }

    @Test
    void rejectedValueKeepsTheStartersReason() {
        FailureAnalysis analysis = analyzeStartUpWith("hephaestus.workflows.current.greeting=3");

        assertThat(analysis.getDescription())
            .contains("    Reason: Version 3 of workflow 'greeting' is not registered; registered versions: [1, 2].");
    }

    @Test
    void valueThatCannotBeConvertedNamesTheTargetType() {
        FailureAnalysis analysis = analyzeStartUpWith("hephaestus.metrics.scope=bogus");

        assertThat(analysis.getDescription()).contains("    Reason: cannot be converted to MetricScope")
            .contains("    Valid values: all, workflow, step, engine");
    }

    @Test
    void otherPropertiesAreLeftToSpringBoot() {
        var failure = new InvalidConfigurationPropertyValueException("management.health.defaults.enabled", "maybe",
                "Failed to convert to type java.lang.Boolean");

        assertThat(new HephaestusPropertiesFailureAnalyzer(new MockEnvironment()).analyze(failure)).isNull();
    }

    @Test
    void otherFailuresAreNotAnalyzed() {
        assertThat(new HephaestusPropertiesFailureAnalyzer(new MockEnvironment())
            .analyze(new IllegalStateException("unrelated"))).isNull();
    }

    @Test
    void everyPropertyInTheConfigurationMetadataHasValidValues() throws Exception {
        List<String> properties;
        try (InputStream metadata = new ClassPathResource("META-INF/spring-configuration-metadata.json")
            .getInputStream()) {
            List<String> names = JsonPath.read(metadata, "$.properties[*].name");
            properties = names.stream().filter(PropertyRules::covers).toList();
        }

        assertThat(properties).contains("hephaestus.metrics.enabled", "hephaestus.metrics.scope",
                "management.health.hephaestus.enabled");
        assertThat(properties).allSatisfy((property) -> assertThat(PropertyRules.validValues(property))
            .as("valid values of %s", property)
            .isPresent());
        assertThat(PropertyRules.properties()).allSatisfy((property) -> assertThat(properties)
            .as("rules name only documented properties")
            .contains(property));
    }

    @Test
    void readmeListsEveryPropertyWithTheValuesOfItsEnum() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String table = readme.substring(readme.indexOf("### Properties"),
                readme.indexOf("### Spring application events"));

        assertThat(PropertyRules.properties()).allSatisfy((property) -> assertThat(table).contains("| `" + property));
        assertThat(table).contains("| `auto`, `memory`, `jdbc` |")
            .contains("| `embedded`, `always`, `never` |").contains("| `all`, `workflow`, `step`, `engine` |");
    }

    @Test
    void analyzerIsRegisteredInSpringFactoriesAndRunsFirst() {
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
            .load(FailureAnalyzer.class, ArgumentResolver.of(Environment.class, new MockEnvironment()),
                    (factoryType, name, failure) -> {
                        // Boot's own analyzers may need a bean factory this test does not provide.
                    });

        assertThat(analyzers).first().isInstanceOf(HephaestusPropertiesFailureAnalyzer.class);
    }

    @Test
    void failedStartUpPrintsTheAnalysisInsteadOfAStackTrace(CapturedOutput output) {
        SpringApplication application = new SpringApplication(Application.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        assertThatException().isThrownBy(() -> application.run("--spring.main.banner-mode=off",
                "--hephaestus.metrics.scope=bogus"));

        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Invalid value for Hephaestus property 'hephaestus.metrics.scope':")
            .contains("    Value: \"bogus\"")
            .contains("    Origin: \"hephaestus.metrics.scope\" from property source \"commandLineArgs\"")
            .contains("    Valid values: all, workflow, step, engine")
            .doesNotContain("\tat ")
            .doesNotContain("Caused by:");
    }

    @Test
    void failedStartUpWithRejectedValueNamesWhereItWasSet(CapturedOutput output) {
        SpringApplication application = new SpringApplication(Application.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        assertThatException().isThrownBy(() -> application.run("--spring.main.banner-mode=off",
                "--hephaestus.metrics.slo=10ms,-1ms"));

        assertThat(output).contains("Invalid value for Hephaestus property 'hephaestus.metrics.slo':")
            .contains("    Value: \"10ms,-1ms\"")
            .contains("    Origin: \"hephaestus.metrics.slo\" from property source \"commandLineArgs\"")
            .contains("    Reason: Every histogram bucket boundary must be positive")
            .doesNotContain("\tat ");
    }

    @Test
    void failedStartUpWithInvalidHealthToggleNamesTheValidValues(CapturedOutput output) {
        SpringApplication application = new SpringApplication(Application.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        // The health indicator's condition reads the property, before any binding.
        assertThatException().isThrownBy(() -> application.run("--spring.main.banner-mode=off",
                "--management.health.hephaestus.enabled=maybe"));

        assertThat(output).contains("Invalid value for Hephaestus property 'management.health.hephaestus.enabled':")
            .contains("    Value: \"maybe\"")
            .contains("    Origin: \"management.health.hephaestus.enabled\" from property source \"commandLineArgs\"")
            .contains("    Valid values: true or false")
            .doesNotContain("\tat ");
    }

    private FailureAnalysis analyzeStartUpWith(String setting) {
        AtomicReference<FailureAnalysis> analysis = new AtomicReference<>();
        this.contextRunner.withPropertyValues(setting).run((context) -> {
            assertThat(context).as("start-up with %s", setting).hasFailed();
            analysis.set(new HephaestusPropertiesFailureAnalyzer(this.environment.get())
                .analyze(context.getStartupFailure()));
        });
        return analysis.get();
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoGreetingVersionsConfiguration {

        @Bean
        Workflow greetingV1() {
            return TestWorkflows.greeting(1);
        }

        @Bean
        Workflow greetingV2() {
            return TestWorkflows.greeting(2);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Workflow greeting() {
            return TestWorkflows.greeting(1);
        }
    }
}
