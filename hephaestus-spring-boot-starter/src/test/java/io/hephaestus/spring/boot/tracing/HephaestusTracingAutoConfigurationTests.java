package io.hephaestus.spring.boot.tracing;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.spring.boot.autoconfigure.HephaestusAutoConfiguration;
import io.hephaestus.spring.boot.support.TestWorkflows;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HephaestusTracingAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HephaestusAutoConfiguration.class,
                HephaestusTracingAutoConfiguration.class, ObservationAutoConfiguration.class))
        .withUserConfiguration(WorkflowConfiguration.class);

    @Test
    void everyStepIsObservedWhenThereIsAnObservationRegistry() {
        this.contextRunner.withUserConfiguration(TestRegistryConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(ObservationStepInterceptor.class)
                .hasSingleBean(StepObservationMeterHandler.class)
                .doesNotHaveBean(TracingStepContexts.class)
                .doesNotHaveBean(StepTracingObservationHandler.class);
            Instance done = runGreeting(context.getBean(LocalRunner.class));
            assertThat(done.status()).isEqualTo(Status.COMPLETED);
            assertThat(done.traceContext()).isEmpty();
            // The observation stops once the step's result is applied, just after the instance is
            // finished: wait for it.
            await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(context.getBean(TestObservationRegistry.class))
                    .hasObservationWithNameEqualTo("hephaestus.step")
                    .that()
                    .hasBeenStopped()
                    .hasContextualNameEqualTo("greeting hello")
                    .hasLowCardinalityKeyValue("workflow", "greeting")
                    .hasLowCardinalityKeyValue("step", "hello")
                    .hasLowCardinalityKeyValue("outcome", "completed")
                    .hasHighCardinalityKeyValue("instance.id", "greetingid::1")
                    .hasHighCardinalityKeyValue("attempt", "1")
                    .hasBeenStarted());
        });
    }

    @Test
    void tracingBacksOffWhenDisabled() {
        this.contextRunner.withPropertyValues("hephaestus.tracing.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(ObservationStepInterceptor.class)
                .doesNotHaveBean(StepObservationMeterHandler.class));
    }

    @Test
    void tracingBacksOffWithoutMicrometerObservation() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ObservationStepInterceptor.class));
    }

    @Test
    void userConventionIsUsed() {
        this.contextRunner.withUserConfiguration(TestRegistryConfiguration.class, ConventionConfiguration.class)
            .run((context) -> {
                runGreeting(context.getBean(LocalRunner.class));
                assertThat(context.getBean(TestObservationRegistry.class)).hasObservationWithNameEqualTo("custom.step");
            });
    }

    @Test
    void userInterceptorWins() {
        this.contextRunner.withUserConfiguration(UserInterceptorConfiguration.class)
            .run((context) -> assertThat(context).getBean(ObservationStepInterceptor.class)
                .isSameAs(context.getBean(UserInterceptorConfiguration.class).interceptor));
    }

    @Test
    void withoutMicrometerTracingStepsAreObservedWithoutSpans() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HephaestusAutoConfiguration.class,
                    HephaestusTracingAutoConfiguration.class, ObservationAutoConfiguration.class,
                    MicrometerTracingAutoConfiguration.class))
            .withUserConfiguration(WorkflowConfiguration.class, TracerConfiguration.class)
            .withClassLoader(new FilteredClassLoader(Tracer.class))
            .run((context) -> assertThat(context).hasSingleBean(ObservationStepInterceptor.class)
                .doesNotHaveBean(TracingStepContexts.class)
                .doesNotHaveBean(StepTracingObservationHandler.class));
    }

    @Test
    void withSpringBootTracingAndMetricsStepsBecomeSpansInTheCallersTraceAndNoTimers() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HephaestusAutoConfiguration.class,
                    HephaestusTracingAutoConfiguration.class, ObservationAutoConfiguration.class,
                    MicrometerTracingAutoConfiguration.class, MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
            .withUserConfiguration(WorkflowConfiguration.class, TracerConfiguration.class)
            .run((context) -> {
                assertThat(context).hasSingleBean(TracingStepContexts.class)
                    .hasSingleBean(StepTracingObservationHandler.class);
                SimpleTracer tracer = context.getBean(SimpleTracer.class);
                SimpleSpan request = tracer.nextSpan().name("POST /greetings").start();
                try (Tracer.SpanInScope scope = tracer.withSpan(request)) {
                    context.getBean(LocalRunner.class).start(StartRequest.of(TestWorkflows.GREETING, "1"));
                }
                request.end();
                Instance done = context.getBean(LocalRunner.class)
                    .awaitFinished(TestWorkflows.GREETING, "greetingid::1", Duration.ofSeconds(10));
                assertThat(done.traceContext()).containsEntry(TracingStepContexts.TRACE_ID, request.getTraceId());
                // The span ends once the step's result is applied, just after the instance finishes.
                SimpleSpan hello = await().atMost(Duration.ofSeconds(10))
                    .until(() -> tracer.getSpans()
                        .stream()
                        .filter((span) -> "greeting hello".equals(span.getName()))
                        .findFirst(), Optional::isPresent)
                    .orElseThrow();
                assertThat(hello.getTraceId()).isEqualTo(request.getTraceId());
                assertThat(hello.getParentId()).isEqualTo(request.getSpanId());
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                assertThat(meters.find("hephaestus.step").meters()).isEmpty();
                assertThat(meters.find("hephaestus.step.active").meters()).isEmpty();
            });
    }

    private static Instance runGreeting(LocalRunner runner) throws Exception {
        runner.start(StartRequest.of(TestWorkflows.GREETING, "1"));
        return runner.awaitFinished(TestWorkflows.GREETING, "greetingid::1", Duration.ofSeconds(10));
    }

    @Configuration(proxyBeanMethods = false)
    static class WorkflowConfiguration {

        @Bean
        Workflow greeting() {
            return TestWorkflows.greeting(1);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TestRegistryConfiguration {

        @Bean
        TestObservationRegistry observationRegistry() {
            return TestObservationRegistry.create();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ConventionConfiguration {

        @Bean
        StepObservationConvention customConvention() {
            return new DefaultStepObservationConvention() {

                @Override
                public String getName() {
                    return "custom.step";
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserInterceptorConfiguration {

        final ObservationStepInterceptor interceptor = new ObservationStepInterceptor(ObservationRegistry.NOOP);

        @Bean
        ObservationStepInterceptor userInterceptor() {
            return this.interceptor;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TracerConfiguration {

        @Bean
        SimpleTracer tracer() {
            return new SimpleTracer();
        }

        @Bean
        Propagator propagator() {
            return new Propagator() {

                @Override
                public List<String> fields() {
                    return List.of();
                }

                @Override
                public <C> void inject(TraceContext context, C carrier, Setter<C> setter) {
                }

                @Override
                public <C> Span.Builder extract(C carrier, Getter<C> getter) {
                    return Span.Builder.NOOP;
                }
            };
        }
    }
}
