package io.hephaestus.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import io.hephaestus.core.runtime.Runner;
import io.hephaestus.core.telemetry.StepAsync;
import io.hephaestus.core.telemetry.TelemetryEvent;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.core.telemetry.TelemetryListener;
import io.hephaestus.sample.PrometheusText.Sample;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the sample on a random port, runs orders over HTTP through every path of the order
 * workflow and every error of the API, then scrapes {@code /actuator/prometheus} and checks that it
 * parses as Prometheus text and carries every documented Hephaestus series with the values these
 * paths must produce.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.ship-wait=100ms")
class OrderFlowEndToEndTests {

    private static final String WORKFLOW = "workflow";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final JsonMapper json = new JsonMapper();

    @LocalServerPort
    private int port;

    @Autowired
    private RecordedTelemetry telemetry;

    @Autowired
    private Runner runner;

    @Test
    void everyPathOverHttpThenPrometheusCarriesEverySeries() {
        happyPath();
        invalidOrderIsRejected();
        failureAtReserveInventoryFailsTheOrder();
        waitingOrderRejectsDuplicatesAndUnknownEventsThenIsCancelled();
        badRequestsAndUnknownOrders();
        actuatorHealthAndWorkflowsEndpointAnswer();
        prometheusScrapeParsesAndCarriesEverySeries();
        // Between them, the paths emitted every telemetry event type, cancel and runner init included.
        assertThat(this.telemetry.types()).containsExactlyInAnyOrder(TelemetryEventType.values());
    }

    private void happyPath() {
        // Given an order of two items
        Reply started = call("POST", "/orders/1001", "{\"items\": 2, \"customer\": \"ada\"}");
        assertThat(started.status()).isEqualTo(201);
        assertThat(started.body()).containsEntry("id", "orderid::1001")
            .containsEntry("orderId", "1001")
            .containsEntry("workflow", "order")
            .containsEntry("version", 1)
            .containsKeys("runId", "status", "activeSteps", "waitingSteps", "completedSteps", "context", "history",
                    "failures", "createdAt", "updatedAt");
        assertThat((String) started.body().get("status")).isIn("pending", "running", "waiting");

        // When the payment is charged (parked) and the inventory reserved
        Map<String, Object> waiting = awaitStatus("1001", "waiting");
        assertThat(waiting.get("waitingSteps")).isEqualTo(List.of("charge_payment"));
        assertThat(steps(waiting)).containsKeys("validate_order", "reserve_inventory");
        assertThat(stepContext(waiting, "reserve_inventory")).containsKey("reservation_id");

        // Then the provider's confirmation resumes it, and after the cooldown it completes
        Reply resumed = call("POST", "/orders/1001/events/payment_confirmed", "{\"confirmation\": \"pay-1001\"}");
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.body()).containsEntry("id", "orderid::1001").containsEntry("queued", false);
        assertThat(stepContext(resumed.body(), "charge_payment")).containsEntry("confirmation", "pay-1001");
        Map<String, Object> completed = awaitFinished("1001", "completed");
        assertThat(list(completed.get("completedSteps"))).containsExactlyInAnyOrder("validate_order",
                "reserve_inventory", "charge_payment", "ship_order", "cooldown", "notify_customer", "done");
        assertThat(completed.get("activeSteps")).isEqualTo(List.of());
        assertThat(stepContext(completed, "ship_order")).containsKey("tracking_number");
        assertThat((String) stepContext(completed, "notify_customer").get("message")).contains("Order 1001")
            .contains((String) stepContext(completed, "ship_order").get("tracking_number"));

