package io.hephaestus.core.telemetry;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.entry;

class LogTelemetryListenerTests {

    private static final InstanceScope SCOPE = SampleEvents.SCOPE;

    private LogCapture log;

    @BeforeEach
    void captureTheTelemetryLogger() {
        this.log = LogCapture.of(LogTelemetryListener.DEFAULT_LOGGER_NAME, Level.TRACE);
        MDC.clear();
    }

    @AfterEach
    void releaseTheTelemetryLogger() {
        this.log.close();
        MDC.clear();
    }

    @Test
    void defaultListenerLogsEveryEventWithItsLineFormatAndDefaultLevel() {
        LogTelemetryListener listener = LogTelemetryListener.create();
        SampleEvents.all().forEach(listener::onEvent);
        assertThat(this.log.events()).extracting(LogTelemetryListenerTests::describe).containsExactly(
                "INFO [inst-1] Workflow started",
                "INFO [inst-1] Workflow completed in 15ms",
                "ERROR [inst-1] Workflow failed at Charge: card declined",
                "INFO [inst-1] Workflow cancelled after 2500ms",
                "DEBUG [inst-1] Transition: Validate → Charge, Reserve",
                "INFO [inst-1] Step Validate started",
                "INFO [inst-1] Step Validate completed in 2ms → valid",
                "ERROR [inst-1] Step Charge failed: timed out after 5s",
                "WARN [inst-1] Step AwaitPayment waiting for async event",
                "INFO [inst-1] Step AwaitPayment resumed with paid (waited 61234ms)",
                "DEBUG [inst-1] Engine advance #1 (0ms)",
                "INFO Hephaestus runner initialized: orders");
    }

    @Test
    void transitionAndFailureLinesNameTheStepsLikeTheStepLines() {
        LogTelemetryListener listener = LogTelemetryListener.create();
        listener.onEvent(new WorkflowTransition(SCOPE, SampleEvents.SYSTEM_TIME, "validate_order", "ValidateOrder", "valid",
                List.of("charge_payment"), List.of("ChargePayment")));
        listener.onEvent(new WorkflowException(SCOPE, 1L, "reserve_inventory", "ReserveInventory", FailureKind.ERROR,
                "out of stock", List.of(), 2, 3, "local"));
        assertThat(this.log.messages()).containsExactly("[inst-1] Transition: ValidateOrder → ChargePayment",
                "[inst-1] Workflow failed at ReserveInventory: out of stock");
    }

    @Test
    void stepExceptionOfAThrownExceptionLogsItsStackTraceOnceAtError() {
        LogTelemetryListener listener = LogTelemetryListener.create();
        listener.onEvent(new StepException(SCOPE, 1L, "Charge", "charge", FailureKind.EXCEPTION,
                "java.lang.IllegalStateException: boom", List.of("io.acme.Charge.execute(Charge.java:42)",
                        "java.base/java.lang.Thread.run(Thread.java:840)"), 1, false));
        listener.onEvent(new WorkflowException(SCOPE, 1L, "charge", "Charge", FailureKind.EXCEPTION,
                "java.lang.IllegalStateException: boom", List.of("io.acme.Charge.execute(Charge.java:42)"), 0, 1,
                "local"));
        assertThat(this.log.events()).extracting(LogTelemetryListenerTests::describe).containsExactly(
                "ERROR [inst-1] Step Charge failed: java.lang.IllegalStateException: boom"
                        + "\n\tat io.acme.Charge.execute(Charge.java:42)"
                        + "\n\tat java.base/java.lang.Thread.run(Thread.java:840)",
                "ERROR [inst-1] Workflow failed at Charge: java.lang.IllegalStateException: boom");
    }

    @Test
    void recoveredWorkflowIsLoggedAsRecovered() {
        LogTelemetryListener.create().onEvent(
                new WorkflowStart(SCOPE, SampleEvents.SYSTEM_TIME, "validate", List.of(), "LocalRunner", true));
        assertThat(this.log.messages()).containsExactly("[inst-1] Workflow recovered");
    }

    @Test
    void transitionWithoutTargetsKeepsTheTrailingSpace() {
        LogTelemetryListener.create()
                .onEvent(new WorkflowTransition(SCOPE, SampleEvents.SYSTEM_TIME, "done", "done", List.of()));
        LogTelemetryListener.create()
                .onEvent(new WorkflowTransition(SCOPE, SampleEvents.SYSTEM_TIME, "validate", "valid",
                        List.of("charge")));
        assertThat(this.log.messages()).containsExactly("[inst-1] Transition: done → ",
                "[inst-1] Transition: validate → charge");
    }

