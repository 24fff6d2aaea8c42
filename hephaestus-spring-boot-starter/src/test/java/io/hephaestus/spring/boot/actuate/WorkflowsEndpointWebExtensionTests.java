package io.hephaestus.spring.boot.actuate;

import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.Runner;
import io.hephaestus.core.runtime.StartRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code workflows} endpoint over HTTP (MockMvc): every 4xx has a body that says what was
 * wrong.
 */
@SpringBootTest(properties = { "management.endpoints.web.exposure.include=workflows",
        "management.endpoint.workflows.access=unrestricted", "hephaestus.telemetry.log.enabled=false" })
@AutoConfigureMockMvc
class WorkflowsEndpointWebExtensionTests {

    /** Holds the first step of every {@code gated} instance until a test releases it. */
    static final CountDownLatch GATE = new CountDownLatch(1);

    private static final String STATUSES = "pending, running, waiting, completed, failed, cancelled";

    @Autowired
    private MockMvcTester mvc;

    @Autowired
    private Runner runner;

    @Test
    void workflowAnswersItsNewestInstancesUpToLimit() {
        TestWorkflows.completedPing(this.runner, "limit1");
        TestWorkflows.completedPing(this.runner, "limit2");

        assertThat(this.mvc.get().uri("/actuator/workflows/ping?status=completed&limit=1")).hasStatusOk()
            .bodyJson()
            .extractingPath("$.instances.length()")
            .isEqualTo(1);
    }

    @Test
    void workflowWithUnknownStatusIsBadRequestNamingTheValidStatuses() {
        MvcTestResult result = this.mvc.get().uri("/actuator/workflows/approval?status=waiting,stuck").exchange();

        assertError(result, HttpStatus.BAD_REQUEST, "'stuck'");
        assertThat(result).bodyJson().extractingPath("$.message").asString().contains(STATUSES);
    }

    @Test
    void workflowWithLimitOutOfRangeIsBadRequest() {
        assertError(this.mvc.get().uri("/actuator/workflows/approval?limit=0").exchange(), HttpStatus.BAD_REQUEST,
                "limit must be between 1 and 1000, got 0");
        assertError(this.mvc.get().uri("/actuator/workflows/approval?limit=1001").exchange(), HttpStatus.BAD_REQUEST,
                "limit must be between 1 and 1000, got 1001");
    }

    @Test
    void workflowWithLimitThatIsNotANumberIsBadRequest() {
        assertError(this.mvc.get().uri("/actuator/workflows/approval?limit=ten").exchange(), HttpStatus.BAD_REQUEST,
                "limit must be a whole number between 1 and 1000, got 'ten'");
    }

    @Test
    void unknownWorkflowIsNotFoundNamingTheRegisteredWorkflows() {
        assertError(this.mvc.get().uri("/actuator/workflows/shipping").exchange(), HttpStatus.NOT_FOUND,
                "unknown workflow 'shipping'; registered workflows: [approval, ping, reminder, gated]");
    }

    @Test
    void instanceAnswersTheInstance() {
        Instance waiting = TestWorkflows.waitingApproval(this.runner, "shown");

        assertThat(this.mvc.get().uri("/actuator/workflows/approval/shown")).hasStatusOk()
            .bodyJson()
            .extractingPath("$.id")
            .isEqualTo(waiting.id());
    }

    @Test
    void unknownInstanceIsNotFoundNamingTheId() {
        assertError(this.mvc.get().uri("/actuator/workflows/approval/missing").exchange(), HttpStatus.NOT_FOUND,
                "no instance of workflow 'approval' has id requestid::missing");
        assertError(this.mvc.get().uri("/actuator/workflows/approval/requestid::missing").exchange(),
                HttpStatus.NOT_FOUND, "no instance of workflow 'approval' has id requestid::missing");
    }

    @Test
    void instanceOfUnknownWorkflowIsNotFound() {
        assertError(this.mvc.get().uri("/actuator/workflows/shipping/1").exchange(), HttpStatus.NOT_FOUND,
                "unknown workflow 'shipping'");
    }

    @Test
    void instanceWithInvalidBusinessValueIsBadRequest() {
        assertError(this.mvc.get().uri("/actuator/workflows/approval/bad!").exchange(), HttpStatus.BAD_REQUEST,
                "invalid business key value: \"bad!\"");
    }

    @Test
    void resumeAnswersTheResumedInstance() {
        Instance waiting = TestWorkflows.waitingApproval(this.runner, "resumed");

        MvcTestResult result = resume("approval", "resumed", "{\"event\": \"approved\"}");

        assertThat(result).hasStatusOk().bodyJson().extractingPath("$.queued").isEqualTo(false);
        assertThat(result).bodyJson().extractingPath("$.event").isEqualTo("approved");
        assertThat(result).bodyJson().extractingPath("$.instance.id").isEqualTo(waiting.id());
        TestWorkflows.awaitStatus(this.runner, "approval", waiting.id(), Status.COMPLETED);
    }

