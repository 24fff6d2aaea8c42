package io.hephaestus.core.telemetry;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.entry;

class TelemetryEventTests {

    private static final InstanceScope SCOPE = SampleEvents.SCOPE;

    private static final long SYSTEM_TIME = SampleEvents.SYSTEM_TIME;

    @Test
    void workflowStartMapsItsFields() {
        WorkflowStart event = SampleEvents.workflowStart();
        assertThat(event.type()).isEqualTo(TelemetryEventType.WORKFLOW_START);
        assertThat(event.measurements()).containsExactly(entry("system_time", SYSTEM_TIME));
        assertThat(event.metadata()).containsExactly(entry("initial_step", "validate"),
                entry("context_keys", List.of("items", "customer")), entry("runner", "LocalRunner"),
                entry("recovered", false), entry("instance_id", "inst-1"), entry("workflow", "order_flow"),
                entry("workflow_version", 2));
    }

    @Test
    void workflowStopMapsItsFields() {
        WorkflowStop event = SampleEvents.workflowStop();
        assertThat(event.type()).isEqualTo(TelemetryEventType.WORKFLOW_STOP);
        assertThat(event.measurements()).containsExactly(entry("duration", 15_900_000L), entry("step_count", 3),
                entry("advance_count", 4));
        assertThat(event.metadata()).containsExactly(entry("status", "completed"),
                entry("completed_steps", List.of("validate", "charge", "done")), entry("runner", "LocalRunner"),
                entry("instance_id", "inst-1"), entry("workflow", "order_flow"), entry("workflow_version", 2));
    }

    @Test
    void workflowExceptionMapsItsFields() {
        WorkflowException event = SampleEvents.workflowException();
        assertThat(event.type()).isEqualTo(TelemetryEventType.WORKFLOW_EXCEPTION);
        assertThat(event.measurements()).containsExactly(entry("duration", 7_000_000L));
        assertThat(event.metadata()).containsExactly(entry("status", "failed"), entry("failed_step", "charge"),
                entry("kind", "exception"), entry("reason", "card declined"),
                entry("stacktrace", List.of("io.acme.Charge.execute(Charge.java:42)")), entry("step_count", 1),
                entry("advance_count", 2), entry("runner", "LocalRunner"), entry("instance_id", "inst-1"),
                entry("workflow", "order_flow"), entry("workflow_version", 2));
    }

    @Test
    void workflowCancelMapsItsFields() {
        WorkflowCancel event = SampleEvents.workflowCancel();
        assertThat(event.type()).isEqualTo(TelemetryEventType.WORKFLOW_CANCEL);
        assertThat(event.measurements()).containsExactly(entry("duration", 2_500_000_000L));
        assertThat(event.metadata()).containsExactly(entry("status", "cancelled"),
                entry("active_steps", List.of("await_payment")), entry("runner", "LocalRunner"),
                entry("instance_id", "inst-1"), entry("workflow", "order_flow"), entry("workflow_version", 2));
    }

    @Test
    void workflowTransitionMapsItsFields() {
        WorkflowTransition event = SampleEvents.workflowTransition();
        assertThat(event.type()).isEqualTo(TelemetryEventType.WORKFLOW_TRANSITION);
        assertThat(event.measurements()).containsExactly(entry("system_time", SYSTEM_TIME), entry("targets_count", 2));
        assertThat(event.metadata()).containsExactly(entry("from_step", "validate"), entry("event", "valid"),
                entry("targets", List.of("charge", "reserve")), entry("fan_out", true), entry("instance_id", "inst-1"),
                entry("workflow", "order_flow"), entry("workflow_version", 2));
    }

    @Test
    void workflowTransitionIsAFanOutOnlyWithMoreThanOneTarget() {
        var none = new WorkflowTransition(SCOPE, SYSTEM_TIME, "done", "done", List.of());
        var one = new WorkflowTransition(SCOPE, SYSTEM_TIME, "validate", "valid", List.of("charge"));
        assertThat(none.fanOut()).isFalse();
        assertThat(none.measurements()).containsEntry("targets_count", 0);
        assertThat(none.metadata()).containsEntry("fan_out", false).containsEntry("targets", List.of());
        assertThat(one.fanOut()).isFalse();
        assertThat(one.metadata()).containsEntry("fan_out", false);
        assertThat(SampleEvents.workflowTransition().fanOut()).isTrue();
    }

