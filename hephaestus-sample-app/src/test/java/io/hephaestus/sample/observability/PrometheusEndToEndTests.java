package io.hephaestus.sample.observability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.runtime.Runner;
import io.hephaestus.sample.observability.ObservabilityFiles.AlertRule;
import io.hephaestus.sample.observability.ObservabilityFiles.PanelQuery;
import io.hephaestus.sample.observability.PrometheusServer.QueryResult;
import io.hephaestus.sample.observability.PrometheusServer.Sample;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Proves the dashboard and the alert rules of {@code docs/observability} against the real thing:
 * starts the sample on a random port and a real {@code prometheus} server that scrapes it every
 * second (plus a target where nothing listens, as a node that is down) and loads the alert rules,
 * drives orders over HTTP through every path twice (completed after an external event and a
 * timer, rejected, failed at two steps, cancelled, left waiting), then evaluates every panel query
 * and every alert expression through Prometheus's HTTP API.
 *
 * <p>Needs {@code prometheus} on the {@code PATH} (Debian package {@code prometheus}): with
 * {@code CI=true} it fails without it, elsewhere it is skipped before the application starts
 * ({@link RequiredTool}).
 */
@ExtendWith(RequiredTool.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "sample.ship-wait=100ms", "management.endpoints.web.exposure.include=health,prometheus" })
@TestInstance(Lifecycle.PER_CLASS)
class PrometheusEndToEndTests {

    private static final String WORKFLOW = "order";

    /** What Grafana would put in place of the dashboard's variables. */
    private static final Map<String, String> GRAFANA_VARIABLES = Map.of("$workflow", WORKFLOW, "$__rate_interval",
            "30s", "$__range", "5m");

    /** The orders each round leaves, by status, and so the instance gauge after two rounds. */
    private static final Map<String, Double> INSTANCES_AFTER_TWO_ROUNDS = Map.of("pending", 0.0, "running", 0.0,
            "waiting", 2.0, "completed", 4.0, "failed", 4.0, "cancelled", 2.0);

    /**
     * What particular panels must show after the two rounds, beyond a non-empty result.
     */
    private static final Map<String, Consumer<List<Sample>>> PANEL_EXPECTATIONS = Map.of(
            "Failure ratio", (samples) -> assertThat(samples).singleElement()
                .satisfies((sample) -> assertThat(sample.number()).isStrictlyBetween(0.0, 1.0)),
            "Workflow failures by failed step", (samples) -> assertThat(labelValues(samples, "failed_step"))
                .containsExactlyInAnyOrder("reserve_inventory", "ship_order"),
            "Step exceptions by kind", (samples) -> {
                assertThat(labelValues(samples, "step")).containsExactlyInAnyOrder("reserve_inventory", "ship_order");
                assertThat(labelValues(samples, "kind")).containsExactly("exception");
            },
            "Step retries (estimated)", (samples) -> assertThat(samples)
                .allSatisfy((sample) -> assertThat(sample.number()).isFinite().isNotNegative()),
            "Step duration p50 / p95 / p99", (samples) -> assertThat(labelValues(samples, "step")).contains(
                    "validate_order", "reserve_inventory", "ship_order", "notify_customer", "reject_order", "done"),
            "Time waiting for external events vs timers", (samples) -> {
                assertThat(labelValues(samples, "source")).containsExactlyInAnyOrder("external", "timeout");
                assertThat(samples).allSatisfy((sample) -> assertThat(sample.number()).isFinite().isPositive());
            },
            "Instances in progress", (samples) -> assertThat(byStatus(samples)).containsOnlyKeys("pending",
                    "running", "waiting").containsEntry("waiting", 2.0),
            "Instances by status", (samples) -> assertThat(byStatus(samples))
                .containsExactlyInAnyOrderEntriesOf(INSTANCES_AFTER_TWO_ROUNDS));

    @TempDir
    static Path workDir;

    @LocalServerPort
    private int port;

    @Autowired
    private Runner runner;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final JsonMapper json = new JsonMapper();

    private PrometheusServer prometheus;

    private String appTarget;

    private String deadTarget;