    @Test
    void millisecondsAreTruncated() {
        LogTelemetryListener listener = LogTelemetryListener.create();
        listener.onEvent(new WorkflowStop(SCOPE, 999_999L, 1, 1, List.of(), "LocalRunner"));
        listener.onEvent(new WorkflowStop(SCOPE, 1_999_999L, 1, 1, List.of(), "LocalRunner"));
        listener.onEvent(new StepResume(SCOPE, SampleEvents.SYSTEM_TIME, 1_000_000L, "Wait", "wait", "timeout",
                ResumeSource.TIMEOUT));
        assertThat(this.log.messages()).containsExactly("[inst-1] Workflow completed in 0ms",
                "[inst-1] Workflow completed in 1ms", "[inst-1] Step Wait resumed with timeout (waited 1ms)");
    }

    @Test
    void defaultLevelsFollowTheTelemetryGuide() {
        Map<TelemetryEventType, org.slf4j.event.Level> expected = Map.ofEntries(
                entry(TelemetryEventType.WORKFLOW_START, org.slf4j.event.Level.INFO),
                entry(TelemetryEventType.WORKFLOW_STOP, org.slf4j.event.Level.INFO),
                entry(TelemetryEventType.WORKFLOW_EXCEPTION, org.slf4j.event.Level.ERROR),
                entry(TelemetryEventType.WORKFLOW_CANCEL, org.slf4j.event.Level.INFO),
                entry(TelemetryEventType.WORKFLOW_TRANSITION, org.slf4j.event.Level.DEBUG),
                entry(TelemetryEventType.STEP_START, org.slf4j.event.Level.INFO),
                entry(TelemetryEventType.STEP_STOP, org.slf4j.event.Level.INFO),
                entry(TelemetryEventType.STEP_EXCEPTION, org.slf4j.event.Level.ERROR),
                entry(TelemetryEventType.STEP_ASYNC, org.slf4j.event.Level.WARN),
                entry(TelemetryEventType.STEP_RESUME, org.slf4j.event.Level.INFO),
                entry(TelemetryEventType.ENGINE_ADVANCE, org.slf4j.event.Level.DEBUG),
                entry(TelemetryEventType.RUNNER_INIT, org.slf4j.event.Level.INFO));
        LogTelemetryListener listener = LogTelemetryListener.create();
        for (TelemetryEventType type : TelemetryEventType.values()) {
            assertThat(LogTelemetryListener.defaultLevel(type)).as(type.eventName()).isEqualTo(expected.get(type));
            assertThat(listener.level(type)).as(type.eventName()).isEqualTo(expected.get(type));
        }
        assertThat(listener.events()).containsExactly(TelemetryEventType.values());
    }

    @Test
    void levelOverrideWinsOverTheDefault() {
        LogTelemetryListener listener = LogTelemetryListener.builder()
                .level(TelemetryEventType.STEP_STOP, org.slf4j.event.Level.DEBUG)
                .level(TelemetryEventType.ENGINE_ADVANCE, org.slf4j.event.Level.TRACE)
                .level(TelemetryEventType.STEP_ASYNC, org.slf4j.event.Level.INFO)
                .build();
        assertThat(listener.level(TelemetryEventType.STEP_STOP)).isEqualTo(org.slf4j.event.Level.DEBUG);
        assertThat(listener.level(TelemetryEventType.STEP_START)).isEqualTo(org.slf4j.event.Level.INFO);
        listener.onEvent(SampleEvents.stepStop());
        listener.onEvent(SampleEvents.engineAdvance());
        listener.onEvent(SampleEvents.stepAsync());
        assertThat(this.log.events()).extracting(ILoggingEvent::getLevel).containsExactly(Level.DEBUG, Level.TRACE,
                Level.INFO);
    }

    @Test
    void eventSubsetLimitsWhatIsLoggedAndAttached() {
        LogTelemetryListener listener = LogTelemetryListener.builder()
                .events(EnumSet.of(TelemetryEventType.WORKFLOW_START, TelemetryEventType.WORKFLOW_EXCEPTION))
                .build();
        assertThat(listener.events()).containsExactly(TelemetryEventType.WORKFLOW_START,
                TelemetryEventType.WORKFLOW_EXCEPTION);
        Telemetry telemetry = Telemetry.create();
        listener.attachTo(telemetry);
        assertThat(EnumSet.allOf(TelemetryEventType.class)).filteredOn(telemetry::isEnabled)
                .containsExactly(TelemetryEventType.WORKFLOW_START, TelemetryEventType.WORKFLOW_EXCEPTION);

        SampleEvents.all().forEach(telemetry::emit);
        // Called directly, it still ignores the types it was not built for.
        listener.onEvent(SampleEvents.stepStart());

        assertThat(this.log.messages()).containsExactly("[inst-1] Workflow started",
                "[inst-1] Workflow failed at Charge: card declined");
    }