    @Test
    void stepStartMapsItsFields() {
        StepStart event = SampleEvents.stepStart();
        assertThat(event.type()).isEqualTo(TelemetryEventType.STEP_START);
        assertThat(event.measurements()).containsExactly(entry("system_time", SYSTEM_TIME));
        assertThat(event.metadata()).containsExactly(entry("step", "Validate"), entry("step_key", "validate"),
                entry("concurrent", false), entry("active_steps_count", 1), entry("attempt", 1),
                entry("instance_id", "inst-1"), entry("workflow", "order_flow"), entry("workflow_version", 2));
    }

    @Test
    void stepStopMapsItsFields() {
        StepStop event = SampleEvents.stepStop();
        assertThat(event.type()).isEqualTo(TelemetryEventType.STEP_STOP);
        assertThat(event.measurements()).containsExactly(entry("duration", 2_999_999L));
        assertThat(event.metadata()).containsExactly(entry("step", "Validate"), entry("step_key", "validate"),
                entry("event", "valid"), entry("has_context_updates", true), entry("has_metadata_updates", false),
                entry("transitions_to", List.of("charge", "reserve")), entry("instance_id", "inst-1"),
                entry("workflow", "order_flow"), entry("workflow_version", 2));
    }

    @Test
    void stepExceptionMapsItsFields() {
        StepException event = SampleEvents.stepException();
        assertThat(event.type()).isEqualTo(TelemetryEventType.STEP_EXCEPTION);
        assertThat(event.measurements()).containsExactly(entry("duration", 1_000_000L));
        assertThat(event.metadata()).containsExactly(entry("step", "Charge"), entry("step_key", "charge"),
                entry("kind", "timeout"), entry("reason", "timed out after 5s"), entry("stacktrace", List.of()),
                entry("attempt", 2), entry("will_retry", true), entry("instance_id", "inst-1"),
                entry("workflow", "order_flow"), entry("workflow_version", 2));
    }

    @Test
    void stepAsyncMapsItsFields() {
        StepAsync event = SampleEvents.stepAsync();
        assertThat(event.type()).isEqualTo(TelemetryEventType.STEP_ASYNC);
        assertThat(event.measurements()).containsExactly(entry("duration", 500_000L));
        assertThat(event.metadata()).containsExactly(entry("step", "AwaitPayment"), entry("step_key", "await_payment"),
                entry("instance_status", "waiting"), entry("instance_id", "inst-1"), entry("workflow", "order_flow"),
                entry("workflow_version", 2));
    }

    @Test
    void stepResumeMapsItsFields() {
        StepResume event = SampleEvents.stepResume();
        assertThat(event.type()).isEqualTo(TelemetryEventType.STEP_RESUME);
        assertThat(event.measurements()).containsExactly(entry("system_time", SYSTEM_TIME),
                entry("wait_duration", 61_234_000_000L));
        assertThat(event.metadata()).containsExactly(entry("step", "AwaitPayment"), entry("step_key", "await_payment"),
                entry("resume_event", "paid"), entry("source", "external"), entry("instance_id", "inst-1"),
                entry("workflow", "order_flow"), entry("workflow_version", 2));
    }

    @Test
    void engineAdvanceMapsItsFields() {
        EngineAdvance event = SampleEvents.engineAdvance();
        assertThat(event.type()).isEqualTo(TelemetryEventType.ENGINE_ADVANCE);
        assertThat(event.measurements()).containsExactly(entry("duration", 120_000L), entry("active_steps_count", 2),
                entry("completed_in_advance", 0));
        assertThat(event.metadata()).containsExactly(entry("status_before", "pending"),
                entry("status_after", "running"),
                entry("iteration", 1), entry("instance_id", "inst-1"), entry("workflow", "order_flow"),
                entry("workflow_version", 2));
    }

