package io.hephaestus.spring.boot.actuate;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.spring.boot.actuate.WorkflowsEndpoint.ErrorDescriptor;
import io.hephaestus.spring.boot.actuate.WorkflowsEndpoint.HistoryEntryDescriptor;
import io.hephaestus.spring.boot.actuate.WorkflowsEndpoint.InstanceDescriptor;
import io.hephaestus.spring.boot.actuate.WorkflowsEndpoint.InstanceSummaryDescriptor;
import io.hephaestus.spring.boot.actuate.WorkflowsEndpoint.QueuedEventDescriptor;
import io.hephaestus.spring.boot.actuate.WorkflowsEndpoint.ResumeDescriptor;
import io.hephaestus.spring.boot.actuate.WorkflowsEndpoint.StepDescriptor;
import io.hephaestus.spring.boot.actuate.WorkflowsEndpoint.TransitionDescriptor;
import io.hephaestus.spring.boot.actuate.WorkflowsEndpoint.VersionDescriptor;
import io.hephaestus.spring.boot.actuate.WorkflowsEndpoint.WorkflowDescriptor;
import io.hephaestus.spring.boot.actuate.WorkflowsEndpoint.WorkflowDetailsDescriptor;
import io.hephaestus.spring.boot.actuate.WorkflowsEndpoint.WorkflowsDescriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

class WorkflowsEndpointTests {

    private static final String MASK = "******";

    private final LocalRunner runner = TestWorkflows.runner();

    private final WorkflowsEndpoint endpoint = new WorkflowsEndpoint(this.runner, Show.NEVER, Set.of());

    @AfterEach
    void closeRunner() {
        this.runner.close();
    }

    @Test
    void workflowsDescribeEveryDefinitionWithItsMermaidGraph() {
        WorkflowsDescriptor descriptor = this.endpoint.workflows();

        assertThat(descriptor.workflows().keySet()).containsExactly("approval", "ping", "reminder");
        WorkflowDescriptor approval = descriptor.workflows().get("approval");
        assertThat(approval.name()).isEqualTo("approval");
        assertThat(approval.currentVersion()).isEqualTo(1);
        assertThat(approval.versions()).hasSize(1);
        VersionDescriptor version = approval.versions().get(0);
        assertThat(version.version()).isEqualTo(1);
        assertThat(version.businessKey().key()).isEqualTo("requestid");
        assertThat(version.businessKey().scope()).isEqualTo("workflow");
        assertThat(version.start()).isEqualTo("validate");
        assertThat(version.steps().get(0))
            .isEqualTo(new StepDescriptor("validate", "Validate", List.of("invalid", "valid")));
        assertThat(version.steps()).contains(
                new StepDescriptor("await_approval", "AwaitApproval", List.of("approved", "rejected")),
                new StepDescriptor("notify", "Notify", List.of("notified")),
                new StepDescriptor("done", "Done", List.of("done")));
        assertThat(version.transitions()).containsExactly(
                new TransitionDescriptor("validate", "valid", List.of("await_approval"), false),
                new TransitionDescriptor("validate", "invalid", List.of("done"), false),
                new TransitionDescriptor("await_approval", "approved", List.of("notify"), true),
                new TransitionDescriptor("await_approval", "rejected", List.of("done"), false),
                new TransitionDescriptor("notify", "notified", List.of("done"), false));
        assertThat(version.mermaid()).isEqualTo(TestWorkflows.APPROVAL.toMermaid())
            .startsWith("flowchart TD\n")
            .contains("    validate -->|valid| await_approval\n", "    await_approval -.->|approved| notify\n");
    }

    @Test
    void workflowsDescribeEveryVersionAndTheCurrentOne() {
        WorkflowDescriptor ping = this.endpoint.workflows().workflows().get("ping");

        assertThat(ping.currentVersion()).isEqualTo(2);
        assertThat(ping.versions()).extracting(VersionDescriptor::version).containsExactly(1, 2);
    }

    @Test
    void workflowsCountInstancesPerStatusOfEachWorkflow() {
        TestWorkflows.waitingApproval(this.runner, "1");
        Instance cancelled = TestWorkflows.waitingApproval(this.runner, "2");
        this.runner.cancel("approval", cancelled.id());
        TestWorkflows.completedPing(this.runner, "3");

        WorkflowsDescriptor descriptor = this.endpoint.workflows();

        assertThat(descriptor.workflows().get("approval").counts()).containsExactly(entry("pending", 0L),
                entry("running", 0L), entry("waiting", 1L), entry("completed", 0L), entry("failed", 0L),
                entry("cancelled", 1L));
        assertThat(descriptor.workflows().get("ping").counts()).containsEntry("completed", 1L)
            .containsEntry("waiting", 0L);
    }

