package io.hephaestus.benchmarks.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.engine.Advance;
import io.hephaestus.core.engine.Engine;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.RetryPolicy;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.steps.WaitForEvent;
import io.hephaestus.core.telemetry.FailureKind;
import io.hephaestus.core.telemetry.ResumeSource;

/**
 * The snapshots of one order instance at each point where the local runner emits telemetry, made
 * by the pure engine as the runner makes them, so that events are built from the same kinds of
 * values (sets, maps, effect lists) as in the runtime.
 *
 * <p>The workflow is {@code validate_order -> await_payment (waits) -> [charge_card, reserve_stock]
 * -> ship_order -> Done}. Its steps are written like the README's: classes that do not override
 * {@code key()} or {@code name()}.
 */
final class OrderSnapshots {

    static final String BUSINESS_ID = "orderid::42";

    static final String PAYMENT_CONFIRMED = "payment_confirmed";

    private static final Instant CREATED_AT = Instant.parse("2026-01-01T00:00:00Z");

    final Step validate = new ValidateOrder();

    final WaitForEvent payment = WaitForEvent.of("await_payment", PAYMENT_CONFIRMED);

    final Step charge = new ChargeCard();

    /** The key of {@code charge_card}, as the runner computes it once per execution. */
    final String chargeKey = this.charge.key();

    final Step reserve = new ReserveStock();

    final Step ship = new ShipOrder();

    final Workflow workflow = Workflow.builder("order")
        .businessKey("orderid")
        .start(this.validate)
        .transition(this.validate, "valid", this.payment)
        .transition(this.payment, PAYMENT_CONFIRMED, this.charge, this.reserve)
        .transition(this.charge, "charged", this.ship)
        .transition(this.reserve, "reserved", this.ship)
        .transition(this.ship, "shipped", Done.step())
        .build();

    /** The result {@code charge_card} returns when it completes. */
    final StepResult charged = StepResult.completed("charged", Map.of("amount", 42));

    /** The result {@code charge_card} returns when it fails (it has a retry policy). */
    final StepResult declined = StepResult.failed("card declined");

    /** The result {@code await_payment} returns: wait for an external event. */
    final StepResult async = StepResult.async();

    /** Started: {@code validate_order} active. */
    final Instance started;

    /** {@code await_payment} waiting for {@code payment_confirmed}. */
    final Instance waiting;

    /** Resumed: the payment fanned out to {@code charge_card} and {@code reserve_stock}. */
    final Advance resumed;

    /** {@code charge_card} completed; {@code ship_order} waits for {@code reserve_stock}. */
    final Advance afterCharge;

    /** {@code charge_card} failed and will be retried. */
    final Advance afterDecline;

    /** {@code ship_order} ran; {@code Done} is active. */
    final Instance shipped;

    /** Completed. */
    final Instance completed;

    /** Failed at {@code charge_card}, while both branches were active. */
    final Instance failed;

    /** Cancelled while both branches were active. */
    final Instance cancelled;

    OrderSnapshots() {
        Instance pending = Instance.create("run-1", BUSINESS_ID, "order", 1, Map.of("items", 3, "customer", "c42"),
                Map.of(), CREATED_AT);
        this.started = Engine.advance(this.workflow, pending, at(1)).instance();
        Instance validated = apply(this.started, this.validate, StepResult.completed("valid", Map.of("items", 3)), 2);
        this.waiting = apply(validated, this.payment, this.async, 3);
        this.resumed = Engine.resume(this.workflow, this.waiting, this.payment.key(), PAYMENT_CONFIRMED,
                ResumeSource.EXTERNAL, at(60_000));
        this.afterCharge = Engine.apply(this.workflow, this.resumed.instance(), this.charge.key(), this.charged,
                at(60_010));
        this.afterDecline = Engine.apply(this.workflow, this.resumed.instance(), this.charge.key(), this.declined,
                at(60_010));
        Instance reserved = apply(this.afterCharge.instance(), this.reserve, StepResult.completed("reserved"), 60_020);
        this.shipped = apply(reserved, this.ship, StepResult.completed("shipped"), 60_030);
        this.completed = apply(this.shipped, Done.step(), StepResult.completed(Done.EVENT), 60_031);
        this.failed = Engine.fail(this.workflow, this.resumed.instance(), this.charge.key(), FailureKind.ERROR,
                "card declined", at(60_010)).instance();
        this.cancelled = Engine.cancel(this.resumed.instance(), at(60_010)).instance();
        check(this.waiting.status() == Status.WAITING, "await_payment should wait");
        check(this.resumed.instance().activeSteps().size() == 2, "the payment should fan out to two branches");
        check(this.afterDecline.instance().status() == Status.RUNNING, "charge_card should be retried");
        check(this.completed.status() == Status.COMPLETED, "the order should complete");
        check(this.failed.status() == Status.FAILED, "the order should fail");
        check(this.cancelled.status() == Status.CANCELLED, "the order should be cancelled");
    }

    private Instance apply(Instance instance, Step step, StepResult result, long millis) {
        return Engine.apply(this.workflow, instance, step.key(), result, at(millis)).instance();
    }

    private static Instant at(long millis) {
        return CREATED_AT.plusMillis(millis);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    static final class ValidateOrder implements Step {

        @Override
        public Set<String> events() {
            return Set.of("valid");
        }

        @Override
        public StepResult execute(StepInput input) {
            return StepResult.completed("valid", Map.of("items", 3));
        }
    }

    static final class ChargeCard implements Step {

        @Override
        public Set<String> events() {
            return Set.of("charged");
        }

        @Override
        public StepResult execute(StepInput input) {
            return StepResult.completed("charged", Map.of("amount", 42));
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RetryPolicy.exponential(3, Duration.ofSeconds(1), Duration.ofSeconds(30));
        }
    }

    static final class ReserveStock implements Step {

        @Override
        public Set<String> events() {
            return Set.of("reserved");
        }

        @Override
        public StepResult execute(StepInput input) {
            return StepResult.completed("reserved");
        }
    }

    static final class ShipOrder implements Step {

        @Override
        public Set<String> events() {
            return Set.of("shipped");
        }

        @Override
        public StepResult execute(StepInput input) {
            return StepResult.completed("shipped");
        }
    }
}