    @Test
    void runnerInitMapsItsFieldsWithoutInstanceScope() {
        RunnerInit event = SampleEvents.runnerInit();
        assertThat(event.type()).isEqualTo(TelemetryEventType.RUNNER_INIT);
        assertThat(event.name()).isEqualTo("hephaestus.runner.init");
        assertThat(event.measurements()).containsExactly(entry("system_time", SYSTEM_TIME));
        assertThat(event.metadata()).containsExactly(entry("name", "orders"), entry("runner", "LocalRunner"),
                entry("storage", "InMemoryStorage"), entry("pid", 4242L));
    }

    @ParameterizedTest
    @MethodSource("io.hephaestus.core.telemetry.SampleEvents#named")
    void nameIsTheEventNameOfTheType(TelemetryEvent event) {
        assertThat(event.name()).isEqualTo(event.type().eventName());
    }

    @ParameterizedTest
    @MethodSource("io.hephaestus.core.telemetry.SampleEvents#namedInstanceScoped")
    void callerMetadataComesFirstAndCannotOverrideHephaestusFields(TelemetryEvent sample) {
        Map<String, Object> hephaestusOnly = sample.metadata();
        List<String> hephaestusKeys = List.copyOf(hephaestusOnly.keySet());
        // Every key this event writes, plus two extra ones, one of them JSON null.
        Object[] callerPairs = new Object[(hephaestusKeys.size() + 2) * 2];
        callerPairs[0] = "request_id";
        callerPairs[1] = "req-abc-123";
        callerPairs[2] = "user_id";
        callerPairs[3] = null;
        for (int i = 0; i < hephaestusKeys.size(); i++) {
            callerPairs[4 + 2 * i] = hephaestusKeys.get(i);
            callerPairs[5 + 2 * i] = "fake";
        }
        var scope = new InstanceScope("inst-1", "order_flow", 2, SampleEvents.orderedMap(callerPairs));
        TelemetryEvent event = SampleEvents.withScope(sample, scope);

        Map<String, Object> metadata = event.metadata();

        assertThat(metadata).doesNotContainValue("fake");
        assertThat(List.copyOf(metadata.keySet())).startsWith("request_id", "user_id")
                .endsWith("instance_id", "workflow", "workflow_version")
                .containsSubsequence(hephaestusKeys.toArray(String[]::new));
        assertThat(metadata).containsEntry("request_id", "req-abc-123").containsEntry("user_id", null)
                .containsEntry("instance_id", "inst-1").hasSize(hephaestusKeys.size() + 2);
        assertThat(metadata.entrySet()).containsAll(hephaestusOnly.entrySet());
    }

    @Test
    void callerKeyInstanceIdIsOverridden() {
        var scope = new InstanceScope("inst-1", "order_flow", 2,
                SampleEvents.orderedMap("instance_id", "fake", "request_id", "req-abc-123"));
        Map<String, Object> metadata = SampleEvents.workflowStart(scope).metadata();
        assertThat(metadata).containsExactly(entry("request_id", "req-abc-123"), entry("initial_step", "validate"),
                entry("context_keys", List.of("items", "customer")), entry("runner", "LocalRunner"),
                entry("recovered", false), entry("instance_id", "inst-1"), entry("workflow", "order_flow"),
                entry("workflow_version", 2));
    }

    @ParameterizedTest
    @MethodSource("io.hephaestus.core.telemetry.SampleEvents#named")
    void mapsAreFreshAndUnmodifiable(TelemetryEvent event) {
        assertThat(event.measurements()).isNotSameAs(event.measurements()).isEqualTo(event.measurements());
        assertThat(event.metadata()).isNotSameAs(event.metadata()).isEqualTo(event.metadata());
        assertThatExceptionOfType(UnsupportedOperationException.class)
                .isThrownBy(() -> event.measurements().put("extra", 1));
        assertThatExceptionOfType(UnsupportedOperationException.class)
                .isThrownBy(() -> event.metadata().put("extra", 1));
        assertThatExceptionOfType(UnsupportedOperationException.class)
                .isThrownBy(() -> event.metadata().remove(event.metadata().keySet().iterator().next()));
    }