    @BeforeAll
    void startPrometheusAndDriveEveryPathTwice() {
        Path binary = RequiredTool.find("prometheus");
        this.appTarget = "127.0.0.1:" + this.port;
        this.deadTarget = "127.0.0.1:" + PrometheusServer.freePort();
        this.prometheus = PrometheusServer.start(binary, workDir, ObservabilityFiles.file(ObservabilityFiles.ALERTS),
                List.of(this.appTarget, this.deadTarget));
        // The first scrape sees the instance gauges at zero, before any order exists.
        Instant beforeOrders = Instant.now();
        awaitScrapeAfter(beforeOrders);
        // Two rounds with a scrape after each, so every counter has grown between two samples and
        // rate() sees it.
        driveEveryPath("r1");
        awaitScrapeAfter(Instant.now());
        driveEveryPath("r2");
        awaitScrapeAfter(Instant.now());
    }

    @AfterAll
    void stopPrometheus() {
        if (this.prometheus != null) {
            this.prometheus.close();
        }
    }

    @Test
    void everyPanelQueryReturnsSeriesOfTheOrderWorkflow() {
        List<PanelQuery> queries = ObservabilityFiles.panelQueries(ObservabilityFiles.dashboard());
        assertThat(queries).hasSizeGreaterThanOrEqualTo(15);
        for (PanelQuery query : queries) {
            QueryResult result = this.prometheus.query(grafana(query.expr()));
            assertThat(result.error()).as("error of %s: %s", query, result.query()).isEmpty();
            assertThat(result.samples()).as("series of %s: %s", query, result.query())
                .isNotEmpty()
                .allSatisfy((sample) -> assertThat(sample.labels()).containsEntry("workflow", WORKFLOW))
                .anySatisfy((sample) -> assertThat(sample.number()).as("value of %s", query).isFinite());
            PANEL_EXPECTATIONS.getOrDefault(query.panel(), (samples) -> {
            }).accept(result.samples());
        }
        assertThat(queries).extracting(PanelQuery::panel).containsAll(PANEL_EXPECTATIONS.keySet());
    }

    @Test
    void workflowVariableListsTheOrderWorkflow() {
        // Grafana answers label_values(metric, label) with the label values API.
        JsonNode values = this.prometheus.api("/api/v1/label/workflow/values?match[]=hephaestus_instances");
        assertThat(values).extracting(JsonNode::asString).containsExactly(WORKFLOW);
    }

