package io.hephaestus.core.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hephaestus.core.InvalidValueException;
import io.hephaestus.core.ValueTooLargeException;
import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.WaitForEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Instances are addressed by business value or full id everywhere, callers can wait for one
 * instance to finish, and oversized values are refused before anything is stored.
 */
class RunnerAddressingAndWaitingTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final InMemoryStorage storage = new InMemoryStorage();

    private LocalRunner runner;

    @AfterEach
    void closeRunner() {
        if (this.runner != null) {
            this.runner.close();
        }
    }

    private static Workflow approval() {
        WaitForEvent approve = WaitForEvent.of("approve", "approved", "rejected");
        return Workflow.builder("approval").businessKey("orderid").start(approve).transition(approve, "approved", Done.step())
            .transition(approve, "rejected", Done.step()).build();
    }

    private LocalRunner runner(LocalRunner.Builder builder) {
        this.runner = builder.storage(this.storage).threads(2).build();
        return this.runner;
    }

    private LocalRunner runner() {
        return runner(LocalRunner.builder(WorkflowRegistry.of(approval())));
    }

    @Test
    void getAcceptsTheBusinessValueAsWellAsTheFullIdAndCaseMatters() {
        runner();
        Instance started = this.runner.start(StartRequest.of("approval", "ORD-2024-001"));
        assertThat(started.id()).isEqualTo("orderid::ORD-2024-001");

        assertThat(this.runner.get("approval", "ORD-2024-001")).map(Instance::runId).contains(started.runId());
        assertThat(this.runner.get("approval", "orderid::ORD-2024-001")).map(Instance::runId).contains(started.runId());
        assertThat(this.runner.get("approval", "ord-2024-001")).isEmpty();
    }

    @Test
    void resumeAndCancelFindTheInstanceByItsBusinessValue() throws Exception {
        runner();
        this.runner.start(StartRequest.of("approval", "A42"));
        this.runner.start(StartRequest.of("approval", "A43"));
        awaitWaiting("A42");
        awaitWaiting("A43");

        assertThat(this.runner.resume("approval", "A42", "approved").instance().completedSteps()).contains("approve");
        assertThat(this.runner.cancel("approval", "A43").status()).isEqualTo(Status.CANCELLED);
        assertThat(this.runner.awaitFinished("approval", "orderid::A42", TIMEOUT).status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void anInvalidBusinessValueIsRejectedByEveryOperation() {
        runner();
        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> this.runner.get("approval", "a b"))
            .withMessageContaining("\"a b\"");
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> this.runner.resume("approval", "a/b", "approved"))
            .withMessageContaining("\"a/b\"");
        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> this.runner.cancel("approval", "x".repeat(200)))
            .withMessageContaining("200 characters, at most 128 allowed");
        assertThat(this.storage.query(InstanceQuery.all())).isEmpty();
    }

    @Test
    void instancesOfAnUnscopedWorkflowNeedTheirFullIdAndTheErrorSaysSo() {
        WaitForEvent approve = WaitForEvent.of("approve", "approved");
        runner(LocalRunner.builder(WorkflowRegistry.of(Workflow.builder("free")
            .businessKey("key", UniquenessScope.NONE).start(approve)
            .transition(approve, "approved", Done.step()).build())));
        Instance started = this.runner.start(StartRequest.of("free", "1"));

        assertThat(this.runner.get("free", started.id())).isPresent();
        assertThatExceptionOfType(InstanceNotFoundException.class).isThrownBy(() -> this.runner.cancel("free", "1"))
            .withMessageContaining("no instance of workflow 'free' has id 1")
            .withMessageContaining("addressed by their full id");
    }

    @Test
    void whenFinishedCompletesWhenTheRunCompletesFailsOrIsCancelled() throws Exception {
        runner();
        this.runner.start(StartRequest.of("approval", "1"));
        this.runner.start(StartRequest.of("approval", "2"));
        CompletableFuture<Instance> first = this.runner.whenFinished("approval", "1");
        CompletableFuture<Instance> second = this.runner.whenFinished("approval", "2");
        assertThat(first).isNotDone();

        awaitWaiting("1");
        this.runner.resume("approval", "1", "rejected");
        this.runner.cancel("approval", "2");

        assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.COMPLETED);
        assertThat(second.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.CANCELLED);
        assertThat(this.runner.whenFinished("approval", "1")).isCompletedWithValueMatching(
                (instance) -> instance.status() == Status.COMPLETED);
    }

    @Test
    void completingTheReturnedFutureAffectsNoOtherCaller() throws Exception {
        runner();
        this.runner.start(StartRequest.of("approval", "1"));
        CompletableFuture<Instance> mine = this.runner.whenFinished("approval", "1");
        CompletableFuture<Instance> theirs = this.runner.whenFinished("approval", "1");

        mine.cancel(true);
        awaitWaiting("1");
        this.runner.resume("approval", "1", "approved");

        assertThat(theirs.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void awaitFinishedTimesOutSayingWhereTheInstanceIs() {
        runner();
        this.runner.start(StartRequest.of("approval", "1"));
        awaitWaiting("1");

        assertThatExceptionOfType(TimeoutException.class)
            .isThrownBy(() -> this.runner.awaitFinished("approval", "1", Duration.ofMillis(50)))
            .withMessage("instance 1 of workflow approval did not finish within PT0.05S; it is waiting");
    }

    @Test
    void whenFinishedOfAnUnknownInstanceIsRejected() {
        runner();
        assertThatExceptionOfType(InstanceNotFoundException.class).isThrownBy(() -> this.runner.whenFinished("approval", "9"))
            .withMessage("no instance of workflow 'approval' has id 9");
    }

    @Test
    void whenFinishedFailsWhenTheRunnerClosesFirst() {
        runner();
        this.runner.start(StartRequest.of("approval", "1"));
        CompletableFuture<Instance> finished = this.runner.whenFinished("approval", "1");

        this.runner.close();

        assertThatExceptionOfType(ExecutionException.class).isThrownBy(finished::get)
            .withCauseInstanceOf(IllegalStateException.class).withMessageContaining("is closed");
    }

    @Test
    void contextLargerThanTheMaximumIsRejectedAndNothingIsStored() {
        runner(LocalRunner.builder(WorkflowRegistry.of(approval())).maxValueSize(1000));
        Map<String, Object> big = Map.of("blob", "x".repeat(1000));

        assertThatExceptionOfType(ValueTooLargeException.class)
            .isThrownBy(() -> this.runner.start(StartRequest.of("approval", "1").context(big)))
            .withMessage("initial context is larger than 1000 bytes of JSON, the most this runner accepts")
            .isInstanceOf(InvalidValueException.class);
        assertThat(this.storage.query(InstanceQuery.all())).isEmpty();
        assertThat(this.runner.start(StartRequest.of("approval", "1").context(Map.of("blob", "x".repeat(900))))
            .status()).isNotNull();
    }

    @Test
    void eventDataLargerThanTheMaximumIsRejectedAndTheInstanceIsUnchanged() {
        runner(LocalRunner.builder(WorkflowRegistry.of(approval())).maxValueSize(1000));
        this.runner.start(StartRequest.of("approval", "1"));
        Instance waiting = awaitWaiting("1");

        assertThatExceptionOfType(ValueTooLargeException.class)
            .isThrownBy(() -> this.runner.resume(ResumeRequest.of("approval", "1", "approved")
                .data(Map.of("blob", "x".repeat(2000)))))
            .withMessage("data of event 'approved' is larger than 1000 bytes of JSON, the most this runner accepts");
        assertThat(this.runner.get("approval", "1")).contains(waiting);
    }

    @Test
    void defaultMaximumIsOneMebibyte() {
        runner();
        String justUnder = "x".repeat((int) LocalRunner.DEFAULT_MAX_VALUE_SIZE - 20);
        assertThat(this.runner.start(StartRequest.of("approval", "1").context(Map.of("b", justUnder)))).isNotNull();
        assertThatExceptionOfType(ValueTooLargeException.class).isThrownBy(() -> this.runner.start(
                StartRequest.of("approval", "2").context(Map.of("b", "x".repeat(10 * 1024 * 1024)))));
        assertThatExceptionOfType(IllegalArgumentException.class)
            .isThrownBy(() -> LocalRunner.builder(WorkflowRegistry.of(approval())).maxValueSize(0))
            .withMessage("maxValueSize must be positive, got 0");
    }

    private Instance awaitWaiting(String value) {
        await().atMost(TIMEOUT)
            .until(() -> this.runner.get("approval", value).map(Instance::status).orElse(null) == Status.WAITING);
        return this.runner.get("approval", value).orElseThrow();
    }
}
