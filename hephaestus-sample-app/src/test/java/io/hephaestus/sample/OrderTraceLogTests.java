package io.hephaestus.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the sample with its tracer bridge and checks that one order's telemetry log lines carry
 * the trace id of the request that started the order, through Spring Boot's standard logging
 * pattern, as the README shows.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class OrderTraceLogTests {

    /** Boot's correlation part of the pattern: {@code [traceId-spanId]}. */
    private static final Pattern CORRELATION = Pattern.compile("\\[([0-9a-f]{32})-([0-9a-f]{16})\\]");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    private int port;

    @Test
    void anOrdersTelemetryLogLinesCarryTheTraceIdOfTheRequestThatStartedIt(CapturedOutput output) throws Exception {
        // Given an order started over HTTP
        assertThat(post("/orders/7001", "{\"items\": 1, \"customer\": \"ada\"}")).isEqualTo(201);

        // When it parks on the payment confirmation after ValidateOrder and ReserveInventory
        await().atMost(Duration.ofSeconds(20)).until(() -> lines(output, "orderid::7001").stream()
            .anyMatch((line) -> line.contains("ChargePayment waiting")));

        // Then every line of the start, from the request thread and the step threads, is in one trace
        List<String> started = lines(output, "orderid::7001");
        assertThat(started).hasSizeGreaterThanOrEqualTo(5)
            .allSatisfy((line) -> assertThat(line).containsPattern(CORRELATION));
        assertThat(started.stream().map(OrderTraceLogTests::traceId).distinct()).as("one trace for the whole start")
            .hasSize(1);
        assertThat(started.stream().map(OrderTraceLogTests::spanId).distinct()).as("the request and a span per step")
            .hasSizeGreaterThanOrEqualTo(4);
        String startTrace = traceId(started.get(0));

        // When the payment provider's webhook confirms the payment
        assertThat(post("/orders/7001/events/payment_confirmed", "{\"confirmation\": \"pay-7001\"}"))
            .isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> lines(output, "orderid::7001").stream()
            .anyMatch((line) -> line.contains("Workflow completed")));

        // Then the steps the webhook resumed are in the webhook's trace, not the start's; and the steps
        // after the cooldown timer in a trace of their own (both linked to the start's trace)
        List<String> ship = lines(output, "orderid::7001").stream().filter((line) -> line.contains("Step ShipOrder"))
            .toList();
        List<String> notify = lines(output, "orderid::7001").stream()
            .filter((line) -> line.contains("Step NotifyCustomer"))
            .toList();
        assertThat(ship).hasSize(2).allSatisfy((line) -> assertThat(line).containsPattern(CORRELATION));
        assertThat(notify).hasSize(2).allSatisfy((line) -> assertThat(line).containsPattern(CORRELATION));
        String shipTrace = traceId(ship.get(0));
        assertThat(shipTrace).isNotEqualTo(startTrace);
        assertThat(traceId(notify.get(0))).isNotIn(startTrace, shipTrace);
    }

    private int post(String path, String body) throws Exception {
        return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** The telemetry log lines that name the instance. */
    private static List<String> lines(CapturedOutput output, String instanceId) {
        return output.getOut().lines()
            .filter((line) -> line.contains("i.h.telemetry") || line.contains("io.hephaestus.telemetry"))
            .filter((line) -> line.contains(instanceId))
            .toList();
    }

    private static String traceId(String line) {
        Matcher matcher = CORRELATION.matcher(line);
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    private static String spanId(String line) {
        Matcher matcher = CORRELATION.matcher(line);
        assertThat(matcher.find()).isTrue();
        return matcher.group(2);
    }
}