    @Test
    void prometheusLoadsEveryAlertRuleAndEvaluatesItWithoutError() {
        List<String> names = ObservabilityFiles.alertRules().stream().map(AlertRule::name).toList();
        await("every alert rule evaluated").atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(250))
            .untilAsserted(() -> {
                Map<String, JsonNode> rules = new HashMap<>();
                for (JsonNode group : this.prometheus.api("/api/v1/rules?type=alert").path("groups")) {
                    group.path("rules").forEach((rule) -> rules.put(rule.path("name").asString(), rule));
                }
                assertThat(rules).containsOnlyKeys(names);
                rules.forEach((name, rule) -> assertThat(rule.path("health").asString())
                    .as("health of %s: %s", name, rule.path("lastError").asString())
                    .isEqualTo("ok"));
            });
    }

    @Test
    void alertsWhoseConditionTheTestCreatedBecomeActiveInPrometheus() {
        // Both have a 'for' longer than the test, so they are pending, not yet firing.
        await("alerts active").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Map<String, Map<String, String>> active = new HashMap<>();
            for (JsonNode alert : this.prometheus.api("/api/v1/alerts").path("alerts")) {
                Map<String, String> labels = new HashMap<>();
                alert.path("labels").properties().forEach((entry) -> labels.put(entry.getKey(), entry.getValue().asString()));
                labels.put("state", alert.path("state").asString());
                active.put(labels.get("alertname") + " " + labels.getOrDefault("instance", labels.get("workflow")),
                        labels);
            }
            assertThat(active).containsKeys("HephaestusRunnerDown " + this.deadTarget,
                    "HephaestusWorkflowFailureRatioHigh " + WORKFLOW);
            assertThat(active).doesNotContainKey("HephaestusRunnerDown " + this.appTarget);
            assertThat(active.values()).extracting((labels) -> labels.get("state")).allMatch(Set.of("pending",
                    "firing")::contains);
        });
    }

    @Test
    void everyAlertExpressionFiresExactlyWhereTheSampleCreatedItsCondition() {
        Map<String, AlertRule> rules = ObservabilityFiles.alertRules()
            .stream()
            .collect(Collectors.toMap(AlertRule::name, (rule) -> rule, (a, b) -> a, LinkedHashMap::new));
        assertThat(rules).containsOnlyKeys("HephaestusWorkflowFailureRatioHigh", "HephaestusNoCompletions",
                "HephaestusInstancesWaitingTooLong", "HephaestusRunnerDown", "HephaestusStorageUnreadable",
                "HephaestusStepDurationHigh");

        // Half the orders failed: above the 5% threshold as it stands.
        assertThat(alert(rules, "HephaestusWorkflowFailureRatioHigh")).singleElement()
            .satisfies((sample) -> assertThat(sample.labels()).containsEntry("workflow", WORKFLOW))
            .satisfies((sample) -> assertThat(sample.number()).isStrictlyBetween(0.05, 1.0));
        // Nothing is left pending or running.
        assertThat(alert(rules, "HephaestusNoCompletions")).isEmpty();
        // The port where nothing listens is a node that is down; the sample is up.
        assertThat(alert(rules, "HephaestusRunnerDown")).singleElement()
            .satisfies((sample) -> assertThat(sample.labels()).containsEntry("instance", this.deadTarget)
                .containsEntry("job", PrometheusServer.JOB));
        // The in-memory storage is always readable.
        assertThat(alert(rules, "HephaestusStorageUnreadable")).isEmpty();

        // The sample's steps take milliseconds: under the 1 s SLO, but over an SLO of 0.
        assertThat(alert(rules, "HephaestusStepDurationHigh")).isEmpty();
        assertThat(alert(rules, "HephaestusStepDurationHigh", ") > 1", ") > 0")).isNotEmpty()
            .extracting((sample) -> sample.labels().get("step"))
            .contains("validate_order", "reserve_inventory", "ship_order", "notify_customer");

        // Prometheus has no hour of history; with the window shortened to 3 s (its three
        // occurrences), the two orders left waiting are reported once no step has been resumed for
        // that long.
        assertThat(alert(rules, "HephaestusInstancesWaitingTooLong")).isEmpty();
        await("waiting orders reported once no step has been resumed for 3 s").atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> assertThat(alert(rules, "HephaestusInstancesWaitingTooLong", "1h", "3s"))
                .singleElement()
                .satisfies((sample) -> assertThat(sample.labels()).containsEntry("workflow", WORKFLOW))
                .satisfies((sample) -> assertThat(sample.number()).isEqualTo(2.0)));
    }

    private static List<String> labelValues(List<Sample> samples, String label) {
        return samples.stream().map((sample) -> sample.labels().get(label)).distinct().toList();
    }

    private static Map<String, Double> byStatus(List<Sample> samples) {
        return samples.stream().collect(Collectors.toMap((sample) -> sample.labels().get("status"), Sample::number));
    }

    /**
     * Evaluate an alert's expression with every occurrence of a literal replaced, to make its
     * condition reachable within the test.
     */
    private List<Sample> alert(Map<String, AlertRule> rules, String name, String literal, String replacement) {
        AlertRule rule = rules.get(name);
        assertThat(rule.expr()).as("expression of %s", name).contains(literal);
        return evaluate(name, rule.expr().replace(literal, replacement));
    }

    private List<Sample> alert(Map<String, AlertRule> rules, String name) {
        return evaluate(name, rules.get(name).expr());
    }

    private List<Sample> evaluate(String name, String expr) {
        QueryResult result = this.prometheus.query(expr);
        assertThat(result.error()).as("error of %s: %s", name, expr).isEmpty();
        return result.samples();
    }

    /**
     * Replace the Grafana variables of a panel query as Grafana would for the order workflow.
     */
    private static String grafana(String expr) {
        String result = expr;
        for (Map.Entry<String, String> variable : GRAFANA_VARIABLES.entrySet()) {
            result = result.replace(variable.getKey(), variable.getValue());
        }
        assertThat(result).as("variables left in %s", expr).doesNotContain("$__").doesNotContain("$workflow");
        return result;
    }

    /**
     * Take one order through each path of the order workflow: completed (resumed by an external
     * event, then by the cooldown timer), rejected (completes), failed at reserve_inventory,
     * failed at ship_order after its payment, cancelled while waiting, and left waiting.
     */
    private void driveEveryPath(String round) {
        String completed = round + "-completed";
        assertThat(post("/orders/" + completed, "{\"items\": 2}")).isEqualTo(201);
        awaitWaiting(completed);
        assertThat(post("/orders/" + completed + "/events/payment_confirmed", "{\"confirmation\": \"pay\"}"))
            .isEqualTo(200);
        awaitFinished(completed, "completed");

        String rejected = round + "-rejected";
        assertThat(post("/orders/" + rejected, "{\"items\": 0}")).isEqualTo(201);
        awaitFinished(rejected, "completed");

        String failed = round + "-failed";
        assertThat(post("/orders/" + failed, "{\"items\": 1, \"fail\": \"reserve_inventory\"}")).isEqualTo(201);
        awaitFinished(failed, "failed");

        String failedLate = round + "-failed-late";
        assertThat(post("/orders/" + failedLate, "{\"items\": 1, \"fail\": \"ship_order\"}")).isEqualTo(201);
        awaitWaiting(failedLate);
        assertThat(post("/orders/" + failedLate + "/events/payment_confirmed", "{}")).isEqualTo(200);
        awaitFinished(failedLate, "failed");

        String cancelled = round + "-cancelled";
        assertThat(post("/orders/" + cancelled, "{\"items\": 3}")).isEqualTo(201);
        awaitWaiting(cancelled);
        assertThat(send("DELETE", "/orders/" + cancelled, null).statusCode()).isEqualTo(200);
        awaitFinished(cancelled, "cancelled");

        String waiting = round + "-waiting";
        assertThat(post("/orders/" + waiting, "{\"items\": 4}")).isEqualTo(201);
        awaitWaiting(waiting);
    }

    /**
     * Wait for a successful scrape of the sample that started after the instant, so that it
     * carries everything that happened before. {@code timestamp()} must be applied to the
     * selector itself: applied to an expression such as {@code up == 1} it returns the evaluation
     * time, not the scrape's.
     */
    private void awaitScrapeAfter(Instant instant) {
        String up = "up{job=\"" + PrometheusServer.JOB + "\", instance=\"" + this.appTarget + "\"}";
        double after = instant.toEpochMilli() / 1000.0;
        try {
            await("a successful scrape of " + this.appTarget + " after " + instant).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> this.prometheus.query("timestamp(" + up + ") > " + after + " and " + up + " == 1")
                    .samples(), (samples) -> samples.size() == 1);
        }
        catch (ConditionTimeoutException ex) {
            throw new AssertionError("no successful scrape of " + this.appTarget + " after " + instant
                    + "; Prometheus's targets: " + this.prometheus.api("/api/v1/targets"), ex);
        }
    }

    private void awaitWaiting(String orderId) {
        await(orderId + " waiting").atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> status(orderId), "waiting"::equals);
    }

    private void awaitFinished(String orderId, String status) {
        try {
            Instance instance = this.runner.awaitFinished(WORKFLOW, orderId, Duration.ofSeconds(10));
            assertThat(instance.status().value()).as("status of %s", orderId).isEqualTo(status);
        }
        catch (TimeoutException ex) {
            throw new AssertionError(ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }

    private String status(String orderId) {
        HttpResponse<String> response = send("GET", "/orders/" + orderId, null);
        assertThat(response.statusCode()).as("GET /orders/%s: %s", orderId, response.body()).isEqualTo(200);
        return this.json.readTree(response.body()).path("status").asString();
    }

    private int post(String path, String body) {
        return send("POST", path, body).statusCode();
    }

    private HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
            .timeout(Duration.ofSeconds(10))
            .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new IllegalStateException(method + " " + path + " failed", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " was interrupted", ex);
        }
    }
}