    @Test
    void resumeBeforeTheStepWaitsAnswersQueuedAndTheInstanceShowsTheEvent() {
        try {
            this.runner.start(StartRequest.of("gated", "early"));

            MvcTestResult result = resume("gated", "early", "{\"event\": \"go\"}");

            assertThat(result).hasStatusOk().bodyJson().extractingPath("$.queued").isEqualTo(true);
            assertThat(this.mvc.get().uri("/actuator/workflows/gated/early")).hasStatusOk()
                .bodyJson()
                .extractingPath("$.queuedEvents[0].event")
                .isEqualTo("go");
        }
        finally {
            GATE.countDown();
        }
        TestWorkflows.awaitStatus(this.runner, "gated", "gateid::early", Status.COMPLETED);
    }

    @Test
    void instanceShowsTheStackTraceOfAFailure() {
        TestWorkflows.explodedPing(this.runner, "exploded");

        assertThat(this.mvc.get().uri("/actuator/workflows/ping/exploded")).hasStatusOk()
            .bodyJson()
            .extractingPath("$.failures[0].stackTrace")
            .asString()
            .startsWith("java.lang.IllegalStateException: pong exploded");
    }

    @Test
    void resumeWithATimersOwnEventIsConflict() {
        TestWorkflows.waitingReminder(this.runner, "timer");

        assertError(resume("reminder", "timer", "{\"event\": \"timeout\"}"), HttpStatus.CONFLICT, "timeout");
    }

    @Test
    void resumeWithoutEventIsBadRequest() {
        TestWorkflows.waitingApproval(this.runner, "noevent");

        assertError(resume("approval", "noevent", "{}"), HttpStatus.BAD_REQUEST, "event is required");
        assertError(resume("approval", "noevent", "{\"step\": \"await_approval\"}"), HttpStatus.BAD_REQUEST,
                "event is required");
    }

    @Test
    void resumeWithBlankEventIsBadRequest() {
        TestWorkflows.waitingApproval(this.runner, "blankevent");

        assertError(resume("approval", "blankevent", "{\"event\": \" \"}"), HttpStatus.BAD_REQUEST,
                "event must not be blank");
    }

    @Test
    void resumeWithInvalidBusinessValueIsBadRequest() {
        assertError(resume("approval", "bad!", "{\"event\": \"approved\"}"), HttpStatus.BAD_REQUEST,
                "invalid business key value: \"bad!\"");
    }

    @Test
    void resumeOfUnknownInstanceIsNotFound() {
        assertError(resume("approval", "absent", "{\"event\": \"approved\"}"), HttpStatus.NOT_FOUND,
                "no instance of workflow 'approval' has id requestid::absent");
    }

    @Test
    void resumeOfUnknownWorkflowIsNotFound() {
        assertError(resume("shipping", "1", "{\"event\": \"shipped\"}"), HttpStatus.NOT_FOUND,
                "unknown workflow 'shipping'");
    }

    @Test
    void resumeWithEventNoWaitingStepAcceptsIsConflict() {
        TestWorkflows.waitingApproval(this.runner, "escalated");

        assertError(resume("approval", "escalated", "{\"event\": \"escalated\"}"), HttpStatus.CONFLICT,
                "escalated");
    }

    @Test
    void resumeOfFinishedInstanceIsConflict() {
        TestWorkflows.completedPing(this.runner, "finished");

        assertError(resume("ping", "finished", "{\"event\": \"ponged\"}"), HttpStatus.CONFLICT, "completed");
    }

    @Test
    void cancelAnswersTheCancelledInstance() {
        TestWorkflows.waitingApproval(this.runner, "cancelled");

        assertThat(this.mvc.delete().uri("/actuator/workflows/approval/cancelled")).hasStatusOk()
            .bodyJson()
            .extractingPath("$.status")
            .isEqualTo("cancelled");
    }

    @Test
    void cancelOfFinishedInstanceIsConflict() {
        TestWorkflows.completedPing(this.runner, "done");

        assertError(this.mvc.delete().uri("/actuator/workflows/ping/done").exchange(), HttpStatus.CONFLICT,
                "cannot cancel instance pingid::done of workflow ping: it is completed");
    }

    @Test
    void cancelOfUnknownInstanceIsNotFound() {
        assertError(this.mvc.delete().uri("/actuator/workflows/ping/gone").exchange(), HttpStatus.NOT_FOUND,
                "no instance of workflow 'ping' has id pingid::gone");
    }

    @Test
    void cancelWithInvalidBusinessValueIsBadRequest() {
        assertError(this.mvc.delete().uri("/actuator/workflows/ping/bad!").exchange(), HttpStatus.BAD_REQUEST,
                "invalid business key value: \"bad!\"");
    }

    private MvcTestResult resume(String workflow, String id, String body) {
        return this.mvc.post()
            .uri("/actuator/workflows/{workflow}/{id}", workflow, id)
            .contentType(MediaType.APPLICATION_JSON)
            .content(body)
            .exchange();
    }

    private static void assertError(MvcTestResult result, HttpStatus status, String message) {
        assertThat(result).hasStatus(status);
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(status.value());
        assertThat(result).bodyJson().extractingPath("$.error").isEqualTo(status.getReasonPhrase());
        assertThat(result).bodyJson().extractingPath("$.message").asString().contains(message);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Workflow approvalWorkflow() {
            return TestWorkflows.APPROVAL;
        }

        @Bean
        Workflow pingWorkflow() {
            return TestWorkflows.PING_V1;
        }

        @Bean
        Workflow reminderWorkflow() {
            return TestWorkflows.REMINDER;
        }

        @Bean
        Workflow gatedWorkflow() {
            return TestWorkflows.gated(GATE);
        }
    }
}
