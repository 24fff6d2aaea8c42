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
import io.hephaestus.core.telemetry.LogCapture;
import io.hephaestus.core.telemetry.LogTelemetryListener;
import io.hephaestus.core.telemetry.Telemetry;

import ch.qos.logback.classic.Level;

import static org.assertj.core.api.Assertions.assertThat;

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
    void readmeExampleRunsAnOrderToCompletion() throws Exception {
        LogCapture log = LogCapture.of(LogTelemetryListener.DEFAULT_LOGGER_NAME, Level.DEBUG);
        // README example: run begin
        Telemetry telemetry = Telemetry.create();
        LogTelemetryListener.create().attachTo(telemetry);
        try (LocalRunner runner = LocalRunner.builder(WorkflowRegistry.of(orderWorkflow()))
            .telemetry(telemetry)
            .build()) {
            Instance order = runner.start(StartRequest.of("order", "42").context(Map.of("items", 3)));
            // order.id() is "orderid::42". A payment sent before the order waits for it is queued.
            runner.resume("order", "42", "payment_confirmed");
            Instance done = runner.awaitFinished("order", "42", Duration.ofSeconds(5));
            // README example: run end
            assertThat(done.id()).isEqualTo(order.id());
            assertThat(done.status()).isEqualTo(Status.COMPLETED);
            assertThat(done.context().step("ship_order")).containsEntry("parcels", 3);
            assertThat(done.completedSteps()).containsExactly("validate_order", "await_payment", "ship_order", "done");
            assertThat(done.skippedSteps()).containsExactly("reject_order");
        }
        finally {
            log.close();
        }
        // The README shows these lines; only the durations vary (and whether the payment was queued).
        assertThat(log.messages()).map((line) -> line.replaceAll("\\d+ms", "<n>ms")).containsSubsequence(
                "[orderid::42] Workflow started", "[orderid::42] Step ValidateOrder started",
                "[orderid::42] Step ValidateOrder completed in <n>ms → valid",
                "[orderid::42] Transition: ValidateOrder → AwaitPayment",
                "[orderid::42] Step AwaitPayment waiting for async event",
                "[orderid::42] Step AwaitPayment resumed with payment_confirmed (waited <n>ms)",
                "[orderid::42] Transition: AwaitPayment → ShipOrder", "[orderid::42] Step ShipOrder started",
                "[orderid::42] Step ShipOrder completed in <n>ms → shipped",
                "[orderid::42] Workflow completed in <n>ms");
    }
}
