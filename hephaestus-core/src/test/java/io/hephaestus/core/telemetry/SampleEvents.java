package io.hephaestus.core.telemetry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;

/**
 * One sample event of each type, shared by the telemetry tests.
 */
final class SampleEvents {

    static final long SYSTEM_TIME = 1_700_000_000_123_456_789L;

    static final InstanceScope SCOPE = InstanceScope.of("inst-1", "order_flow", 2);

    private SampleEvents() {
    }

    static WorkflowStart workflowStart() {
        return workflowStart(SCOPE);
    }

    static WorkflowStart workflowStart(InstanceScope scope) {
        return new WorkflowStart(scope, SYSTEM_TIME, "validate", List.of("items", "customer"), "LocalRunner", false);
    }

    static WorkflowStop workflowStop() {
        return new WorkflowStop(SCOPE, 15_900_000L, 3, 4, List.of("validate", "charge", "done"), "LocalRunner");
    }

    static WorkflowException workflowException() {
        return new WorkflowException(SCOPE, 7_000_000L, "charge", "Charge", FailureKind.EXCEPTION, "card declined",
                List.of("io.acme.Charge.execute(Charge.java:42)"), 1, 2, "LocalRunner");
    }

    static WorkflowCancel workflowCancel() {
        return new WorkflowCancel(SCOPE, 2_500_000_000L, List.of("await_payment"), "LocalRunner");
    }

    static WorkflowTransition workflowTransition() {
        return new WorkflowTransition(SCOPE, SYSTEM_TIME, "validate", "Validate", "valid", List.of("charge", "reserve"),
                List.of("Charge", "Reserve"));
    }

    static StepStart stepStart() {
        return new StepStart(SCOPE, SYSTEM_TIME, "Validate", "validate", false, 1, 1);
    }

    static StepStop stepStop() {
        return new StepStop(SCOPE, 2_999_999L, "Validate", "validate", "valid", true, false,
                List.of("charge", "reserve"));
    }

    static StepException stepException() {
        return new StepException(SCOPE, 1_000_000L, "Charge", "charge", FailureKind.TIMEOUT, "timed out after 5s",
                List.of(), 2, true);
    }

    static StepAsync stepAsync() {
        return new StepAsync(SCOPE, 500_000L, "AwaitPayment", "await_payment", "waiting");
    }

    static StepResume stepResume() {
        return new StepResume(SCOPE, SYSTEM_TIME, 61_234_000_000L, "AwaitPayment", "await_payment", "paid",
                ResumeSource.EXTERNAL);
    }

    static EngineAdvance engineAdvance() {
        return new EngineAdvance(SCOPE, 120_000L, 2, 0, "pending", "running", 1);
    }

    static RunnerInit runnerInit() {
        return new RunnerInit(SYSTEM_TIME, "orders", "LocalRunner", "InMemoryStorage", 4242L);
    }

    /**
     * Return one sample of each event type, in the order of {@link TelemetryEventType#values()}.
     * @return the samples
     */
    static List<TelemetryEvent> all() {
        return List.of(workflowStart(), workflowStop(), workflowException(), workflowCancel(), workflowTransition(),
                stepStart(), stepStop(), stepException(), stepAsync(), stepResume(), engineAdvance(), runnerInit());
    }

    static Stream<Named<TelemetryEvent>> named() {
        return all().stream().map((event) -> Named.of(event.name(), event));
    }

    static Stream<Named<TelemetryEvent>> namedInstanceScoped() {
        return named().filter((named) -> !(named.getPayload() instanceof RunnerInit));
    }

    /**
     * Return a copy of an instance-scoped event with another scope.
     * @param event the event to copy
     * @param scope the scope of the copy
     * @return the copy
     */
    static TelemetryEvent withScope(TelemetryEvent event, InstanceScope scope) {
        try {
            var components = event.getClass().getRecordComponents();
            var types = new Class<?>[components.length];
            var values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = (types[i] == InstanceScope.class) ? scope : components[i].getAccessor().invoke(event);
            }
            return (TelemetryEvent) event.getClass().getDeclaredConstructor(types).newInstance(values);
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Return an unmodifiable insertion-ordered map of the given pairs, values may be
     * {@code null}.
     * @param keysAndValues alternating keys and values
     * @return the map
     */
    static Map<String, Object> orderedMap(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