    @ParameterizedTest
    @MethodSource("io.hephaestus.core.telemetry.SampleEvents#named")
    void constructorRejectsEachNullComponentNamingIt(TelemetryEvent sample) throws ReflectiveOperationException {
        RecordComponent[] components = sample.getClass().getRecordComponents();
        Constructor<?> constructor = canonicalConstructor(sample.getClass());
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = components[i].getAccessor().invoke(sample);
        }
        int references = 0;
        for (int i = 0; i < components.length; i++) {
            if (components[i].getType().isPrimitive()) {
                continue;
            }
            references++;
            Object[] withNull = values.clone();
            withNull[i] = null;
            assertThatExceptionOfType(InvocationTargetException.class)
                    .isThrownBy(() -> constructor.newInstance(withNull)).havingCause()
                    .isInstanceOf(NullPointerException.class).withMessage(components[i].getName());
        }
        assertThat(references).isPositive();
        assertThat(constructor.newInstance(values)).isEqualTo(sample);
    }

    @Test
    void listComponentsAreCopiedAndRejectNullElements() {
        List<String> targets = new ArrayList<>(List.of("charge"));
        var event = new WorkflowTransition(SCOPE, SYSTEM_TIME, "validate", "valid", targets);
        targets.add("reserve");
        assertThat(event.targets()).containsExactly("charge");
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> event.targets().add("x"));
        assertThatNullPointerException().isThrownBy(() -> new WorkflowStop(SCOPE, 1L, 1, 1,
                Collections.singletonList(null), "LocalRunner"));
    }

    @Test
    void instanceScopeRejectsNulls() {
        assertThatNullPointerException().isThrownBy(() -> new InstanceScope(null, "order_flow", 1, Map.of()))
                .withMessage("instanceId");
        assertThatNullPointerException().isThrownBy(() -> new InstanceScope("inst-1", null, 1, Map.of()))
                .withMessage("workflow");
        assertThatNullPointerException().isThrownBy(() -> new InstanceScope("inst-1", "order_flow", 1, null))
                .withMessage("callerMetadata");
    }

    @Test
    void instanceScopeOfHasNoCallerMetadata() {
        assertThat(InstanceScope.of("inst-1", "order_flow", 3))
                .isEqualTo(new InstanceScope("inst-1", "order_flow", 3, Map.of()));
    }

    @Test
    void everyEventTypeHasExactlyOneRecord() {
        Class<?>[] permitted = TelemetryEvent.class.getPermittedSubclasses();
        assertThat(permitted).hasSize(TelemetryEventType.values().length).allSatisfy((type) -> {
            assertThat(type.isRecord()).as("%s is a record", type).isTrue();
            assertThat(type.getPackage()).isEqualTo(TelemetryEvent.class.getPackage());
        });
        List<TelemetryEvent> samples = SampleEvents.all();
        assertThat(samples).extracting(Object::getClass).containsExactlyInAnyOrder(permitted);
        assertThat(samples).extracting(TelemetryEvent::type).containsExactly(TelemetryEventType.values());
    }

    @Test
    void everyInstanceScopedRecordHasAScopeAccessor() throws ReflectiveOperationException {
        for (Class<?> type : TelemetryEvent.class.getPermittedSubclasses()) {
            boolean hasScope = Arrays.stream(type.getRecordComponents())
                    .anyMatch((component) -> component.getName().equals("scope")
                            && component.getType() == InstanceScope.class);
            assertThat(hasScope).as("%s has a scope", type.getSimpleName()).isEqualTo(type != RunnerInit.class);
        }
    }

    private static Constructor<?> canonicalConstructor(Class<?> recordType) throws NoSuchMethodException {
        Class<?>[] types = Arrays.stream(recordType.getRecordComponents()).map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        return recordType.getDeclaredConstructor(types);
    }

    @Test
    void everyEventButRunnerInitExposesItsInstanceScopeThroughOneAccessor() {
        for (TelemetryEvent event : SampleEvents.all()) {
            if (event instanceof RunnerInit) {
                assertThat(event.instanceScope()).isEmpty();
            }
            else {
                assertThat(event.instanceScope()).as(event.name()).contains(SampleEvents.SCOPE);
            }
        }
    }
}