    @Test
    void eventsCannotBeEmptyOrModified() {
        assertThatIllegalArgumentException().isThrownBy(() -> LogTelemetryListener.builder().events(Set.of()));
        Set<TelemetryEventType> events = EnumSet.of(TelemetryEventType.STEP_STOP);
        LogTelemetryListener listener = LogTelemetryListener.builder().events(events).build();
        events.add(TelemetryEventType.STEP_START);
        assertThat(listener.events()).containsExactly(TelemetryEventType.STEP_STOP).isUnmodifiable();
    }

    @Test
    void attachToUsesTheDefaultIdOnce() {
        Telemetry telemetry = Telemetry.create();
        LogTelemetryListener.create().attachTo(telemetry);
        assertThat(telemetry.listenerIds()).containsExactly("hephaestus-default-log-handler");
        assertThatIllegalStateException().isThrownBy(() -> LogTelemetryListener.create().attachTo(telemetry))
                .withMessage("telemetry listener 'hephaestus-default-log-handler' is already attached");

        telemetry.emit(SampleEvents.stepStart());
        assertThat(telemetry.detach(LogTelemetryListener.DEFAULT_ID)).isTrue();
        telemetry.emit(SampleEvents.stepStart());

        assertThat(this.log.messages()).containsExactly("[inst-1] Step Validate started");
    }

    @Test
    void customLoggerReceivesTheLines() {
        try (LogCapture custom = LogCapture.of("io.acme.workflows", Level.INFO)) {
            LogTelemetryListener listener = LogTelemetryListener.builder()
                    .logger(LoggerFactory.getLogger("io.acme.workflows"))
                    .build();
            listener.onEvent(SampleEvents.workflowStart());
            assertThat(custom.messages()).containsExactly("[inst-1] Workflow started");
        }
        assertThat(this.log.events()).isEmpty();
    }

    @Test
    void nothingIsLoggedBelowTheLoggerLevel() {
        this.log.close();
        this.log = LogCapture.of(LogTelemetryListener.DEFAULT_LOGGER_NAME, Level.ERROR);
        LogTelemetryListener listener = LogTelemetryListener.create();
        listener.onEvent(SampleEvents.workflowStart());
        listener.onEvent(SampleEvents.stepAsync());
        listener.onEvent(SampleEvents.engineAdvance());
        assertThat(this.log.events()).isEmpty();
        listener.onEvent(SampleEvents.stepException());
        assertThat(this.log.messages()).containsExactly("[inst-1] Step Charge failed: timed out after 5s");
    }

    @Test
    void nothingIsFormattedWhenTheLevelIsOff() {
        List<String> calls = new ArrayList<>();
        Logger silent = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] { Logger.class },
                (proxy, method, args) -> {
                    calls.add(method.getName());
                    if (method.getReturnType() == boolean.class) {
                        return false;
                    }
                    if (method.getReturnType() == String.class) {
                        return "silent";
                    }
                    return null;
                });
        LogTelemetryListener listener = LogTelemetryListener.builder().logger(silent).build();

        SampleEvents.all().forEach(listener::onEvent);

        assertThat(calls).hasSize(SampleEvents.all().size())
                .allSatisfy((call) -> assertThat(call).matches("is(Trace|Debug|Info|Warn|Error)?Enabled(ForLevel)?"));
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void mdcHoldsTheInstanceDuringTheCallAndIsClearedAfter() {
        LogTelemetryListener listener = LogTelemetryListener.create();
        listener.onEvent(SampleEvents.workflowStart());
        listener.onEvent(SampleEvents.stepStop());
        listener.onEvent(SampleEvents.runnerInit());

        List<ILoggingEvent> events = this.log.events();
        assertThat(events.get(0).getMDCPropertyMap()).containsOnly(entry("instance_id", "inst-1"),
                entry("workflow", "order_flow"));
        assertThat(events.get(1).getMDCPropertyMap()).containsOnly(entry("instance_id", "inst-1"),
                entry("workflow", "order_flow"), entry("step", "Validate"));
        assertThat(events.get(2).getMDCPropertyMap()).isEmpty();
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void mdcValuesOfTheCallerAreRestored() {
        MDC.put("instance_id", "outer");
        MDC.put("request_id", "req-1");

        LogTelemetryListener.create().onEvent(SampleEvents.stepStart());

        assertThat(this.log.events()).singleElement().satisfies((logged) -> assertThat(logged.getMDCPropertyMap())
                .containsOnly(entry("instance_id", "inst-1"), entry("workflow", "order_flow"),
                        entry("step", "Validate"), entry("request_id", "req-1")));
        assertThat(MDC.getCopyOfContextMap()).containsOnly(entry("instance_id", "outer"), entry("request_id", "req-1"));
    }

    private static String describe(ILoggingEvent event) {
        return event.getLevel() + " " + event.getFormattedMessage();
    }
}