    @Test
    void workflowListsNewestInstancesFirst() {
        TestWorkflows.completedPing(this.runner, "1");
        TestWorkflows.completedPing(this.runner, "2");
        TestWorkflows.completedPing(this.runner, "3");

        WorkflowDetailsDescriptor ping = this.endpoint.workflow("ping", null, null);

        assertThat(ping).isNotNull();
        assertThat(ping.name()).isEqualTo("ping");
        assertThat(ping.counts()).containsEntry("completed", 3L);
        assertThat(ping.versions()).hasSize(2);
        assertThat(ping.instances()).extracting(InstanceSummaryDescriptor::id)
            .containsExactly("pingid::3", "pingid::2", "pingid::1");
        assertThat(ping.instances().get(0).version()).isEqualTo(2);
        assertThat(ping.instances().get(0).status()).isEqualTo("completed");
    }

    @Test
    void workflowListsInstancesFilteredByStatus() {
        Instance waiting = TestWorkflows.waitingApproval(this.runner, "1");
        Instance cancelled = TestWorkflows.waitingApproval(this.runner, "2");
        this.runner.cancel("approval", cancelled.id());

        WorkflowDetailsDescriptor approval = this.endpoint.workflow("approval", "waiting", null);

        assertThat(approval).isNotNull();
        assertThat(approval.instances()).singleElement().satisfies((instance) -> {
            assertThat(instance.id()).isEqualTo(waiting.id());
            assertThat(instance.runId()).isEqualTo(waiting.runId());
            assertThat(instance.status()).isEqualTo("waiting");
            assertThat(instance.activeSteps()).containsExactly("await_approval");
            assertThat(instance.waitingSteps()).containsExactly("await_approval");
        });
    }

    @Test
    void workflowListsInstancesOfSeveralStatusesSeparatedByCommas() {
        TestWorkflows.waitingApproval(this.runner, "1");
        Instance cancelled = TestWorkflows.waitingApproval(this.runner, "2");
        this.runner.cancel("approval", cancelled.id());

        WorkflowDetailsDescriptor approval = this.endpoint.workflow("approval", "Cancelled, waiting", null);

        assertThat(approval).isNotNull();
        assertThat(approval.instances()).extracting(InstanceSummaryDescriptor::status)
            .containsExactly("cancelled", "waiting");
    }

    @Test
    void workflowListsAtMostLimitInstances() {
        TestWorkflows.completedPing(this.runner, "1");
        TestWorkflows.completedPing(this.runner, "2");
        TestWorkflows.completedPing(this.runner, "3");

        WorkflowDetailsDescriptor ping = this.endpoint.workflow("ping", null, 2);

        assertThat(ping).isNotNull();
        assertThat(ping.instances()).extracting(InstanceSummaryDescriptor::id)
            .containsExactly("pingid::3", "pingid::2");
    }

    @Test
    void workflowListsTwentyInstancesByDefault() {
        for (int i = 1; i <= WorkflowsEndpoint.DEFAULT_LIMIT + 1; i++) {
            TestWorkflows.completedPing(this.runner, Integer.toString(i));
        }

        WorkflowDetailsDescriptor ping = this.endpoint.workflow("ping", null, null);

        assertThat(ping).isNotNull();
        assertThat(ping.instances()).hasSize(20);
        assertThat(ping.counts()).containsEntry("completed", 21L);
    }

    @Test
    void workflowOfUnknownNameIsNull() {
        assertThat(this.endpoint.workflow("shipping", null, null)).isNull();
    }

    @Test
    void workflowWithUnknownStatusIsInvalidRequestNamingTheValidStatuses() {
        assertThatExceptionOfType(InvalidEndpointRequestException.class)
            .isThrownBy(() -> this.endpoint.workflow("approval", "waiting,stuck", null))
            .satisfies((ex) -> assertThat(ex.getReason()).contains("'stuck'")
                .contains("pending, running, waiting, completed, failed, cancelled"));
    }

