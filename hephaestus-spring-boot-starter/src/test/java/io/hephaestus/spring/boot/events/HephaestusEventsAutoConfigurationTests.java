package io.hephaestus.spring.boot.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.Runner;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.telemetry.RunnerInit;
import io.hephaestus.core.telemetry.StepStop;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.spring.boot.autoconfigure.HephaestusAutoConfiguration;
import io.hephaestus.spring.boot.support.TestWorkflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class HephaestusEventsAutoConfigurationTests {

    private static final String BRIDGE = "hephaestusApplicationEventTelemetryListener";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HephaestusAutoConfiguration.class,
                HephaestusEventsAutoConfiguration.class))
        .withUserConfiguration(GreetingConfiguration.class);

    @Test
    void bridgeIsAttachedByDefault() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(ApplicationEventTelemetryListener.class);
            assertThat(context.getBean(Telemetry.class).listenerIds()).contains(BRIDGE);
        });
    }

    @Test
    void bridgeBacksOffWhenDisabled() {
        this.contextRunner.withPropertyValues("hephaestus.events.enabled=false").run((context) -> {
            assertThat(context).doesNotHaveBean(ApplicationEventTelemetryListener.class);
            assertThat(context.getBean(Telemetry.class).listenerIds()).doesNotContain(BRIDGE);
        });
    }

    @Test
    void userBridgeWins() {
        this.contextRunner.withUserConfiguration(UserBridgeConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(ApplicationEventTelemetryListener.class);
            assertThat(context.getBean(Telemetry.class).listenerIds()).contains("userBridge").doesNotContain(BRIDGE);
        });
    }

    @Test
    void typedListenerReceivesOnlyStepStopEvents() {
        this.contextRunner.withUserConfiguration(StepStopListener.class).run((context) -> {
            StepStopListener listener = context.getBean(StepStopListener.class);
            runGreeting(context.getBean(Runner.class));
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.events.size() == 2);
            assertThat(listener.events).extracting(HephaestusApplicationEvent::name)
                .containsOnly("hephaestus.step.stop");
            HephaestusApplicationEvent<StepStop> hello = listener.events.get(0);
            assertThat(hello.type()).isEqualTo(TelemetryEventType.STEP_STOP);
            assertThat(hello.event().stepKey()).isEqualTo("hello");
            assertThat(hello.measurements()).containsOnlyKeys("duration")
                .containsEntry("duration", hello.event().duration());
            assertThat(hello.metadata()).containsEntry("step_key", "hello")
                .containsEntry("event", "greeted")
                .containsEntry("transitions_to", List.of("done"))
                .containsEntry("workflow", "greeting")
                .containsEntry("workflow_version", 1)
                .containsEntry("instance_id", "greetingid::1")
                .containsEntry("request_id", "req-1");
            assertThat(hello.getSource()).isSameAs(context.getBean(Telemetry.class));
        });
    }

    @Test
    void wildcardListenerReceivesEveryEventOfTheRun() {
        this.contextRunner.withUserConfiguration(WildcardListener.class).run((context) -> {
            WildcardListener listener = context.getBean(WildcardListener.class);
            runGreeting(context.getBean(Runner.class));
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.names().contains("hephaestus.workflow.stop"));
            assertThat(listener.names()).startsWith("hephaestus.workflow.start")
                .endsWith("hephaestus.workflow.stop")
                .contains("hephaestus.engine.advance", "hephaestus.step.start", "hephaestus.step.stop",
                        "hephaestus.workflow.transition");
        });
    }

    @Test
    void applicationListenerBeanReceivesRunnerInit() {
        this.contextRunner.withPropertyValues("hephaestus.runner.name=orders")
            .withUserConfiguration(RunnerInitListenerConfiguration.class)
            .run((context) -> {
                RunnerInitListener listener = context.getBean(RunnerInitListener.class);
                assertThat(listener.events).singleElement()
                    .satisfies((event) -> assertThat(event.metadata()).containsEntry("name", "orders"));
            });
    }

    @Test
    void throwingListenerNeverBreaksTheWorkflow(CapturedOutput output) {
        this.contextRunner.withUserConfiguration(ThrowingListener.class).run((context) -> {
            Runner runner = context.getBean(Runner.class);
            runGreeting(runner);
            await().atMost(Duration.ofSeconds(10))
                .until(() -> runner.get("greeting", "greetingid::1").map(Instance::status).orElse(null),
                        (status) -> status == Status.COMPLETED);
            await().atMost(Duration.ofSeconds(10))
                .until(() -> output.getOut().contains("telemetry event hephaestus.workflow.stop"));
            assertThat(output.getOut())
                .contains("Application listener failed on telemetry event hephaestus.step.stop; the workflow continues")
                .contains("IllegalStateException: listener failure")
                .doesNotContain("Telemetry listener '" + BRIDGE + "' failed");
        });
    }

    private static void runGreeting(Runner runner) {
        runner.start(StartRequest.of(TestWorkflows.GREETING, "1").telemetryMetadata(Map.of("request_id", "req-1")));
    }

    @Configuration(proxyBeanMethods = false)
    static class GreetingConfiguration {

        @Bean
        Workflow greeting() {
            return TestWorkflows.greeting(1);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBridgeConfiguration {

        @Bean
        ApplicationEventTelemetryListener userBridge(ApplicationEventPublisher publisher) {
            return new ApplicationEventTelemetryListener(publisher, Telemetry::create);
        }
    }

    static class StepStopListener {

        final List<HephaestusApplicationEvent<StepStop>> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(HephaestusApplicationEvent<StepStop> event) {
            this.events.add(event);
        }
    }

    static class WildcardListener {

        final List<HephaestusApplicationEvent<?>> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(HephaestusApplicationEvent<?> event) {
            this.events.add(event);
        }

        List<String> names() {
            return this.events.stream().map(HephaestusApplicationEvent::name).toList();
        }
    }

    static class ThrowingListener {

        @EventListener
        void on(HephaestusApplicationEvent<?> event) {
            throw new IllegalStateException("listener failure");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class RunnerInitListenerConfiguration {

        @Bean
        RunnerInitListener runnerInitListener() {
            return new RunnerInitListener();
        }
    }

    static class RunnerInitListener implements ApplicationListener<HephaestusApplicationEvent<RunnerInit>> {

        final List<HephaestusApplicationEvent<RunnerInit>> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(HephaestusApplicationEvent<RunnerInit> event) {
            this.events.add(event);
        }
    }
}
