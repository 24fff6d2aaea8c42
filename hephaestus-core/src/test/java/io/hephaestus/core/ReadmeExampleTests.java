package io.hephaestus.core;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.steps.WaitForEvent;
import io.hephaestus.core.telemetry.LogTelemetryListener;
import io.hephaestus.core.telemetry.Telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The plain-Java example of the README, verbatim, so that the README cannot drift from the API.
 */
class ReadmeExampleTests {

    // README example: begin
    static final class ValidateOrder implements Step {

        @Override
        public Set<String> events() {
            return Set.of("valid", "invalid");
        }

        @Override
        public StepResult execute(StepInput input) {
            Object items = input.context().initial().get("items");
            return (items instanceof Number n && n.intValue() > 0)
                    ? StepResult.completed("valid", Map.of("items", n.intValue()))
                    : StepResult.completed("invalid");
        }
    }

    static final class ShipOrder implements Step {

        @Override
        public Set<String> events() {
            return Set.of("shipped");
        }

        @Override
        public StepResult execute(StepInput input) {
            int items = (int) input.context().step("validate_order").get("items");
            return StepResult.completed("shipped", Map.of("parcels", items));
        }
    }

    static final class RejectOrder implements Step {

        @Override
        public Set<String> events() {
            return Set.of("rejected");
        }

        @Override
        public StepResult execute(StepInput input) {
            return StepResult.completed("rejected");
        }
    }

    static Workflow orderWorkflow() {
        Step validate = new ValidateOrder();
        Step payment = WaitForEvent.of("await_payment", "payment_confirmed");
        Step ship = new ShipOrder();
        Step reject = new RejectOrder();
        return Workflow.builder("order")
            .businessKey("orderid")
            .start(validate)
            .transition(validate, "valid", payment)
            .transition(validate, "invalid", reject)
            .transition(payment, "payment_confirmed", ship)
            .transition(ship, "shipped", Done.step())
            .transition(reject, "rejected", Done.step())
            .build();
    }
    // README example: end

    @Test
    void readmeExampleRunsAnOrderToCompletion() {
        // README example: run begin
        Telemetry telemetry = Telemetry.create();
        LogTelemetryListener.create().attachTo(telemetry);
        try (LocalRunner runner = LocalRunner.builder(WorkflowRegistry.of(orderWorkflow()))
            .telemetry(telemetry)
            .build()) {
            Instance order = runner.start(StartRequest.of("order", "42").context(Map.of("items", 3)));
            // order.id() is "orderid::42"; the instance now waits for the payment
            await().until(() -> runner.get("order", "orderid::42").orElseThrow().status() == Status.WAITING);
            runner.resume("order", "orderid::42", "payment_confirmed");
            await().atMost(Duration.ofSeconds(5))
                .until(() -> runner.get("order", "orderid::42").orElseThrow().status() == Status.COMPLETED);
            // README example: run end
            Instance done = runner.get("order", order.id()).orElseThrow();
            assertThat(done.context().step("ship_order")).containsEntry("parcels", 3);
            assertThat(done.completedSteps()).containsExactly("validate_order", "await_payment", "ship_order", "done");
            assertThat(done.skippedSteps()).containsExactly("reject_order");
        }
    }
}
