package io.hephaestus.core.telemetry;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class TelemetryTests {

    private final Telemetry telemetry = Telemetry.create();

    private final List<String> received = new ArrayList<>();

    @Test
    void newDispatcherHasNoListenersAndNothingEnabled() {
        assertThat(this.telemetry.listenerIds()).isEmpty();
        for (TelemetryEventType type : TelemetryEventType.values()) {
            assertThat(this.telemetry.isEnabled(type)).isFalse();
        }
        assertThatNoException().isThrownBy(() -> this.telemetry.emit(SampleEvents.workflowStart()));
    }

    @Test
    void listenerAttachedWithoutTypesReceivesEveryEvent() {
        this.telemetry.attach("all", recorder("all"));
        SampleEvents.all().forEach(this.telemetry::emit);
        assertThat(this.received).hasSize(TelemetryEventType.values().length);
        for (TelemetryEventType type : TelemetryEventType.values()) {
            assertThat(this.telemetry.isEnabled(type)).isTrue();
        }
    }

    @Test
    void listenerAttachedWithoutTypesReceivesOnlyTheTypesItDeclares() {
        TelemetryListener recorder = recorder("declared");
        this.telemetry.attach("declared", new TelemetryListener() {
            @Override
            public void onEvent(TelemetryEvent event) {
                recorder.onEvent(event);
            }

            @Override
            public Set<TelemetryEventType> eventTypes() {
                return EnumSet.of(TelemetryEventType.WORKFLOW_START, TelemetryEventType.WORKFLOW_STOP);
            }
        });
        SampleEvents.all().forEach(this.telemetry::emit);
        assertThat(this.received).containsExactly("declared:hephaestus.workflow.start",
                "declared:hephaestus.workflow.stop");
        assertThat(this.telemetry.isEnabled(TelemetryEventType.STEP_START)).isFalse();
    }

    @Test
    void listenerAttachedForOneTypeReceivesOnlyThatType() {
        this.telemetry.attach("stops", Set.of(TelemetryEventType.STEP_STOP), recorder("stops"));
        SampleEvents.all().forEach(this.telemetry::emit);
        assertThat(this.received).containsExactly("stops:hephaestus.step.stop");
        assertThat(this.telemetry.isEnabled(TelemetryEventType.STEP_STOP)).isTrue();
        assertThat(this.telemetry.isEnabled(TelemetryEventType.STEP_START)).isFalse();
    }

    @Test
    void listenerAttachedForSeveralTypesReceivesOnlyThoseTypes() {
        this.telemetry.attach("failures",
                EnumSet.of(TelemetryEventType.WORKFLOW_EXCEPTION, TelemetryEventType.STEP_EXCEPTION),
                recorder("failures"));
        SampleEvents.all().forEach(this.telemetry::emit);
        assertThat(this.received).containsExactly("failures:hephaestus.workflow.exception",
                "failures:hephaestus.step.exception");
        assertThat(EnumSet.allOf(TelemetryEventType.class)).filteredOn(this.telemetry::isEnabled)
                .containsExactly(TelemetryEventType.WORKFLOW_EXCEPTION, TelemetryEventType.STEP_EXCEPTION);
    }

    @Test
    void listenersReceiveEventsInAttachOrder() {
        this.telemetry.attach("b", recorder("b"));
        this.telemetry.attach("a", Set.of(TelemetryEventType.STEP_START), recorder("a"));
        this.telemetry.attach("c", recorder("c"));
        this.telemetry.emit(SampleEvents.stepStart());
        assertThat(this.received).containsExactly("b:hephaestus.step.start", "a:hephaestus.step.start",
                "c:hephaestus.step.start");
        assertThat(this.telemetry.listenerIds()).containsExactly("b", "a", "c");
    }

    @Test
    void reattachedListenerGoesLast() {
        this.telemetry.attach("a", recorder("a"));
        this.telemetry.attach("b", recorder("b"));
        this.telemetry.detach("a");
        this.telemetry.attach("a", recorder("a"));
        this.telemetry.emit(SampleEvents.stepStart());
        assertThat(this.received).containsExactly("b:hephaestus.step.start", "a:hephaestus.step.start");
    }

    @Test
    void detachStopsDeliveryAndReportsWhetherTheIdWasAttached() {
        this.telemetry.attach("a", recorder("a"));
        this.telemetry.attach("b", recorder("b"));
        assertThat(this.telemetry.detach("a")).isTrue();
        assertThat(this.telemetry.detach("a")).isFalse();
        assertThat(this.telemetry.detach("unknown")).isFalse();
        this.telemetry.emit(SampleEvents.stepStart());
        assertThat(this.received).containsExactly("b:hephaestus.step.start");
        assertThat(this.telemetry.listenerIds()).containsExactly("b");
    }

    @Test
    void isEnabledFollowsAttachAndDetach() {
        TelemetryEventType type = TelemetryEventType.ENGINE_ADVANCE;
        this.telemetry.attach("one", Set.of(type), recorder("one"));
        this.telemetry.attach("two", Set.of(type, TelemetryEventType.STEP_ASYNC), recorder("two"));
        assertThat(this.telemetry.isEnabled(type)).isTrue();
        this.telemetry.detach("one");
        assertThat(this.telemetry.isEnabled(type)).isTrue();
        this.telemetry.detach("two");
        assertThat(this.telemetry.isEnabled(type)).isFalse();
        assertThat(this.telemetry.isEnabled(TelemetryEventType.STEP_ASYNC)).isFalse();
    }

    @Test
    void attachRejectsADuplicateIdAndKeepsTheFirstListener() {
        this.telemetry.attach("dup", recorder("first"));
        assertThatIllegalStateException()
                .isThrownBy(() -> this.telemetry.attach("dup", Set.of(TelemetryEventType.STEP_STOP),
                        recorder("second")))
                .withMessage("telemetry listener 'dup' is already attached");
        assertThatIllegalStateException().isThrownBy(() -> this.telemetry.attach("dup", recorder("second")));
        this.telemetry.emit(SampleEvents.stepStop());
        assertThat(this.received).containsExactly("first:hephaestus.step.stop");
    }

    @Test
    void attachRejectsAnEmptySetOfTypes() {
        assertThatIllegalArgumentException().isThrownBy(() -> this.telemetry.attach("none", Set.of(), recorder("x")))
                .withMessageContaining("'none'");
        assertThat(this.telemetry.listenerIds()).isEmpty();
    }

    @Test
    void attachRejectsNulls() {
        assertThatNullPointerException().isThrownBy(() -> this.telemetry.attach(null, recorder("x")))
                .withMessage("id");
        assertThatNullPointerException()
                .isThrownBy(() -> this.telemetry.attach("x", null, recorder("x"))).withMessage("types");
        assertThatNullPointerException().isThrownBy(() -> this.telemetry.attach("x", null)).withMessage("listener");
    }

    @Test
    void attachCopiesTheSetOfTypes() {
        Set<TelemetryEventType> types = EnumSet.of(TelemetryEventType.STEP_STOP);
        this.telemetry.attach("stops", types, recorder("stops"));
        types.add(TelemetryEventType.STEP_START);
        assertThat(this.telemetry.isEnabled(TelemetryEventType.STEP_START)).isFalse();
    }

    @Test
    void listenerIdsIsAnUnmodifiableSnapshot() {
        this.telemetry.attach("a", recorder("a"));
        Set<String> ids = this.telemetry.listenerIds();
        this.telemetry.attach("b", recorder("b"));
        assertThat(ids).containsExactly("a");
        assertThat(ids).isUnmodifiable();
    }

    @Test
    void throwingListenerIsLoggedAndDoesNotStopTheOthers() {
        this.telemetry.attach("before", recorder("before"));
        this.telemetry.attach("broken", (event) -> {
            throw new IllegalStateException("boom");
        });
        this.telemetry.attach("after", recorder("after"));
        try (LogCapture log = LogCapture.of(Telemetry.class, Level.WARN)) {
            assertThatNoException().isThrownBy(() -> this.telemetry.emit(SampleEvents.workflowStop()));

            assertThat(this.received).containsExactly("before:hephaestus.workflow.stop",
                    "after:hephaestus.workflow.stop");
            assertThat(log.events()).singleElement().satisfies((logged) -> {
                assertThat(logged.getLevel()).isEqualTo(Level.WARN);
                assertThat(logged.getFormattedMessage())
                        .isEqualTo("Telemetry listener 'broken' failed on event hephaestus.workflow.stop");
                assertThat(logged.getThrowableProxy().getMessage()).isEqualTo("boom");
            });
        }
    }

    @Test
    void listenerMayDetachItselfWhileAnEventIsDelivered() {
        this.telemetry.attach("once", (event) -> {
            this.received.add("once:" + event.name());
            this.telemetry.detach("once");
        });
        this.telemetry.attach("always", recorder("always"));
        this.telemetry.emit(SampleEvents.stepStart());
        this.telemetry.emit(SampleEvents.stepStop());
        assertThat(this.received).containsExactly("once:hephaestus.step.start", "always:hephaestus.step.start",
                "always:hephaestus.step.stop");
    }

    @Test
    void emitAndIsEnabledDoNotAllocateWhenNobodyListens() {
        this.telemetry.attach("other", Set.of(TelemetryEventType.RUNNER_INIT), recorder("other"));
        TelemetryEvent event = SampleEvents.stepStop();
        long allocated = Allocations.measure(() -> {
            for (int i = 0; i < 100_000; i++) {
                if (this.telemetry.isEnabled(TelemetryEventType.STEP_STOP)) {
                    throw new AssertionError("not enabled");
                }
                this.telemetry.emit(event);
            }
        });
        assertThat(allocated).isLessThan(10_000);
    }

    @Test
    void concurrentAttachesAreAllKept() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int offset = t * 50;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    this.telemetry.attach("listener-" + (offset + i), (event) -> {
                    });
                    this.telemetry.emit(SampleEvents.stepStart());
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(this.telemetry.listenerIds()).hasSize(400);
    }

    private TelemetryListener recorder(String id) {
        return (event) -> this.received.add(id + ":" + event.name());
    }
}