        // A finished order accepts no more events and cannot be cancelled
        assertProblem(call("POST", "/orders/1001/events/payment_confirmed", null), 409, "completed");
        assertProblem(call("DELETE", "/orders/1001", null), 409, "completed");
    }

    private void invalidOrderIsRejected() {
        assertThat(call("POST", "/orders/1002", "{\"items\": 0}").status()).isEqualTo(201);
        Map<String, Object> completed = awaitFinished("1002", "completed");
        assertThat(list(completed.get("completedSteps"))).containsExactly("validate_order", "reject_order", "done");
        assertThat((String) stepContext(completed, "reject_order").get("reason")).contains("positive");
    }

    private void failureAtReserveInventoryFailsTheOrder() {
        assertThat(call("POST", "/orders/1003", "{\"items\": 1, \"fail\": \"reserve_inventory\"}").status())
            .isEqualTo(201);
        Map<String, Object> failed = awaitFinished("1003", "failed");
        List<Object> failures = list(failed.get("failures"));
        assertThat(failures).hasSize(1);
        assertThat(map(failures.get(0))).containsEntry("step", "reserve_inventory")
            .containsEntry("kind", "exception");
        assertThat((String) (map(failures.get(0))).get("reason")).contains("simulated failure");
        assertThat((String) (map(failures.get(0))).get("stackTrace")).contains("SimulatedFailureException");
        assertThat(failed.get("activeSteps")).isEqualTo(List.of());
    }

    private void waitingOrderRejectsDuplicatesAndUnknownEventsThenIsCancelled() {
        assertThat(call("POST", "/orders/1004", "{\"items\": 3}").status()).isEqualTo(201);
        awaitStatus("1004", "waiting");

        assertProblem(call("POST", "/orders/1004", "{\"items\": 3}"), 409, "already exists");
        assertProblem(call("POST", "/orders/1004/events/parcel_lost", null), 409, "parcel_lost");
        // The cooldown's timer event is not the caller's to send.
        assertProblem(call("POST", "/orders/1004/events/timeout", null), 409,
                "does not accept event 'timeout'; accepted now: [payment_confirmed]");

        Reply cancelled = call("DELETE", "/orders/1004", null);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body()).containsEntry("status", "cancelled").containsEntry("id", "orderid::1004");
        assertThat(call("GET", "/orders/1004", null).body()).containsEntry("status", "cancelled");
        assertProblem(call("POST", "/orders/1004/events/payment_confirmed", null), 409, "cancelled");
    }

    private void badRequestsAndUnknownOrders() {
        assertProblem(call("POST", "/orders/NOT::AN::ID", "{\"items\": 1}"), 400, "NOT::AN::ID");
        assertProblem(call("GET", "/orders/NOT::AN::ID", null), 400, "NOT::AN::ID");
        assertProblem(call("POST", "/orders/1005", "[1, 2]"), 400, "JSON object");
        assertProblem(call("POST", "/orders/1005", "{\"items\": "), 400, "not valid JSON");
        assertProblem(call("POST", "/orders/1005", "null"), 400, "JSON object, got null");
        assertProblem(call("POST", "/orders/1005;x=1", "{\"items\": 1}"), 400, "matrix parameters");
        assertProblem(call("POST", "/orders/1005", "{\"items\": 1, \"fail\": \"nowhere\"}"), 400, "nowhere");
        assertProblem(call("GET", "/orders/1005", null), 404, "orderid::1005");
        assertProblem(call("POST", "/orders/1005/events/payment_confirmed", null), 404, "orderid::1005");
        assertProblem(call("DELETE", "/orders/1005", null), 404, "orderid::1005");
    }

    private void actuatorHealthAndWorkflowsEndpointAnswer() {
        Reply health = call("GET", "/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).containsEntry("status", "UP");
        assertThat(map(map(health.body().get("components")).get("hephaestus")))
            .containsEntry("status", "UP");
        Reply readiness = call("GET", "/actuator/health/readiness", null);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.body()).containsEntry("status", "UP");

        Reply workflows = call("GET", "/actuator/workflows", null);
        assertThat(workflows.status()).isEqualTo(200);
        assertThat(workflows.raw()).contains("\"order\"").contains("validate_order").contains("orderid");
        // show-values=always: the sample shows context values instead of masking them.
        Reply instance = call("GET", "/actuator/workflows/order/1001", null);
        assertThat(instance.status()).isEqualTo(200);
        assertThat(instance.raw()).contains("orderid::1001").contains("\"customer\":\"ada\"").doesNotContain("******");

        Reply info = call("GET", "/actuator/info", null);
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.raw()).contains("Hephaestus sample app");
    }

    private void prometheusScrapeParsesAndCarriesEverySeries() {
        Reply scrape = call("GET", "/actuator/prometheus", null);
        assertThat(scrape.status()).isEqualTo(200);
        PrometheusText metrics = PrometheusText.parse(scrape.raw());

        // Four orders started (1001 to 1004); the duplicate and the bad requests started nothing.
        assertThat(metrics.value("hephaestus_workflow_start_total", WORKFLOW, "order")).isEqualTo(4);
        // 1001 and the rejected 1002 completed.
        assertThat(metrics.value("hephaestus_workflow_stop_total", WORKFLOW, "order")).isEqualTo(2);
        assertThat(metrics.value("hephaestus_workflow_exception_total", WORKFLOW, "order", "failed_step",
                "reserve_inventory")).isEqualTo(1);
        assertThat(metrics.find("hephaestus_workflow_exception_total")).hasSize(1);

        assertHistogram(metrics, "hephaestus_workflow_stop_duration_seconds", 2, WORKFLOW, "order");
        // 1001 waited for the 100 ms cooldown.
        assertThat(metrics.value("hephaestus_workflow_stop_duration_seconds_sum", WORKFLOW, "order"))
            .isGreaterThanOrEqualTo(0.1);

        // Steps that completed with an event: validate_order in every order, reserve_inventory in
        // 1001 and 1004, the rest once; done for the two completed orders.
        Map<String, Integer> stepStops = Map.of("validate_order", 4, "reserve_inventory", 2, "ship_order", 1,
                "notify_customer", 1, "reject_order", 1, "done", 2);
        stepStops.forEach((step, count) -> assertHistogram(metrics, "hephaestus_step_stop_duration_seconds", count,
                WORKFLOW, "order", "step", step));

        assertThat(metrics.value("hephaestus_step_exception_total", WORKFLOW, "order", "step", "reserve_inventory",
                "kind", "exception")).isEqualTo(1);
        assertThat(metrics.find("hephaestus_step_exception_total")).hasSize(1);

        // charge_payment parked in 1001 and 1004; in 1003 it parks only if it ran before
        // reserve_inventory failed the order, which the two branches race for.
        int chargeParkedIn1003 = this.telemetry.parked("orderid::1003", "charge_payment") ? 1 : 0;
        assertThat(metrics.value("hephaestus_step_async_total", WORKFLOW, "order", "step", "charge_payment"))
            .isEqualTo(2 + chargeParkedIn1003);
        assertThat(metrics.value("hephaestus_step_async_total", WORKFLOW, "order", "step", "cooldown")).isEqualTo(1);

        assertHistogram(metrics, "hephaestus_step_resume_wait_duration_seconds", 1, WORKFLOW, "order", "step",
                "charge_payment", "source", "external");
        assertHistogram(metrics, "hephaestus_step_resume_wait_duration_seconds", 1, WORKFLOW, "order", "step", "cooldown",
                "source", "timeout");
        // The cooldown waited at least its 100 ms.
        assertThat(metrics.value("hephaestus_step_resume_wait_duration_seconds_bucket", WORKFLOW, "order", "step",
                "cooldown", "source", "timeout", "le", "0.05")).isZero();
        assertThat(metrics.value("hephaestus_step_resume_wait_duration_seconds_sum", WORKFLOW, "order", "step",
                "cooldown", "source", "timeout")).isGreaterThanOrEqualTo(0.1);

        // Every order has ended, so the latest advance left no step active.
        assertThat(metrics.value("hephaestus_engine_advance_active_steps_count", WORKFLOW, "order")).isZero();

        // No Hephaestus series carries an instance id.
        assertThat(metrics.samples()).filteredOn((sample) -> sample.name().startsWith("hephaestus_"))
            .allSatisfy((sample) -> assertThat(sample.labels().values()).noneMatch((v) -> v.contains("::")));
    }

    /**
     * Assert that a timer's histogram series parse consistently: cumulative buckets with the
     * documented service-level boundaries, {@code +Inf} equal to {@code _count}, which equals
     * {@code count}, and a non-negative {@code _sum}.
     */
    private static void assertHistogram(PrometheusText metrics, String name, int count, String... labels) {
        assertThat(metrics.type(name)).as("# TYPE of %s", name).contains("histogram");
        assertThat(metrics.value(name + "_count", labels)).as("%s_count %s", name, List.of(labels)).isEqualTo(count);
        assertThat(metrics.value(name + "_sum", labels)).as("%s_sum %s", name, List.of(labels)).isNotNegative();
        List<Sample> buckets = metrics.find(name + "_bucket", labels);
        assertThat(buckets).extracting((bucket) -> bucket.labels().get("le"))
            .containsExactly("0.005", "0.01", "0.05", "0.1", "0.25", "0.5", "1.0", "5.0", "30.0", "60.0", "300.0",
                    "+Inf");
        double previous = 0;
        for (Sample bucket : buckets) {
            assertThat(bucket.value()).as("cumulative bucket %s", bucket).isGreaterThanOrEqualTo(previous);
            previous = bucket.value();
        }
        assertThat(previous).as("%s +Inf bucket", name).isEqualTo(count);
    }

    /**
     * Wait, without polling, until the order has finished, then return how the API shows it.
     */
    private Map<String, Object> awaitFinished(String orderId, String status) {
        try {
            this.runner.awaitFinished("order", orderId, Duration.ofSeconds(10));
        }
        catch (TimeoutException ex) {
            throw new AssertionError(ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
        Map<String, Object> order = call("GET", "/orders/" + orderId, null).body();
        assertThat(order).containsEntry("status", status);
        return order;
    }

    /**
     * Poll until the order has a status that is not final (the runner offers to wait only for the
     * end of a run).
     */
    private Map<String, Object> awaitStatus(String orderId, String status) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
            .until(() -> call("GET", "/orders/" + orderId, null).body(), (body) -> status.equals(body.get("status")));
    }

    private static Map<String, Object> steps(Map<String, Object> order) {
        return map(map(order.get("context")).get("steps"));
    }

    private static Map<String, Object> stepContext(Map<String, Object> order, String step) {
        return map(steps(order).get(step));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    private static void assertProblem(Reply reply, int status, String detail) {
        assertThat(reply.status()).as("status of %s", reply.raw()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.body()).containsEntry("status", status);
        assertThat((String) reply.body().get("detail")).contains(detail);
    }

    private Reply call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
            .timeout(Duration.ofSeconds(10))
            .header("Accept", path.equals("/actuator/prometheus") ? "text/plain" : "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            return new Reply(response.statusCode(), contentType, response.body(), this.json);
        }
        catch (IOException ex) {
            throw new IllegalStateException(method + " " + path + " failed", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " was interrupted", ex);
        }
    }

    /**
     * One HTTP response: its status, content type, raw body and, for JSON, the body as a map.
     */
    private record Reply(int status, String contentType, String raw, Map<String, Object> body) {

        @SuppressWarnings("unchecked")
        Reply(int status, String contentType, String raw, JsonMapper json) {
            this(status, contentType, raw, (contentType.contains("json") && raw.startsWith("{"))
                    ? json.readValue(raw, Map.class) : Map.of());
        }
    }

    /**
     * Records, straight from core telemetry, which event types occurred and which steps parked in
     * which instance, so the test knows the outcome of the one race the paths contain.
     */
    static final class RecordedTelemetry implements TelemetryListener {

        private final Set<TelemetryEventType> types = ConcurrentHashMap.newKeySet();

        private final Set<String> parked = ConcurrentHashMap.newKeySet();

        @Override
        public void onEvent(TelemetryEvent event) {
            this.types.add(event.type());
            if (event instanceof StepAsync async) {
                this.parked.add(async.scope().instanceId() + "/" + async.stepKey());
            }
        }

        Set<TelemetryEventType> types() {
            return Set.copyOf(this.types);
        }

        boolean parked(String instanceId, String stepKey) {
            return this.parked.contains(instanceId + "/" + stepKey);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class RecordedTelemetryConfiguration {

        @Bean
        RecordedTelemetry recordedTelemetry() {
            return new RecordedTelemetry();
        }
    }
}
