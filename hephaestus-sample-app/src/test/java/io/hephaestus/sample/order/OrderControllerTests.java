package io.hephaestus.sample.order;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.Runner;
import io.hephaestus.core.telemetry.StepStart;
import io.hephaestus.core.telemetry.TelemetryEvent;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.core.telemetry.TelemetryListener;

import tools.jackson.databind.json.JsonMapper;

import static io.hephaestus.sample.web.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of the order API's request checks, answers and response shape with MockMvc. The body limit
 * is raised to 3MB so that a body can pass it and still be larger than the runner accepts.
 */
@SpringBootTest(properties = { "sample.max-body-size=3MB", "sample.ship-wait=50ms" })
@AutoConfigureMockMvc
class OrderControllerTests {

    private static final List<String> FAILABLE = List.of("validate_order", "charge_payment", "reserve_inventory",
            "reject_order", "ship_order", "notify_customer");

    /** The steps that run only once the payment is confirmed. */
    private static final Set<String> AFTER_PAYMENT = Set.of("ship_order", "notify_customer");

    private static final Duration FINISH = Duration.ofSeconds(10);

    @Autowired
    private MockMvcTester mvc;

    @Autowired
    private Runner runner;

    @Autowired
    private HeldValidation held;

    private final JsonMapper json = new JsonMapper();

    @Test
    void startWithAJsonNullBodyIsABadRequestAndStartsNothing() {
        assertProblem(start("c1", "null"), 400, "must be a JSON object, got null");
        assertThat(this.runner.get("order", "c1")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "[1, 2]", "\"items\"", "2", "true" })
    void startWithABodyThatIsNotAnObjectIsABadRequestNamingWhatItGot(String body) {
        assertProblem(start("c2", body), 400, "the request body (the order's initial context) must be a JSON object, got");
        assertThat(this.runner.get("order", "c2")).isEmpty();
    }

    @Test
    void startWithoutABodyIsABadRequest() {
        assertProblem(this.mvc.post().uri("/orders/c3").exchange(), 400, "the request body is missing");
        assertThat(this.runner.get("order", "c3")).isEmpty();
    }

    @Test
    void resumeWithAJsonNullBodyIsABadRequest() {
        assertProblem(this.mvc.post()
            .uri("/orders/c4/events/payment_confirmed")
            .contentType(MediaType.APPLICATION_JSON)
            .content("null")
            .exchange(), 400, "the request body (the event's data) must be a JSON object, got null");
    }

    @Test
    void pathWithMatrixParametersIsABadRequestNotAnOrder() {
        assertProblem(start("c5;b=c", "{\"items\": 1}"), 400, "matrix parameters");
        assertThat(this.runner.get("order", "c5")).isEmpty();
    }

    @Test
    void ordinaryOrderIdsAreAcceptedAndOverlongOnesAreABadRequest() {
        assertThat(start("ORD-2024-001", "{\"items\": 1}")).hasStatus(201)
            .bodyJson()
            .extractingPath("$.id")
            .isEqualTo("orderid::ORD-2024-001");

        assertProblem(start("x".repeat(129), "{\"items\": 1}"), 400, "at most 128");
    }

    @Test
    void unknownFailStepIsABadRequestListingTheValidOnes() {
        MvcTestResult result = start("c6", "{\"items\": 1, \"fail\": \"cooldown\"}");

        assertProblem(result, 400, "'fail' must name a step of the order workflow that can fail, one of "
                + FAILABLE + "; got 'cooldown'");
        assertThat(this.runner.get("order", "c6")).isEmpty();
    }

    @Test
    void failThatIsNotAStringIsABadRequest() {
        assertProblem(start("c7", "{\"items\": 1, \"fail\": 3}"), 400, "got 3");
    }