    @Test
    void workflowWithLimitOutOfRangeIsInvalidRequest() {
        assertThatExceptionOfType(InvalidEndpointRequestException.class)
            .isThrownBy(() -> this.endpoint.workflow("approval", null, 0))
            .satisfies((ex) -> assertThat(ex.getReason()).isEqualTo("limit must be between 1 and 1000, got 0"));
        assertThatExceptionOfType(InvalidEndpointRequestException.class)
            .isThrownBy(() -> this.endpoint.workflow("approval", null, 1001))
            .satisfies((ex) -> assertThat(ex.getReason()).isEqualTo("limit must be between 1 and 1000, got 1001"));
    }

    @Test
    void instanceDescribesStatusStepsHistoryAndContext() {
        Instance waiting = TestWorkflows.waitingApproval(this.runner, "1");

        InstanceDescriptor instance = new WorkflowsEndpoint(this.runner, Show.ALWAYS, Set.of())
            .instance(SecurityContext.NONE, "approval", waiting.id());

        assertThat(instance).isNotNull();
        assertThat(instance.id()).isEqualTo("requestid::1");
        assertThat(instance.runId()).isEqualTo(waiting.runId());
        assertThat(instance.workflow()).isEqualTo("approval");
        assertThat(instance.version()).isEqualTo(1);
        assertThat(instance.status()).isEqualTo("waiting");
        assertThat(instance.activeSteps()).containsExactly("await_approval");
        assertThat(instance.completedSteps()).containsExactly("validate");
        assertThat(instance.skippedSteps()).isEmpty();
        assertThat(instance.waitingSteps()).containsOnlyKeys("await_approval");
        assertThat(instance.timers()).isEmpty();
        assertThat(instance.failures()).isEmpty();
        assertThat(instance.history()).singleElement().satisfies((line) -> {
            assertThat(line.step()).isEqualTo("validate");
            assertThat(line.event()).isEqualTo("valid");
            assertThat(line.contextUpdates()).containsExactly(entry("amount", 42));
        });
        assertThat(instance.context().initial()).containsExactly(entry("amount", 42));
        assertThat(instance.context().steps()).containsExactly(entry("validate", Map.of("amount", 42)));
        assertThat(instance.stepConfigs()).containsExactly(entry("await_approval", Map.of("approver", "alice")));
        assertThat(instance.runtimeMetadata()).containsExactly(entry("checked_by", "validator"));
        assertThat(instance.createdAt()).isEqualTo(waiting.createdAt());
        assertThat(instance.updatedAt()).isEqualTo(waiting.updatedAt());
    }

    @Test
    void instanceDescribesTimersOfWaitingSteps() {
        Instance waiting = TestWorkflows.waitingReminder(this.runner, "1");

        InstanceDescriptor instance = this.endpoint.instance(SecurityContext.NONE, "reminder", waiting.id());

        assertThat(instance).isNotNull();
        assertThat(instance.timers()).containsOnlyKeys("await_reply");
        assertThat(instance.timers().get("await_reply").event()).isEqualTo("timeout");
        assertThat(instance.timers().get("await_reply").dueAt()).isEqualTo(waiting.timers().get("await_reply").dueAt());
    }

    @Test
    void instanceDescribesFailures() {
        Instance failed = TestWorkflows.failedPing(this.runner, "1");

        InstanceDescriptor instance = this.endpoint.instance(SecurityContext.NONE, "ping", failed.id());

        assertThat(instance).isNotNull();
        assertThat(instance.status()).isEqualTo("failed");
        assertThat(instance.failures()).singleElement().satisfies((failure) -> {
            assertThat(failure.step()).isEqualTo("pong");
            assertThat(failure.attempt()).isEqualTo(1);
            assertThat(failure.kind()).isEqualTo("error");
            assertThat(failure.reason()).isEqualTo("told to fail");
            assertThat(failure.stackTrace()).isEmpty();
            assertThat(failure.timestamp()).isEqualTo(failed.failures().get(0).timestamp());
        });
    }

    @Test
    void instanceIsFoundByItsBusinessValueAlone() {
        TestWorkflows.waitingApproval(this.runner, "7");

        InstanceDescriptor instance = this.endpoint.instance(SecurityContext.NONE, "approval", "7");

        assertThat(instance).isNotNull();
        assertThat(instance.id()).isEqualTo("requestid::7");
    }

    @Test
    void instanceOfUnknownIdIsNull() {
        assertThat(this.endpoint.instance(SecurityContext.NONE, "approval", "requestid::404")).isNull();
    }

    @Test
    void instanceOfUnknownWorkflowIsNull() {
        assertThat(this.endpoint.instance(SecurityContext.NONE, "shipping", "orderid::1")).isNull();
    }

