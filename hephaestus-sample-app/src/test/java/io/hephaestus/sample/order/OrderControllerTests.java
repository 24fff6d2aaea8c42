package io.hephaestus.sample.order;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.Runner;

import tools.jackson.databind.json.JsonMapper;

import static io.hephaestus.sample.web.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of the order API's request checks and response shape with MockMvc.
 */
@SpringBootTest
@AutoConfigureMockMvc
class OrderControllerTests {

    private static final List<String> FAILABLE = List.of("validate_order", "charge_payment", "reserve_inventory",
            "reject_order", "ship_order", "notify_customer");

    /** The steps that run only once the payment is confirmed. */
    private static final Set<String> AFTER_PAYMENT = Set.of("ship_order", "notify_customer");

    @Autowired
    private MockMvcTester mvc;

    @Autowired
    private Runner runner;

    private final JsonMapper json = new JsonMapper();

    @Test
    void startWithAJsonNullBodyIsABadRequestAndStartsNothing() {
        assertProblem(start("c1", "null"), 400, "must be a JSON object, got null");
        assertThat(this.runner.get("order", "orderid::c1")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "[1, 2]", "\"items\"", "2", "true" })
    void startWithABodyThatIsNotAnObjectIsABadRequestNamingWhatItGot(String body) {
        assertProblem(start("c2", body), 400, "the request body (the order's initial context) must be a JSON object, got");
        assertThat(this.runner.get("order", "orderid::c2")).isEmpty();
    }

    @Test
    void startWithoutABodyIsABadRequest() {
        assertProblem(this.mvc.post().uri("/orders/c3").exchange(), 400, "the request body is missing");
        assertThat(this.runner.get("order", "orderid::c3")).isEmpty();
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
        assertThat(this.runner.get("order", "orderid::c5")).isEmpty();
    }

    @Test
    void unknownFailStepIsABadRequestListingTheValidOnes() {
        MvcTestResult result = start("c6", "{\"items\": 1, \"fail\": \"cooldown\"}");

        assertProblem(result, 400, "'fail' must name a step of the order workflow that can fail, one of "
                + FAILABLE + "; got 'cooldown'");
        assertThat(this.runner.get("order", "orderid::c6")).isEmpty();
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
    void everyFailableStepOfAValidOrderFailsWhenNamed(String step) {
        String orderId = "f" + step.replace("_", "");
        assertThat(start(orderId, "{\"items\": 1, \"fail\": \"" + step + "\"}")).hasStatus(201);
        if (AFTER_PAYMENT.contains(step)) {
            awaitStatus(orderId, Status.WAITING);
            assertThat(this.mvc.post().uri("/orders/" + orderId + "/events/payment_confirmed")).hasStatus(202);
        }

        Instance failed = awaitStatus(orderId, Status.FAILED);

        assertThat(failed.failures()).last().satisfies((failure) -> assertThat(failure.step()).isEqualTo(step));
    }

    @Test
    void rejectOrderFailsWhenNamedOnAnInvalidOrder() {
        assertThat(start("frejectorder", "{\"items\": 0, \"fail\": \"reject_order\"}")).hasStatus(201);

        Instance failed = awaitStatus("frejectorder", Status.FAILED);

        assertThat(failed.failures()).last().satisfies((failure) -> assertThat(failure.step()).isEqualTo("reject_order"));
    }

    @Test
    void historyAndFailureEntriesUseTheCoreNames() {
        assertThat(start("c8", "{\"items\": 1, \"fail\": \"reserve_inventory\"}")).hasStatus(201);
        awaitStatus("c8", Status.FAILED);

        MvcTestResult result = this.mvc.get().uri("/orders/c8").exchange();

        assertThat(result).hasStatus(200);
        Map<String, Object> order = map(this.json.readValue(result.getResponse().getContentAsByteArray(), Map.class));
        Map<String, Object> history = map(((List<?>) order.get("history")).get(0));
        assertThat(history.keySet()).containsExactly("step", "event", "timestamp", "contextUpdates");
        assertThat(history.get("step")).isEqualTo("validate_order");
        assertThat(history.get("contextUpdates")).isEqualTo(Map.of("items", 1));
        Map<String, Object> failure = map(((List<?>) order.get("failures")).get(0));
        assertThat(failure.keySet()).contains("step", "attempt", "kind", "reason", "timestamp")
            .doesNotContain("at");
        assertThat(map(order.get("context")).keySet()).containsExactly("initial", "steps");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private MvcTestResult start(String orderId, String body) {
        return this.mvc.post()
            .uri("/orders/" + orderId)
            .contentType(MediaType.APPLICATION_JSON)
            .accept(MediaType.APPLICATION_JSON)
            .content(body)
            .exchange();
    }

    private Instance awaitStatus(String orderId, Status status) {
        return await().atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> this.runner.get("order", "orderid::" + orderId).orElseThrow(),
                    (instance) -> instance.status() == status);
    }
}