    @Test
    void failableStepsAreTheOrderStepsOfTheWorkflow() {
        assertThat(OrderStep.keys(this.runner.registry().get("order"))).containsExactlyElementsOf(FAILABLE);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "validate_order", "charge_payment", "reserve_inventory", "ship_order", "notify_customer" })
    void everyFailableStepOfAValidOrderFailsWhenNamed(String step) throws Exception {
        String orderId = "f-" + step;
        assertThat(start(orderId, "{\"items\": 1, \"fail\": \"" + step + "\"}")).hasStatus(201);
        if (AFTER_PAYMENT.contains(step)) {
            // Delivered if the order already waits for it, else queued until it does.
            assertThat(this.mvc.post().uri("/orders/" + orderId + "/events/payment_confirmed").exchange().getResponse()
                .getStatus()).isIn(200, 202);
        }

        Instance failed = this.runner.awaitFinished("order", orderId, FINISH);

        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.failures()).last().satisfies((failure) -> assertThat(failure.step()).isEqualTo(step));
    }

    @Test
    void rejectOrderFailsWhenNamedOnAnInvalidOrder() throws Exception {
        assertThat(start("f-reject_order", "{\"items\": 0, \"fail\": \"reject_order\"}")).hasStatus(201);

        Instance failed = this.runner.awaitFinished("order", "f-reject_order", FINISH);

        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.failures()).last()
            .satisfies((failure) -> assertThat(failure.step()).isEqualTo("reject_order"));
    }

    @Test
    void historyAndFailureEntriesUseTheCoreNamesAndAFailureShowsItsStackTrace() throws Exception {
        assertThat(start("c8", "{\"items\": 1, \"fail\": \"reserve_inventory\"}")).hasStatus(201);
        this.runner.awaitFinished("order", "c8", FINISH);

        Map<String, Object> order = get("c8");

        Map<String, Object> history = map(list(order.get("history")).get(0));
        assertThat(history.keySet()).containsExactly("step", "event", "kind", "timestamp", "contextUpdates");
        assertThat(history).containsEntry("step", "validate_order")
            .containsEntry("kind", "completed")
            .containsEntry("contextUpdates", Map.of("items", 1));
        Map<String, Object> failure = map(list(order.get("failures")).get(0));
        assertThat(failure.keySet()).containsExactly("step", "attempt", "kind", "reason", "stackTrace", "timestamp");
        assertThat((String) failure.get("stackTrace")).contains(SimulatedFailureException.class.getName())
            .contains("at io.hephaestus.sample.order.OrderStep.execute");
        assertThat(map(order.get("context")).keySet()).containsExactly("initial", "steps");
    }

    @Test
    void paymentSentBeforeTheOrderWaitsIsQueuedAndTheOrderCompletes() throws Exception {
        // Given an order whose validation is held, so that charge_payment has not run yet
        this.held.hold("early");
        assertThat(start("early", "{\"items\": 2}")).hasStatus(201);
        assertThat(this.held.started.await(10, TimeUnit.SECONDS)).isTrue();

        // When the payment provider confirms at once
        MvcTestResult confirmed = this.mvc.post()
            .uri("/orders/early/events/payment_confirmed")
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"confirmation\": \"pay-early\"}")
            .exchange();

        // Then the event is queued with the order, and shown by GET
        assertThat(confirmed).hasStatus(202).bodyJson().extractingPath("$.queued").isEqualTo(true);
        assertThat(confirmed).bodyJson().extractingPath("$.id").isEqualTo("orderid::early");
        Map<String, Object> queued = map(list(get("early").get("queuedEvents")).get(0));
        assertThat(queued.keySet()).containsExactly("event", "step", "data", "receivedAt");
        assertThat(queued).containsEntry("event", "payment_confirmed")
            .containsEntry("data", Map.of("confirmation", "pay-early"));

        // And once charge_payment waits, the queued event resumes it and the order completes
        this.held.release();
        Instance completed = this.runner.awaitFinished("order", "early", FINISH);
        assertThat(completed.status()).isEqualTo(Status.COMPLETED);
        assertThat(completed.context().step("charge_payment")).containsEntry("confirmation", "pay-early");
        assertThat(completed.queuedEvents()).isEmpty();
        assertThat(list(get("early").get("queuedEvents"))).isEmpty();
    }

    @Test
    void paymentSentToAWaitingOrderIsDeliveredWith200() throws Exception {
        assertThat(start("waiting", "{\"items\": 2}")).hasStatus(201);
        await()
            .atMost(FINISH)
            .until(() -> this.runner.get("order", "waiting").orElseThrow().status() == Status.WAITING);

        MvcTestResult delivered = this.mvc.post().uri("/orders/waiting/events/payment_confirmed").exchange();

        assertThat(delivered).hasStatus(200).bodyJson().extractingPath("$.queued").isEqualTo(false);
        assertThat(this.runner.awaitFinished("order", "waiting", FINISH).status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void timerEventOfTheCooldownIsNotTheCallersToSend() throws Exception {
        assertThat(start("timer", "{\"items\": 2}")).hasStatus(201);

        MvcTestResult rejected = this.mvc.post().uri("/orders/timer/events/timeout").exchange();

        assertProblem(rejected, 409, "does not accept event 'timeout'");
        assertThat(rejected).bodyJson().extractingPath("$.detail").asString().contains("payment_confirmed");
        assertThat(this.runner.get("order", "timer").orElseThrow().queuedEvents()).isEmpty();
        this.runner.cancel("order", "timer");
    }

    @Test
    void contextLargerThanTheRunnerAcceptsIsTooLarge() {
        String padding = "x".repeat(2 * 1024 * 1024);

        assertProblem(start("huge", "{\"items\": 1, \"padding\": \"" + padding + "\"}"), 413, "initial context");
        assertThat(this.runner.get("order", "huge")).isEmpty();
    }

    @Test
    void eventDataLargerThanTheRunnerAcceptsIsTooLarge() {
        assertThat(start("hugeevent", "{\"items\": 1}")).hasStatus(201);
        String padding = "x".repeat(2 * 1024 * 1024);

        assertProblem(this.mvc.post()
            .uri("/orders/hugeevent/events/payment_confirmed")
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"padding\": \"" + padding + "\"}")
            .exchange(), 413, "payment_confirmed");
        this.runner.cancel("order", "hugeevent");
    }

    private MvcTestResult start(String orderId, String body) {
        return this.mvc.post()
            .uri("/orders/" + orderId)
            .contentType(MediaType.APPLICATION_JSON)
            .accept(MediaType.APPLICATION_JSON)
            .content(body)
            .exchange();
    }

    private Map<String, Object> get(String orderId) {
        MvcTestResult result = this.mvc.get().uri("/orders/" + orderId).exchange();
        assertThat(result).hasStatus(200);
        return map(this.json.readValue(result.getResponse().getContentAsByteArray(), Map.class));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static List<?> list(Object value) {
        return (List<?>) value;
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class HeldValidationConfiguration {

        @Bean
        HeldValidation heldValidation() {
            return new HeldValidation();
        }
    }

    /**
     * Holds the {@code validate_order} step of one order on the engine thread (listeners run there,
     * before the step executes) until the test releases it, so an event can be sent before the
     * order waits for it. Bounded: it never holds longer than 10 seconds.
     */
    static final class HeldValidation implements TelemetryListener {

        private volatile String orderId = "";

        final CountDownLatch started = new CountDownLatch(1);

        private final CountDownLatch released = new CountDownLatch(1);

        void hold(String orderId) {
            this.orderId = "orderid::" + orderId;
        }

        void release() {
            this.released.countDown();
        }

        @Override
        public void onEvent(TelemetryEvent event) {
            if (event instanceof StepStart start && start.stepKey().equals("validate_order")
                    && start.scope().instanceId().equals(this.orderId)) {
                this.started.countDown();
                try {
                    this.released.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public Set<TelemetryEventType> eventTypes() {
            return Set.of(TelemetryEventType.STEP_START);
        }
    }
}
