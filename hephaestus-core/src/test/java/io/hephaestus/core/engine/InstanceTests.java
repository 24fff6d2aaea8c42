package io.hephaestus.core.engine;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.hephaestus.core.InvalidValueException;
import io.hephaestus.core.telemetry.FailureKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstanceTests {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static final Instant T1 = Instant.parse("2026-01-01T00:01:00Z");

    @Test
    void createReturnsAPendingInstanceWithNothingDone() {
        Instance instance = Instance.create("run-1", "orderid::1", "order", 2, Map.of("amount", 10),
                Map.of("tenant", "acme"), T0);

        assertThat(instance.runId()).isEqualTo("run-1");
        assertThat(instance.id()).isEqualTo("orderid::1");
        assertThat(instance.workflow()).isEqualTo("order");
        assertThat(instance.workflowVersion()).isEqualTo(2);
        assertThat(instance.status()).isEqualTo(Status.PENDING);
        assertThat(instance.context()).isEqualTo(Context.of(Map.of("amount", 10)));
        assertThat(instance.telemetryMetadata()).isEqualTo(Map.of("tenant", "acme"));
        assertThat(instance.activeSteps()).isEmpty();
        assertThat(instance.completedSteps()).isEmpty();
        assertThat(instance.skippedSteps()).isEmpty();
        assertThat(instance.arrivals()).isEmpty();
        assertThat(instance.stepConfigs()).isEmpty();
        assertThat(instance.waitingSteps()).isEmpty();
        assertThat(instance.timers()).isEmpty();
        assertThat(instance.attempts()).isEmpty();
        assertThat(instance.runtimeMetadata()).isEmpty();
        assertThat(instance.history()).isEmpty();
        assertThat(instance.failures()).isEmpty();
        assertThat(instance.createdAt()).isEqualTo(T0);
        assertThat(instance.updatedAt()).isEqualTo(T0);
        assertThat(instance.revision()).isZero();
    }

    @Test
    void componentsAreCopiedSoTheSourceCollectionsCanChange() {
        Set<String> active = new LinkedHashSet<>(List.of("a", "b"));
        Map<String, Instant> waiting = new HashMap<>(Map.of("b", T0));
        List<Failure> failures = new java.util.ArrayList<>();

        Instance instance = instance(Status.RUNNING, active, waiting, failures);
        active.add("c");
        waiting.clear();
        failures.add(new Failure("a", 1, FailureKind.ERROR, "late", T1));

        assertThat(instance.activeSteps()).containsExactly("a", "b");
        assertThat(instance.waitingSteps()).containsOnlyKeys("b");
        assertThat(instance.failures()).isEmpty();
    }

    @Test
    void collectionsCannotBeModified() {
        Instance instance = instance(Status.RUNNING, Set.of("a"), Map.of(), List.of());

        assertThatThrownBy(() -> instance.activeSteps().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> instance.completedSteps().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> instance.waitingSteps().put("x", T0))
            .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> instance.history().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> instance.failures().add(new Failure("a", 1, FailureKind.ERROR, "x", T0)))
            .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> instance.runtimeMetadata().put("x", 1))
            .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void stepSetsKeepActivationOrder() {
        Instance instance = instance(Status.RUNNING, new LinkedHashSet<>(List.of("z", "a", "m")), Map.of(), List.of());

        assertThat(instance.activeSteps()).containsExactly("z", "a", "m");
    }

    @Test
    void runnableStepsAreTheActiveStepsThatDoNotWait() {
        Map<String, Instant> waiting = new LinkedHashMap<>();
        waiting.put("a", T0);
        Instance instance = instance(Status.RUNNING, new LinkedHashSet<>(List.of("c", "a", "b")), waiting, List.of());

        assertThat(instance.runnableSteps()).containsExactly("c", "b");
        assertThatThrownBy(() -> instance.runnableSteps().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void runnableStepsAreEmptyWhenEveryActiveStepWaits() {
        Instance instance = instance(Status.WAITING, Set.of("a"), Map.of("a", T0), List.of());

        assertThat(instance.runnableSteps()).isEmpty();
    }

    @Test
    void failureIsTheLastFailureOfAFailedInstance() {
        Failure first = new Failure("a", 1, FailureKind.ERROR, "first", T0);
        Failure last = new Failure("a", 2, FailureKind.TIMEOUT, "last", T1);

        Instance instance = instance(Status.FAILED, Set.of(), Map.of(), List.of(first, last));

        assertThat(instance.failure()).contains(last);
    }

    @Test
    void failureIsEmptyUnlessTheInstanceFailed() {
        Failure retried = new Failure("a", 1, FailureKind.ERROR, "retried", T0);

        Instance instance = instance(Status.RUNNING, Set.of("a"), Map.of(), List.of(retried));

        assertThat(instance.failure()).isEmpty();
        assertThat(instance.failures()).containsExactly(retried);
    }

    @Test
    void withRevisionChangesOnlyTheRevision() {
        Instance instance = instance(Status.RUNNING, Set.of("a"), Map.of(), List.of());

        Instance stored = instance.withRevision(7);

        assertThat(stored.revision()).isEqualTo(7);
        assertThat(stored).usingRecursiveComparison().ignoringFields("revision").isEqualTo(instance);
        assertThat(instance.revision()).isZero();
    }

    @Test
    void copiesShareTheirFrozenCollectionsInsteadOfCopyingThem() {
        Instance instance = instance(Status.RUNNING, Set.of("a", "b"), Map.of("a", T0), List.of());

        Instance stored = instance.withRevision(1);

        assertThat(stored.activeSteps()).isSameAs(instance.activeSteps());
        assertThat(stored.waitingSteps()).isSameAs(instance.waitingSteps());
        assertThat(stored.context()).isSameAs(instance.context());
        assertThat(stored.history()).isSameAs(instance.history());
    }

    @Test
    void instancesWithEqualComponentsAreEqual() {
        assertThat(instance(Status.RUNNING, new LinkedHashSet<>(Set.of("a")), new HashMap<>(), List.of()))
            .isEqualTo(instance(Status.RUNNING, Set.of("a"), Map.of(), List.of()))
            .isNotEqualTo(instance(Status.WAITING, Set.of("a"), Map.of(), List.of()));
    }

    @Test
    void versionBelowOneIsRejected() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Instance.create("run-1", "orderid::1", "order", 0, Map.of(), Map.of(), T0))
            .withMessage("workflowVersion must be positive, got 0");
    }

    @Test
    void nonJsonSafeTelemetryMetadataIsRejected() {
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> Instance.create("run-1", "orderid::1", "order", 1, Map.of(), Map.of("at", T0), T0))
            .withMessageStartingWith("telemetry metadata.at must be JSON-safe");
    }

    @Test
    void nullStepKeysAreRejected() {
        Set<String> active = new LinkedHashSet<>();
        active.add(null);

        assertThatThrownBy(() -> instance(Status.RUNNING, active, Map.of(), List.of()))
            .isInstanceOf(NullPointerException.class)
            .hasMessage("activeSteps element");
    }

    private static Instance instance(Status status, Set<String> active, Map<String, Instant> waiting,
            List<Failure> failures) {
        return new Instance("run-1", "orderid::1", "order", 1, status, Context.of(Map.of("amount", 10)), active,
                Set.of(), Set.of(), Map.of(), Map.of(), waiting, Map.of(), Map.of(), List.of(), Map.of(), List.of(), failures,
                Map.of(), T0, T0, 0);
    }
}
