package io.hephaestus.spring.boot.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.hephaestus.core.definition.Target;
import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.Runner;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.steps.WaitForEvent;

import static org.awaitility.Awaitility.await;

/**
 * Two tiny workflows for actuator tests, and helpers to run them on a real {@link LocalRunner}.
 *
 * <ul>
 * <li>{@code approval} (business key {@code requestid}): {@code validate} stores the amount and
 * emits {@code valid} (or {@code invalid} without an amount, straight to {@code done});
 * {@code await_approval} waits for {@code approved} or {@code rejected}; {@code approved} routes
 * dynamically to {@code notify}, which ends in {@code done}.</li>
 * <li>{@code ping} (business key {@code pingid}), versions 1 and 2: {@code pong} completes at once,
 * fails when the initial context has {@code fail}, or throws when it has {@code explode}.</li>
 * <li>{@code reminder} (business key {@code reminderid}): {@code await_reply} waits for
 * {@code replied}, or for an hour until its timer resumes it with {@code timeout}.</li>
 * <li>{@code gated} (business key {@code gateid}, see {@link #gated(CountDownLatch)}): {@code hold}
 * runs until a latch is released, then {@code await_go} waits for {@code go}.</li>
 * </ul>
 */
final class TestWorkflows {

    static final Step VALIDATE = new FixedStep("validate", "Validate", Set.of("valid", "invalid")) {

        @Override
        public StepResult execute(StepInput input) {
            return input.context().initial("amount")
                .<StepResult>map((amount) -> StepResult.completed("valid", Map.of("amount", amount),
                        Map.of("checked_by", "validator")))
                .orElseGet(() -> StepResult.completed("invalid"));
        }
    };

    static final WaitForEvent AWAIT_APPROVAL = WaitForEvent.of("await_approval", "approved", "rejected");

    static final Step NOTIFY = new FixedStep("notify", "Notify", Set.of("notified"));

    static final Step PONG = new FixedStep("pong", "Pong", Set.of("ponged")) {

        @Override
        public StepResult execute(StepInput input) {
            if (input.context().initial("explode").isPresent()) {
                throw new IllegalStateException("pong exploded");
            }
            return input.context().initial("fail").isPresent() ? StepResult.failed("told to fail")
                    : super.execute(input);
        }
    };

    static final WaitForEvent AWAIT_REPLY = WaitForEvent.of("await_reply", "replied").withTimeout(Duration.ofHours(1));

    static final Workflow APPROVAL = Workflow.builder("approval")
        .businessKey("requestid")
        .start(VALIDATE)
        .transition(VALIDATE, "valid", Target.of(AWAIT_APPROVAL, Map.of("approver", "alice")))
        .transition(VALIDATE, "invalid", Done.step())
        .route(AWAIT_APPROVAL, "approved", (context) -> List.of(Target.of(NOTIFY)), NOTIFY)
        .transition(AWAIT_APPROVAL, "rejected", Done.step())
        .transition(NOTIFY, "notified", Done.step())
        .build();

    static final Workflow PING_V1 = Workflow.builder("ping").businessKey("pingid").start(PONG)
        .transition(PONG, "ponged", Done.step())
        .build();

    static final Workflow PING_V2 = Workflow.builder("ping").version(2).businessKey("pingid").start(PONG)
        .transition(PONG, "ponged", Done.step())
        .build();

    static final Workflow REMINDER = Workflow.builder("reminder").businessKey("reminderid").start(AWAIT_REPLY)
        .transition(AWAIT_REPLY, "replied", Done.step())
        .transition(AWAIT_REPLY, WaitForEvent.TIMEOUT, Done.step())
        .build();

    private TestWorkflows() {
    }

    static WorkflowRegistry registry() {
        return WorkflowRegistry.of(APPROVAL, PING_V1, PING_V2, REMINDER);
    }

    static LocalRunner runner() {
        return LocalRunner.builder(registry()).threads(2).build();
    }

    /** Start an approval with an amount and wait until it waits for approval. */
    static Instance waitingApproval(Runner runner, String value) {
        Instance started = runner.start(StartRequest.of("approval", value).context(Map.of("amount", 42)));
        return awaitStatus(runner, "approval", started.id(), Status.WAITING);
    }

    /** Start a ping and wait until it completes. */
    static Instance completedPing(Runner runner, String value) {
        Instance started = runner.start(StartRequest.of("ping", value));
        return awaitStatus(runner, "ping", started.id(), Status.COMPLETED);
    }

    /** Start a ping that fails and wait until it failed. */
    static Instance failedPing(Runner runner, String value) {
        Instance started = runner.start(StartRequest.of("ping", value).context(Map.of("fail", true)));
        return awaitStatus(runner, "ping", started.id(), Status.FAILED);
    }

    /** Start a ping whose step throws and wait until it failed. */
    static Instance explodedPing(Runner runner, String value) {
        Instance started = runner.start(StartRequest.of("ping", value).context(Map.of("explode", true)));
        return awaitStatus(runner, "ping", started.id(), Status.FAILED);
    }

    /**
     * Return the {@code gated} workflow: {@code hold} runs until {@code gate} is released (10 s at
     * most), so an instance is active but not yet waiting for {@code go}.
     */
    static Workflow gated(CountDownLatch gate) {
        Step hold = new FixedStep("hold", "Hold", Set.of("held")) {

            @Override
            public StepResult execute(StepInput input) {
                try {
                    gate.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return StepResult.completed("held");
            }
        };
        WaitForEvent awaitGo = WaitForEvent.of("await_go", "go");
        return Workflow.builder("gated").businessKey("gateid").start(hold)
            .transition(hold, "held", awaitGo)
            .transition(awaitGo, "go", Done.step())
            .build();
    }

    /** Start a reminder and wait until it waits for a reply (or its timer). */
    static Instance waitingReminder(Runner runner, String value) {
        Instance started = runner.start(StartRequest.of("reminder", value));
        return awaitStatus(runner, "reminder", started.id(), Status.WAITING);
    }

    static Instance awaitStatus(Runner runner, String workflow, String id, Status status) {
        return await().atMost(Duration.ofSeconds(10))
            .until(() -> runner.get(workflow, id).orElseThrow(), (instance) -> instance.status() == status);
    }

    /** A step that completes with its only event, or is given a body by a subclass. */
    private static class FixedStep implements Step {

        private final String key;

        private final String name;

        private final Set<String> events;

        FixedStep(String key, String name, Set<String> events) {
            this.key = key;
            this.name = name;
            this.events = events;
        }

        @Override
        public Set<String> events() {
            return this.events;
        }

        @Override
        public StepResult execute(StepInput input) {
            return StepResult.completed(this.events.iterator().next(), Map.of("step", this.key));
        }

        @Override
        public String key() {
            return this.key;
        }

        @Override
        public String name() {
            return this.name;
        }
    }
}
