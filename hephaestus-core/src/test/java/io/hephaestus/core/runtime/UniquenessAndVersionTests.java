package io.hephaestus.core.runtime;

import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.definition.UnknownWorkflowException;
import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.WaitForEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Uniqueness of business ids per scope, and versions side by side, through the local runner.
 */
class UniquenessAndVersionTests {

    private final SettableClock clock = SettableClock.startingAt("2026-01-01T00:00:00Z");

    private final InMemoryStorage storage = new InMemoryStorage();

    private LocalRunner runner;

    @AfterEach
    void closeRunner() {
        this.runner.close();
    }

    private LocalRunner runner(WorkflowRegistry registry) {
        this.runner = LocalRunner.builder(registry).storage(this.storage).scheduler(new ManualScheduler(this.clock)).clock(this.clock)
            .build();
        return this.runner;
    }

    /** A workflow that parks at once, so that its instances stay active. */
    private static Workflow parking(String name, int version, UniquenessScope scope) {
        WaitForEvent hold = WaitForEvent.of("hold", "go");
        Step after = TestSteps.emitting("after_v" + version, "done");
        return Workflow.builder(name).version(version).businessKey("orderid", scope).start(hold)
            .transition(hold, "go", after).transition(after, "done", Done.step()).build();
    }

    @Test
    void globalScopeRejectsTheSameIdInAnotherWorkflow() {
        runner(WorkflowRegistry.of(parking("order", 1, UniquenessScope.GLOBAL),
                parking("refund", 1, UniquenessScope.GLOBAL)));
        this.runner.start(StartRequest.of("order", "1"));
        assertThatExceptionOfType(DuplicateInstanceException.class)
            .isThrownBy(() -> this.runner.start(StartRequest.of("refund", "1")))
            .withMessageContaining("workflow order");
        assertThat(this.runner.list(InstanceQuery.all().id("orderid::1"))).hasSize(1);
    }

    @Test
    void workflowScopeAllowsTheSameIdInAnotherWorkflowButNotInAnotherVersion() {
        runner(WorkflowRegistry.of(parking("order", 1, UniquenessScope.WORKFLOW),
                parking("order", 2, UniquenessScope.WORKFLOW), parking("refund", 1, UniquenessScope.WORKFLOW)));
        this.runner.start(StartRequest.of("order", "1"));
        Instance refund = this.runner.start(StartRequest.of("refund", "1"));
        assertThat(refund.id()).isEqualTo("orderid::1");
        assertThatExceptionOfType(DuplicateInstanceException.class)
            .isThrownBy(() -> this.runner.start(StartRequest.of("order", "1").version(1)));
        assertThat(this.runner.list(InstanceQuery.all().id("orderid::1"))).hasSize(2);
    }

    @Test
    void versionScopeAllowsTheSameIdInAnotherVersionOnly() {
        runner(WorkflowRegistry.of(parking("order", 1, UniquenessScope.VERSION),
                parking("order", 2, UniquenessScope.VERSION)));
        this.runner.start(StartRequest.of("order", "1").version(1));
        Instance second = this.runner.start(StartRequest.of("order", "1").version(2));
        assertThat(second.workflowVersion()).isEqualTo(2);
        assertThatExceptionOfType(DuplicateInstanceException.class)
            .isThrownBy(() -> this.runner.start(StartRequest.of("order", "1").version(2)));
    }

    @Test
    void startUsesTheCurrentVersionUnlessTheRequestNamesOne() {
        runner(WorkflowRegistry.builder().register(parking("order", 1, UniquenessScope.NONE))
            .register(parking("order", 2, UniquenessScope.NONE)).register(parking("order", 3, UniquenessScope.NONE))
            .current("order", 2).build());
        assertThat(this.runner.start(StartRequest.of("order", "1")).workflowVersion()).isEqualTo(2);
        assertThat(this.runner.start(StartRequest.of("order", "1").version(3)).workflowVersion()).isEqualTo(3);
        assertThatExceptionOfType(UnknownWorkflowException.class)
            .isThrownBy(() -> this.runner.start(StartRequest.of("order", "1").version(9)))
            .withMessage("version 9 of workflow 'order' is not registered; available versions: [1, 2, 3]");
    }

    @Test
    void instanceKeepsTheVersionItStartedWith() {
        Workflow v1 = parking("order", 1, UniquenessScope.WORKFLOW);
        Workflow v2 = parking("order", 2, UniquenessScope.WORKFLOW);
        runner(WorkflowRegistry.builder().register(v1).register(v2).current("order", 1).build());
        this.runner.start(StartRequest.of("order", "1"));
        await().until(() -> this.runner.get("order", "orderid::1").orElseThrow().status() == Status.WAITING);
        this.runner.close();
        runner(WorkflowRegistry.builder().register(v1).register(v2).current("order", 2).build());
        this.runner.resume("order", "orderid::1", "go");
        Instance done = await().until(() -> this.runner.get("order", "orderid::1").orElseThrow(),
                (instance) -> instance.status() == Status.COMPLETED);
        assertThat(done.workflowVersion()).isEqualTo(1);
        assertThat(done.completedSteps()).containsExactly("hold", "after_v1", "done");
        assertThat(Set.copyOf(done.completedSteps())).doesNotContain("after_v2");
    }
}
