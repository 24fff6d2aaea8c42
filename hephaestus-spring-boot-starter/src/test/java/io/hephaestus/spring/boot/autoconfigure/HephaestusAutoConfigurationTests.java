package io.hephaestus.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.hephaestus.core.ValueTooLargeException;
import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowDefinitionException;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.InMemoryStorage;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.Runner;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.runtime.Storage;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.telemetry.LogTelemetryListener;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEvent;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.core.telemetry.TelemetryListener;
import io.hephaestus.spring.boot.events.HephaestusEventsAutoConfiguration;
import io.hephaestus.spring.boot.support.TestWorkflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class HephaestusAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HephaestusAutoConfiguration.class,
                HephaestusEventsAutoConfiguration.class));

    @Test
    void registryHoldsEveryWorkflowBean() {
        this.contextRunner.withUserConfiguration(GreetingConfiguration.class, FarewellConfiguration.class)
            .run((context) -> {
                assertThat(context).hasSingleBean(WorkflowRegistry.class);
                WorkflowRegistry registry = context.getBean(WorkflowRegistry.class);
                assertThat(registry.names()).containsExactlyInAnyOrder("greeting", "farewell");
                assertThat(registry.get("greeting")).isSameAs(context.getBean("greeting"));
            });
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void stepBeanThatNoWorkflowUsesIsReportedAtStartUp(org.springframework.boot.test.system.CapturedOutput output) {
        this.contextRunner.withUserConfiguration(SharedStepConfiguration.class).run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("Step bean orphan (key 'orphan') is not used by any registered workflow")
                .doesNotContain("key 'used'");
        });
    }

    @Test
    void defaultBeansAreAutoConfigured() {
        this.contextRunner.withUserConfiguration(GreetingConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(Storage.class);
            assertThat(context.getBean(Storage.class)).isInstanceOf(InMemoryStorage.class);
            assertThat(context).hasSingleBean(Telemetry.class);
            assertThat(context).hasSingleBean(Runner.class);
            assertThat(context.getBean(Runner.class)).isInstanceOf(LocalRunner.class);
            assertThat(context).hasSingleBean(LogTelemetryListener.class);
            Runner runner = context.getBean(Runner.class);
            assertThat(runner.registry()).isSameAs(context.getBean(WorkflowRegistry.class));
            assertThat(runner.storage()).isSameAs(context.getBean(Storage.class));
            assertThat(runner.name()).isEqualTo("hephaestus");
        });
    }

    @Test
    void logListenerIsAttachedUnderItsDefaultId() {
        this.contextRunner.run((context) -> assertThat(context.getBean(Telemetry.class).listenerIds())
            .contains(LogTelemetryListener.DEFAULT_ID));
    }

    @Test
    void userStorageWins() {
        this.contextRunner.withUserConfiguration(UserStorageConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(Storage.class);
            assertThat(context.getBean(Runner.class).storage()).isSameAs(context.getBean("userStorage"));
        });
    }

    @Test
    void userTelemetryWins() {
        this.contextRunner.withUserConfiguration(UserTelemetryConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(Telemetry.class);
            assertThat(context.getBean(Telemetry.class)).isSameAs(context.getBean("userTelemetry"));
            assertThat(context.getBean(Telemetry.class).listenerIds()).isEmpty();
        });
    }

    @Test
    void userRunnerWins() {
        this.contextRunner.withUserConfiguration(UserRunnerConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(Runner.class);
            assertThat(context.getBean(Runner.class).name()).isEqualTo("user");
        });
    }

    @Test
    void userRegistryWins() {
        this.contextRunner.withUserConfiguration(UserRegistryConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(WorkflowRegistry.class);
            assertThat(context.getBean(Runner.class).registry()).isSameAs(context.getBean("userRegistry"));
        });
    }

    @Test
    void userLogListenerWinsAndTakesTheDefaultId() {
        this.contextRunner.withUserConfiguration(UserLogListenerConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(LogTelemetryListener.class);
            LogTelemetryListener listener = context.getBean(LogTelemetryListener.class);
            assertThat(listener.events()).containsExactly(TelemetryEventType.WORKFLOW_STOP);
            assertThat(context.getBean(Telemetry.class).listenerIds()).contains(LogTelemetryListener.DEFAULT_ID)
                .doesNotContain("userLogListener");
        });
    }

    @Test
    void secondLogListenerIsAttachedUnderItsBeanName() {
        this.contextRunner
            .withUserConfiguration(UserLogListenerConfiguration.class, SecondLogListenerConfiguration.class)
            .run((context) -> assertThat(context.getBean(Telemetry.class).listenerIds())
                .contains(LogTelemetryListener.DEFAULT_ID, "secondLogListener"));
    }

    @Test
    void telemetryIsCreatedWithoutAnyListener() {
        this.contextRunner
            .withPropertyValues("hephaestus.telemetry.log.enabled=false", "hephaestus.events.enabled=false")
            .run((context) -> {
                assertThat(context).hasSingleBean(Telemetry.class);
                assertThat(context.getBean(Telemetry.class).listenerIds()).isEmpty();
            });
    }

    @Test
    void runnerNameIsApplied() {
        this.contextRunner.withPropertyValues("hephaestus.runner.name=orders")
            .run((context) -> assertThat(context.getBean(Runner.class).name()).isEqualTo("orders"));
    }

    @Test
    void runnerNameNamesTheStepThreads() {
        List<String> threads = new CopyOnWriteArrayList<>();
        this.contextRunner.withPropertyValues("hephaestus.runner.name=orders")
            .withBean(Workflow.class, () -> TestWorkflows.greeting(1, (input) -> {
                threads.add(Thread.currentThread().getName());
                return StepResult.completed("greeted");
            }))
            .run((context) -> {
                Runner runner = context.getBean(Runner.class);
                runner.start(StartRequest.of(TestWorkflows.GREETING, "1"));
                awaitStatus(runner, "greetingid::1", Status.COMPLETED);
                assertThat(threads).singleElement().asString().startsWith("orders-step-");
            });
    }

    @Test
    void runnerThreadsAreApplied() {
        this.contextRunner.withPropertyValues("hephaestus.runner.threads=3")
            .run((context) -> assertThat(context.getBean(LocalRunner.class)).extracting("executor")
                .isInstanceOfSatisfying(ThreadPoolExecutor.class,
                        (executor) -> assertThat(executor.getCorePoolSize()).isEqualTo(3)));
    }

    @Test
    void runnerWriterThreadsAreApplied() {
        this.contextRunner.withPropertyValues("hephaestus.runner.writer-threads=5")
            .run((context) -> assertThat(context.getBean(LocalRunner.class)).extracting("writers")
                .isInstanceOfSatisfying(ThreadPoolExecutor.class,
                        (writers) -> assertThat(writers.getCorePoolSize()).isEqualTo(5)));
    }

    @Test
    void runnerHasNoWriterThreadsByDefault() {
        this.contextRunner.run((context) -> assertThat(context.getBean(LocalRunner.class)).extracting("writers")
            .isNull());
    }

    @Test
    void negativeWriterThreadsFailStartUp() {
        this.contextRunner.withPropertyValues("hephaestus.runner.writer-threads=-1").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("hephaestus.runner.writer-threads")
                .hasMessageContaining("must not be negative");
        });
    }

    @Test
    void runnerDefaultStepTimeoutIsApplied() {
        this.contextRunner.withPropertyValues("hephaestus.runner.default-step-timeout=250ms")
            .run((context) -> assertThat(context.getBean(LocalRunner.class)).extracting("defaultStepTimeout")
                .isEqualTo(Optional.of(Duration.ofMillis(250))));
    }

    @Test
    void runnerShutdownGracePeriodIsApplied() {
        this.contextRunner.withPropertyValues("hephaestus.runner.shutdown-grace-period=2s")
            .run((context) -> assertThat(context.getBean(LocalRunner.class)).extracting("shutdownGracePeriod")
                .isEqualTo(Duration.ofSeconds(2)));
    }

    @Test
    void runnerMaxValueSizeIsOneMegabyteByDefault() {
        this.contextRunner.run((context) -> assertThat(context.getBean(LocalRunner.class)).extracting("maxValueSize")
            .isEqualTo(LocalRunner.DEFAULT_MAX_VALUE_SIZE));
    }

    @Test
    void runnerMaxValueSizeIsApplied() {
        this.contextRunner.withPropertyValues("hephaestus.runner.max-value-size=64KB")
            .run((context) -> assertThat(context.getBean(LocalRunner.class)).extracting("maxValueSize")
                .isEqualTo(64L * 1024));
    }

    @Test
    void runnerRejectsAValueLargerThanMaxValueSize() {
        this.contextRunner.withUserConfiguration(GreetingConfiguration.class)
            .withPropertyValues("hephaestus.runner.max-value-size=100B")
            .run((context) -> assertThatExceptionOfType(ValueTooLargeException.class)
                .isThrownBy(() -> context.getBean(Runner.class)
                    .start(StartRequest.of(TestWorkflows.GREETING, "big").context(Map.of("text", "x".repeat(200)))))
                .withMessageContaining("larger than 100 bytes"));
    }

    @Test
    void nonPositiveMaxValueSizeFailsStartUp() {
        this.contextRunner.withPropertyValues("hephaestus.runner.max-value-size=0B").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("hephaestus.runner.max-value-size")
                .hasMessageContaining("must be positive");
        });
    }

    @Test
    void negativeShutdownGracePeriodFailsStartUp() {
        this.contextRunner.withPropertyValues("hephaestus.runner.shutdown-grace-period=-1s").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("hephaestus.runner.shutdown-grace-period");
        });
    }

    @Test
    void runnerWithoutThreadsFailsStartUp() {
        this.contextRunner.withPropertyValues("hephaestus.runner.threads=0").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("hephaestus.runner.threads")
                .hasMessageContaining("at least one thread");
        });
    }

    @Test
    void nonPositiveDefaultStepTimeoutFailsStartUp() {
        this.contextRunner.withPropertyValues("hephaestus.runner.default-step-timeout=0s").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("hephaestus.runner.default-step-timeout");
        });
    }

    @Test
    void retentionDefaultsAreTheRunnersAndTheInMemoryStoragesDefaults() {
        this.contextRunner.run((context) -> {
            LocalRunner runner = context.getBean(LocalRunner.class);
            assertThat(runner).extracting("retention").isEqualTo(LocalRunner.DEFAULT_RETENTION);
            assertThat(runner).extracting("retentionSweepInterval")
                .isEqualTo(LocalRunner.DEFAULT_RETENTION_SWEEP_INTERVAL);
            assertThat(context.getBean(InMemoryStorage.class).maxFinishedInstances())
                .isEqualTo(InMemoryStorage.DEFAULT_MAX_FINISHED_INSTANCES);
        });
    }

    @Test
    void retentionPropertiesAreApplied() {
        this.contextRunner
            .withPropertyValues("hephaestus.storage.retention=2d", "hephaestus.storage.retention-sweep-interval=30s",
                    "hephaestus.storage.memory.max-finished-instances=25")
            .run((context) -> {
                LocalRunner runner = context.getBean(LocalRunner.class);
                assertThat(runner).extracting("retention").isEqualTo(Duration.ofDays(2));
                assertThat(runner).extracting("retentionSweepInterval").isEqualTo(Duration.ofSeconds(30));
                assertThat(context.getBean(InMemoryStorage.class).maxFinishedInstances()).isEqualTo(25);
            });
    }

    @Test
    void retentionSweepDeletesFinishedInstancesOlderThanTheRetention() {
        this.contextRunner.withUserConfiguration(GreetingConfiguration.class)
            .withPropertyValues("hephaestus.storage.retention=1ms",
                    "hephaestus.storage.retention-sweep-interval=50ms")
            .run((context) -> {
                Runner runner = context.getBean(Runner.class);
                Instance started = runner.start(StartRequest.of(TestWorkflows.GREETING, "old"));
                runner.awaitFinished(TestWorkflows.GREETING, "old", Duration.ofSeconds(10));

                await().atMost(Duration.ofSeconds(10))
                    .until(() -> context.getBean(Storage.class).get(started.runId()).isEmpty());
            });
    }

    @Test
    void zeroRetentionTurnsTheSweepOff() {
        this.contextRunner.withPropertyValues("hephaestus.storage.retention=0")
            .run((context) -> assertThat(context.getBean(LocalRunner.class)).extracting("retention", "sweep")
                .containsExactly(Duration.ZERO, null));
    }

    @Test
    void nonPositiveRetentionSweepIntervalFailsStartUp() {
        this.contextRunner.withPropertyValues("hephaestus.storage.retention-sweep-interval=0s").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("hephaestus.storage.retention-sweep-interval")
                .hasMessageContaining("must be positive");
        });
    }

    @Test
    void negativeMaxFinishedInstancesFailsStartUp() {
        this.contextRunner.withPropertyValues("hephaestus.storage.memory.max-finished-instances=-1")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context).getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("hephaestus.storage.memory.max-finished-instances")
                    .hasMessageContaining("must not be negative");
            });
    }

    @Test
    void highestVersionIsCurrentByDefault() {
        this.contextRunner.withUserConfiguration(TwoVersionsConfiguration.class)
            .run((context) -> assertThat(context.getBean(WorkflowRegistry.class).currentVersion("greeting"))
                .isEqualTo(2));
    }

    @Test
    void currentVersionPropertyOverridesTheHighestVersion() {
        this.contextRunner.withUserConfiguration(TwoVersionsConfiguration.class)
            .withPropertyValues("hephaestus.workflows.current.greeting=1")
            .run((context) -> assertThat(context.getBean(WorkflowRegistry.class).currentVersion("greeting"))
                .isEqualTo(1));
    }

    @Test
    void runnerCustomizerIsApplied() {
        this.contextRunner.withPropertyValues("hephaestus.runner.name=orders")
            .withBean(HephaestusRunnerCustomizer.class, () -> (builder) -> builder.name("customized"))
            .run((context) -> assertThat(context.getBean(Runner.class).name()).isEqualTo("customized"));
    }

    @Test
    void logListenerBacksOffWhenDisabled() {
        this.contextRunner.withPropertyValues("hephaestus.telemetry.log.enabled=false").run((context) -> {
            assertThat(context).doesNotHaveBean(LogTelemetryListener.class);
            assertThat(context.getBean(Telemetry.class).listenerIds()).doesNotContain(LogTelemetryListener.DEFAULT_ID);
        });
    }

    @Test
    void logListenerLogsEveryEventByDefault() {
        this.contextRunner.run((context) -> assertThat(context.getBean(LogTelemetryListener.class).events())
            .containsExactlyInAnyOrder(TelemetryEventType.values()));
    }

    @Test
    void logEventsPropertyAcceptsFullAndShortNames() {
        this.contextRunner.withPropertyValues("hephaestus.telemetry.log.events=hephaestus.workflow.start,step.stop")
            .run((context) -> assertThat(context.getBean(LogTelemetryListener.class).events())
                .containsExactlyInAnyOrder(TelemetryEventType.WORKFLOW_START, TelemetryEventType.STEP_STOP));
    }

    @Test
    void logLevelsPropertyAcceptsFullAndShortNames() {
        this.contextRunner
            .withPropertyValues("hephaestus.telemetry.log.levels.step.stop=debug",
                    "hephaestus.telemetry.log.levels[hephaestus.workflow.start]=warn")
            .run((context) -> {
                LogTelemetryListener listener = context.getBean(LogTelemetryListener.class);
                assertThat(listener.level(TelemetryEventType.STEP_STOP)).isEqualTo(Level.DEBUG);
                assertThat(listener.level(TelemetryEventType.WORKFLOW_START)).isEqualTo(Level.WARN);
                assertThat(listener.level(TelemetryEventType.STEP_START))
                    .isEqualTo(LogTelemetryListener.defaultLevel(TelemetryEventType.STEP_START));
            });
    }

    @Test
    void unknownLogEventFailsStartUpNamingTheValidNames() {
        this.contextRunner.withPropertyValues("hephaestus.telemetry.log.events=step.stop,step.finish")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context).getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("hephaestus.telemetry.log.events")
                    .hasMessageContaining("'step.finish'")
                    .hasMessageContaining(allEventNames());
            });
    }

    @Test
    void unknownLogLevelEventFailsStartUpNamingTheValidNames() {
        this.contextRunner.withPropertyValues("hephaestus.telemetry.log.levels.step.finish=debug").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("hephaestus.telemetry.log.levels")
                .hasMessageContaining("'step.finish'")
                .hasMessageContaining(allEventNames());
        });
    }

    @Test
    void offLogLevelFailsStartUp() {
        this.contextRunner.withPropertyValues("hephaestus.telemetry.log.levels.step.stop=off").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("hephaestus.telemetry.log.levels.step.stop")
                .hasMessageContaining("hephaestus.telemetry.log.events");
        });
    }

    @Test
    void userTelemetryListenerReceivesTheEventsOfAWorkflowRun() {
        this.contextRunner.withUserConfiguration(GreetingConfiguration.class, RecordingListenerConfiguration.class)
            .run((context) -> {
                assertThat(context.getBean(Telemetry.class).listenerIds()).contains("recordingListener");
                RecordingListener recorder = context.getBean(RecordingListener.class);
                context.getBean(Runner.class).start(StartRequest.of(TestWorkflows.GREETING, "1"));
                await().atMost(Duration.ofSeconds(10))
                    .until(() -> recorder.names().contains("hephaestus.workflow.stop"));
                assertThat(recorder.names()).contains("hephaestus.workflow.start", "hephaestus.step.start",
                        "hephaestus.step.stop", "hephaestus.workflow.transition", "hephaestus.engine.advance");
            });
    }

    @Test
    void invalidWorkflowBeanFailsStartUpAndIsAnalyzed() {
        this.contextRunner.withUserConfiguration(InvalidWorkflowConfiguration.class).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context).getFailure().rootCause().isInstanceOf(WorkflowDefinitionException.class);
            Throwable failure = context.getStartupFailure();
            WorkflowDefinitionException cause = (WorkflowDefinitionException) rootCause(failure);
            assertThat(cause.problems()).hasSize(2);
            FailureAnalysis analysis = new WorkflowDefinitionFailureAnalyzer().analyze(failure);
            assertThat(analysis.getDescription()).startsWith("Workflow 'broken v1' defined by bean 'broken'")
                .contains("(2 problems)");
            cause.problems()
                .forEach((problem) -> assertThat(analysis.getDescription())
                    .contains(System.lineSeparator() + "    - " + problem));
            assertThat(analysis.getAction()).contains("workflow 'broken v1'").contains("transitions and events");
        });
    }

    @Test
    void duplicateWorkflowVersionFailsStartUpAndIsAnalyzed() {
        this.contextRunner.withUserConfiguration(GreetingConfiguration.class, DuplicateGreetingConfiguration.class)
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = new WorkflowDefinitionFailureAnalyzer()
                    .analyze(context.getStartupFailure());
                assertThat(analysis.getDescription())
                    .startsWith("The Hephaestus workflow registry defined by bean 'hephaestusWorkflowRegistry'")
                    .contains("    - workflow 'greeting' version 1 is registered twice");
                assertThat(analysis.getAction()).contains("one bean only");
            });
    }

    @Test
    void unregisteredCurrentVersionFailsStartUpNamingThePropertyAndTheVersions() {
        this.contextRunner.withUserConfiguration(TwoVersionsConfiguration.class)
            .withPropertyValues("hephaestus.workflows.current.greeting=3")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context).getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("hephaestus.workflows.current.greeting")
                    .hasMessageContaining("Version 3 of workflow 'greeting' is not registered")
                    .hasMessageContaining("registered versions: [1, 2]");
            });
    }

    @Test
    void currentVersionOfUnknownWorkflowFailsStartUpNamingThePropertyAndTheWorkflows() {
        this.contextRunner.withUserConfiguration(GreetingConfiguration.class)
            .withPropertyValues("hephaestus.workflows.current.farewell=1")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context).getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("hephaestus.workflows.current.farewell")
                    .hasMessageContaining("No workflow named 'farewell' is registered")
                    .hasMessageContaining("{greeting=[1]}");
            });
    }

    @Test
    void runnerIsClosedWithTheContext() {
        AtomicReference<Runner> runner = new AtomicReference<>();
        this.contextRunner.run((context) -> {
            runner.set(context.getBean(Runner.class));
            assertThat(runner.get().isAccepting()).isTrue();
        });
        assertThat(runner.get().isAccepting()).isFalse();
    }

    private static void awaitStatus(Runner runner, String id, Status status) {
        await().atMost(Duration.ofSeconds(10))
            .until(() -> runner.get(TestWorkflows.GREETING, id).map(Instance::status).orElse(null) == status);
    }

    private static String allEventNames() {
        return String.join(", ", Stream.of(TelemetryEventType.values()).map(TelemetryEventType::eventName).toList());
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Configuration(proxyBeanMethods = false)
    static class GreetingConfiguration {

        @Bean
        Workflow greeting() {
            return TestWorkflows.greeting(1);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SharedStepConfiguration {

        @Bean
        Step used() {
            return TestWorkflows.step("used", Set.of("ok"), (input) -> StepResult.completed("ok"));
        }

        @Bean
        Step orphan() {
            return TestWorkflows.step("orphan", Set.of("ok"), (input) -> StepResult.completed("ok"));
        }

        @Bean
        Workflow shared(Step used) {
            return Workflow.builder("shared").businessKey("id").start(used).transition(used, "ok", Done.step()).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DuplicateGreetingConfiguration {

        @Bean
        Workflow greetingAgain() {
            return TestWorkflows.greeting(1);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FarewellConfiguration {

        @Bean
        Workflow farewell() {
            Step bye = TestWorkflows.step("bye", Set.of("waved"), (input) -> StepResult.completed("waved"));
            return Workflow.builder("farewell").businessKey("farewellid").start(bye)
                .transition(bye, "waved", Done.step()).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoVersionsConfiguration {

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
    static class InvalidWorkflowConfiguration {

        @Bean
        Workflow broken() {
            // "waved" is declared without a transition, "shouted" is used without being declared.
            Step hello = TestWorkflows.step("hello", Set.of("greeted", "waved"),
                    (input) -> StepResult.completed("greeted"));
            return Workflow.builder("broken").businessKey("brokenid").start(hello)
                .transition(hello, "greeted", Done.step()).transition(hello, "shouted", Done.step()).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserStorageConfiguration {

        @Bean
        Storage userStorage() {
            return new InMemoryStorage();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserTelemetryConfiguration {

        @Bean
        Telemetry userTelemetry() {
            return Telemetry.create();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserRunnerConfiguration {

        @Bean(destroyMethod = "close")
        Runner userRunner() {
            return LocalRunner.builder(WorkflowRegistry.of()).name("user").threads(1).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserRegistryConfiguration {

        @Bean
        WorkflowRegistry userRegistry() {
            return WorkflowRegistry.of(TestWorkflows.greeting(1));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserLogListenerConfiguration {

        @Bean
        LogTelemetryListener userLogListener() {
            return LogTelemetryListener.builder().events(Set.of(TelemetryEventType.WORKFLOW_STOP)).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SecondLogListenerConfiguration {

        @Bean
        LogTelemetryListener secondLogListener() {
            return LogTelemetryListener.create();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class RecordingListenerConfiguration {

        @Bean
        RecordingListener recordingListener() {
            return new RecordingListener();
        }
    }

    static class RecordingListener implements TelemetryListener {

        private final List<TelemetryEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(TelemetryEvent event) {
            this.events.add(event);
        }

        List<String> names() {
            return this.events.stream().map(TelemetryEvent::name).toList();
        }
    }
}