    @Test
    void showValuesNeverMasksValuesButKeepsKeys() {
        Instance waiting = TestWorkflows.waitingApproval(this.runner, "1");

        InstanceDescriptor instance = this.endpoint.instance(user("admin"), "approval", waiting.id());

        assertMasked(instance);
    }

    @Test
    void showValuesAlwaysShowsValuesToAnonymousCallers() {
        Instance waiting = TestWorkflows.waitingApproval(this.runner, "1");

        InstanceDescriptor instance = new WorkflowsEndpoint(this.runner, Show.ALWAYS, Set.of("admin"))
            .instance(SecurityContext.NONE, "approval", waiting.id());

        assertShown(instance);
    }

    @Test
    void showValuesWhenAuthorizedShowsValuesToUserInRole() {
        Instance waiting = TestWorkflows.waitingApproval(this.runner, "1");

        InstanceDescriptor instance = new WorkflowsEndpoint(this.runner, Show.WHEN_AUTHORIZED, Set.of("admin"))
            .instance(user("admin"), "approval", waiting.id());

        assertShown(instance);
    }

    @Test
    void showValuesWhenAuthorizedMasksValuesForUserWithoutRole() {
        Instance waiting = TestWorkflows.waitingApproval(this.runner, "1");

        InstanceDescriptor instance = new WorkflowsEndpoint(this.runner, Show.WHEN_AUTHORIZED, Set.of("admin"))
            .instance(user("viewer"), "approval", waiting.id());

        assertMasked(instance);
    }

    @Test
    void showValuesWhenAuthorizedMasksValuesForAnonymousCallers() {
        Instance waiting = TestWorkflows.waitingApproval(this.runner, "1");

        InstanceDescriptor instance = new WorkflowsEndpoint(this.runner, Show.WHEN_AUTHORIZED, Set.of())
            .instance(SecurityContext.NONE, "approval", waiting.id());

        assertMasked(instance);
    }

    @Test
    void showValuesWhenAuthorizedWithoutRolesShowsValuesToAnyAuthenticatedUser() {
        Instance waiting = TestWorkflows.waitingApproval(this.runner, "1");

        InstanceDescriptor instance = new WorkflowsEndpoint(this.runner, Show.WHEN_AUTHORIZED, Set.of())
            .instance(user(), "approval", waiting.id());

        assertShown(instance);
    }

    @Test
    void resumeWaitingInstanceAnswersTheResumedInstance() {
        Instance waiting = TestWorkflows.waitingApproval(this.runner, "1");

        WebEndpointResponse<OperationResponseBody> response = this.endpoint.resume(SecurityContext.NONE, "approval",
                waiting.id(), "approved", null);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getBody()).isInstanceOfSatisfying(ResumeDescriptor.class, (resume) -> {
            assertThat(resume.queued()).isFalse();
            assertThat(resume.event()).isEqualTo("approved");
            InstanceDescriptor instance = resume.instance();
            assertThat(instance.id()).isEqualTo(waiting.id());
            assertThat(instance.completedSteps()).contains("validate", "await_approval");
            assertThat(instance.history()).extracting(HistoryEntryDescriptor::event).contains("valid", "approved");
            assertThat(instance.history()).extracting(HistoryEntryDescriptor::kind).containsOnly("completed");
            assertThat(instance.context().initial()).containsExactly(entry("amount", MASK));
        });
        TestWorkflows.awaitStatus(this.runner, "approval", waiting.id(), Status.COMPLETED);
    }

    @Test
    void resumeBeforeTheStepWaitsQueuesTheEventAndSaysSo() {
        CountDownLatch gate = new CountDownLatch(1);
        WorkflowRegistry registry = WorkflowRegistry.of(TestWorkflows.gated(gate));
        try (LocalRunner gated = LocalRunner.builder(registry).threads(2).build()) {
            try {
                Instance started = gated.start(StartRequest.of("gated", "1"));
                WorkflowsEndpoint endpoint = new WorkflowsEndpoint(gated, Show.NEVER, Set.of());

                WebEndpointResponse<OperationResponseBody> response = endpoint.resume(SecurityContext.NONE, "gated",
                        "1", "go", null);

                assertThat(response.getStatus()).isEqualTo(200);
                assertThat(response.getBody()).isInstanceOfSatisfying(ResumeDescriptor.class, (resume) -> {
                    assertThat(resume.queued()).isTrue();
                    assertThat(resume.event()).isEqualTo("go");
                    assertThat(resume.instance().queuedEvents()).extracting(QueuedEventDescriptor::event)
                        .containsExactly("go");
                });
                InstanceDescriptor instance = endpoint.instance(SecurityContext.NONE, "gated", started.id());
                assertThat(instance).isNotNull();
                assertThat(instance.queuedEvents()).singleElement().satisfies((queued) -> {
                    assertThat(queued.event()).isEqualTo("go");
                    assertThat(queued.step()).isEmpty();
                    assertThat(queued.data()).isEmpty();
                    assertThat(queued.receivedAt()).isNotNull();
                });
            }
            finally {
                gate.countDown();
            }
            assertThat(TestWorkflows.awaitStatus(gated, "gated", "gateid::1", Status.COMPLETED).queuedEvents())
                .isEmpty();
        }
    }

    @Test
    void instanceShowsTheStackTraceOfAStepThatThrew() {
        Instance failed = TestWorkflows.explodedPing(this.runner, "1");

        InstanceDescriptor instance = this.endpoint.instance(SecurityContext.NONE, "ping", failed.id());

        assertThat(instance).isNotNull();
        assertThat(instance.failures()).singleElement().satisfies((failure) -> {
            assertThat(failure.kind()).isEqualTo("exception");
            assertThat(failure.reason()).contains("pong exploded");
            assertThat(failure.stackTrace()).startsWith("java.lang.IllegalStateException: pong exploded")
                .contains("at io.hephaestus.spring.boot.actuate.TestWorkflows");
        });
    }

    @Test
    void resumeNamedStepByBusinessValue() {
        TestWorkflows.waitingApproval(this.runner, "1");

        WebEndpointResponse<OperationResponseBody> response = this.endpoint.resume(SecurityContext.NONE, "approval",
                "1", "rejected", "await_approval");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(TestWorkflows.awaitStatus(this.runner, "approval", "requestid::1", Status.COMPLETED).history())
            .extracting((line) -> line.step() + ":" + line.event())
            .containsExactly("validate:valid", "await_approval:rejected", "done:done");
    }

    @Test
    void resumeUnknownInstanceIsNotFound() {
        WebEndpointResponse<OperationResponseBody> response = this.endpoint.resume(SecurityContext.NONE, "approval",
                "requestid::404", "approved", null);

        assertError(response, 404, "Not Found", "no instance of workflow 'approval' has id requestid::404");
    }

    @Test
    void resumeInstanceOfUnknownWorkflowIsNotFound() {
        WebEndpointResponse<OperationResponseBody> response = this.endpoint.resume(SecurityContext.NONE, "shipping",
                "orderid::1", "approved", null);

        assertError(response, 404, "Not Found", "unknown workflow 'shipping'");
    }

    @Test
    void resumeInstanceThatIsNotWaitingIsConflict() {
        Instance completed = TestWorkflows.completedPing(this.runner, "1");

        WebEndpointResponse<OperationResponseBody> response = this.endpoint.resume(SecurityContext.NONE, "ping",
                completed.id(), "ponged", null);

        assertError(response, 409, "Conflict",
                "it is completed; only pending, running or waiting instances can be resumed");
    }

    @Test
    void resumeWithEventNoWaitingStepAcceptsIsConflict() {
        Instance waiting = TestWorkflows.waitingApproval(this.runner, "1");

        WebEndpointResponse<OperationResponseBody> response = this.endpoint.resume(SecurityContext.NONE, "approval",
                waiting.id(), "escalated", null);

        assertError(response, 409, "Conflict", "escalated");
        assertThat(this.runner.get("approval", waiting.id())).hasValueSatisfying(
                (instance) -> assertThat(instance.status()).isEqualTo(Status.WAITING));
    }

    @Test
    void resumeWithBlankEventIsBadRequest() {
        Instance waiting = TestWorkflows.waitingApproval(this.runner, "1");

        WebEndpointResponse<OperationResponseBody> response = this.endpoint.resume(SecurityContext.NONE, "approval",
                waiting.id(), " ", null);

        assertError(response, 400, "Bad Request", "event must not be blank");
    }

    @Test
    void resumeWithoutEventIsBadRequest() {
        Instance waiting = TestWorkflows.waitingApproval(this.runner, "1");

        WebEndpointResponse<OperationResponseBody> response = this.endpoint.resume(SecurityContext.NONE, "approval",
                waiting.id(), null, null);

        assertError(response, 400, "Bad Request", "event is required");
    }

    @Test
    void resumeWithInvalidBusinessValueIsBadRequest() {
        WebEndpointResponse<OperationResponseBody> response = this.endpoint.resume(SecurityContext.NONE, "approval",
                "no way", "approved", null);

        assertError(response, 400, "Bad Request", "invalid business key value: \"no way\"");
    }

    @Test
    void instanceWithInvalidBusinessValueIsInvalidRequest() {
        assertThatExceptionOfType(InvalidEndpointRequestException.class)
            .isThrownBy(() -> this.endpoint.instance(SecurityContext.NONE, "approval", "requestid::no way"))
            .satisfies((ex) -> assertThat(ex.getReason()).contains("invalid business key value: \"no way\""));
    }

    @Test
    void cancelActiveInstanceAnswersTheCancelledInstance() {
        Instance waiting = TestWorkflows.waitingApproval(this.runner, "1");

        WebEndpointResponse<OperationResponseBody> response = this.endpoint.cancel(SecurityContext.NONE, "approval",
                waiting.id());

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getBody()).isInstanceOfSatisfying(InstanceDescriptor.class,
                (instance) -> assertThat(instance.status()).isEqualTo("cancelled"));
        assertThat(this.runner.get("approval", waiting.id())).hasValueSatisfying(
                (instance) -> assertThat(instance.status()).isEqualTo(Status.CANCELLED));
    }

    @Test
    void cancelCompletedInstanceIsConflict() {
        Instance completed = TestWorkflows.completedPing(this.runner, "1");

        WebEndpointResponse<OperationResponseBody> response = this.endpoint.cancel(SecurityContext.NONE, "ping",
                completed.id());

        assertError(response, 409, "Conflict", "cannot cancel instance pingid::1 of workflow ping: it is completed");
    }

    @Test
    void cancelUnknownInstanceIsNotFound() {
        WebEndpointResponse<OperationResponseBody> response = this.endpoint.cancel(SecurityContext.NONE, "ping",
                "404");

        assertError(response, 404, "Not Found", "no instance of workflow 'ping' has id pingid::404");
    }

    @Test
    void writesAreUnavailableOnceRunnerIsClosed() {
        Instance waiting = TestWorkflows.waitingApproval(this.runner, "1");
        this.runner.close();

        WebEndpointResponse<OperationResponseBody> response = this.endpoint.cancel(SecurityContext.NONE, "approval",
                waiting.id());

        assertError(response, 503, "Service Unavailable", "runner 'hephaestus' is closed");
    }

    private static void assertMasked(@Nullable InstanceDescriptor instance) {
        assertThat(instance).isNotNull();
        assertThat(instance.context().initial()).containsExactly(entry("amount", MASK));
        assertThat(instance.context().steps()).containsExactly(entry("validate", Map.of("amount", MASK)));
        assertThat(instance.history()).singleElement()
            .satisfies((line) -> assertThat(line.contextUpdates()).containsExactly(entry("amount", MASK)));
        assertThat(instance.stepConfigs()).containsExactly(entry("await_approval", Map.of("approver", MASK)));
        assertThat(instance.runtimeMetadata()).containsExactly(entry("checked_by", MASK));
        assertThat(instance.id()).isEqualTo("requestid::1");
        assertThat(instance.activeSteps()).containsExactly("await_approval");
    }

    private static void assertShown(@Nullable InstanceDescriptor instance) {
        assertThat(instance).isNotNull();
        assertThat(instance.context().initial()).containsExactly(entry("amount", 42));
        assertThat(instance.context().steps()).containsExactly(entry("validate", Map.of("amount", 42)));
        assertThat(instance.history()).singleElement()
            .satisfies((line) -> assertThat(line.contextUpdates()).containsExactly(entry("amount", 42)));
        assertThat(instance.stepConfigs()).containsExactly(entry("await_approval", Map.of("approver", "alice")));
        assertThat(instance.runtimeMetadata()).containsExactly(entry("checked_by", "validator"));
    }

    private static void assertError(WebEndpointResponse<OperationResponseBody> response, int status, String error,
            String message) {
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getBody()).isInstanceOfSatisfying(ErrorDescriptor.class, (body) -> {
            assertThat(body.status()).isEqualTo(status);
            assertThat(body.error()).isEqualTo(error);
            assertThat(body.message()).contains(message);
        });
    }

    private static SecurityContext user(String... roles) {
        Set<String> granted = Set.of(roles);
        return new SecurityContext() {

            @Override
            public Principal getPrincipal() {
                return () -> "alice";
            }

            @Override
            public boolean isUserInRole(String role) {
                return granted.contains(role);
            }
        };
    }
}
