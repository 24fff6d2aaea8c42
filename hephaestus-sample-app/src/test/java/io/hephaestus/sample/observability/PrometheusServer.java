package io.hephaestus.sample.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code prometheus} server process for a test: it scrapes the given targets every second
 * under the job {@code hephaestus}, evaluates the given rule file every second, keeps its data in
 * a temporary directory and listens on a free local port. {@link #close()} stops it.
 */
final class PrometheusServer implements AutoCloseable {

    static final String JOB = "hephaestus";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;

    private final Path log;

    private final URI base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final JsonMapper json = new JsonMapper();

    private final Thread stopOnExit;

    private PrometheusServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.base = URI.create("http://127.0.0.1:" + port);
        // Should the test JVM end without close(), the server must not outlive it.
        this.stopOnExit = new Thread(process::destroyForcibly, "stop-prometheus");
        Runtime.getRuntime().addShutdownHook(this.stopOnExit);
    }

    /**
     * Start a server and wait until it is ready.
     * @param binary the {@code prometheus} executable
     * @param workDir an empty directory for its configuration, data and log
     * @param ruleFile the alerting rules to load
     * @param targets the {@code host:port} targets whose {@code /actuator/prometheus} to scrape
     * @return the ready server
     */
    static PrometheusServer start(Path binary, Path workDir, Path ruleFile, List<String> targets) {
        try {
            Path config = workDir.resolve("prometheus.yml");
            Files.writeString(config, config(ruleFile, targets));
            Path data = Files.createDirectories(workDir.resolve("data"));
            Path log = workDir.resolve("prometheus.log");
            int port = freePort();
            Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
            PrometheusServer server = new PrometheusServer(process, log, port);
            server.awaitReady();
            return server;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot start " + binary, ex);
        }
    }

    /**
     * Return a local port that nothing listens on (it may be taken again by the time it is used,
     * which for a test is unlikely enough).
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("no free local port", ex);
        }
    }

    private static String config(Path ruleFile, List<String> targets) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n");
        yaml.append("rule_files:\n  - '").append(ruleFile.toAbsolutePath()).append("'\n");
        yaml.append("scrape_configs:\n  - job_name: ").append(JOB).append('\n');
        yaml.append("    metrics_path: /actuator/prometheus\n    static_configs:\n      - targets:\n");
        targets.forEach((target) -> yaml.append("          - '").append(target).append("'\n"));
        return yaml.toString();
    }

    private void awaitReady() {
        await("prometheus ready at " + this.base).atMost(START_TIMEOUT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> {
                if (!this.process.isAlive()) {
                    throw new IllegalStateException(
                            "prometheus exited with " + this.process.exitValue() + ":\n" + logText());
                }
                return status(get("/-/ready")) == 200;
            });
    }

    /**
     * Evaluate an instant query at the current time.
     * @param promql the expression
     * @return the result, or the error Prometheus reported
     */
    QueryResult query(String promql) {
        HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (response == null) {
            throw new IllegalStateException("prometheus does not answer at " + this.base + ":\n" + logText());
        }
        JsonNode body = this.json.readTree(response.body());
        if (!"success".equals(body.path("status").asString())) {
            return new QueryResult(promql, body.path("errorType").asString() + ": " + body.path("error").asString(),
                    List.of());
        }
        List<Sample> samples = new ArrayList<>();
        JsonNode data = body.path("data");
        if ("scalar".equals(data.path("resultType").asString())) {
            samples.add(new Sample(Map.of(), data.path("result").get(1).asString()));
        }
        for (JsonNode series : data.path("result")) {
            if (!series.isObject()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            series.path("metric").properties().forEach((entry) -> labels.put(entry.getKey(), entry.getValue().asString()));
            samples.add(new Sample(labels, series.path("value").get(1).asString()));
        }
        return new QueryResult(promql, "", samples);
    }

    /**
     * Return a JSON document of the HTTP API, such as {@code /api/v1/rules}.
     * @param path the path and query
     * @return the {@code data} member of the answer
     */
    JsonNode api(String path) {
        HttpResponse<String> response = get(path);
        if (response == null || response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " failed: "
                    + ((response != null) ? response.statusCode() + " " + response.body() : "no answer"));
        }
        return this.json.readTree(response.body()).path("data");
    }

    /**
     * Return the server's log, for failure messages.
     */
    String logText() {
        try {
            return Files.exists(this.log) ? Files.readString(this.log) : "(no log)";
        }
        catch (IOException ex) {
            return "(cannot read " + this.log + ": " + ex.getMessage() + ")";
        }
    }

    private HttpResponse<String> get(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(this.base.resolve(pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
        try {
            return this.http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            return null;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    private static int status(HttpResponse<String> response) {
        return (response != null) ? response.statusCode() : -1;
    }

    /**
     * Stop the server (SIGTERM, then kill after 10 s) and wait for it to exit.
     */
    @Override
    public void close() {
        this.process.destroy();
        try {
            if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
                this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            this.process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        finally {
            try {
                Runtime.getRuntime().removeShutdownHook(this.stopOnExit);
            }
            catch (IllegalStateException ex) {
                // The JVM is already shutting down: the hook runs anyway.
            }
        }
    }

    /**
     * One series of an instant vector.
     *
     * @param labels its labels
     * @param value its value as Prometheus writes it ({@code "1"}, {@code "NaN"}, {@code "+Inf"})
     */
    record Sample(Map<String, String> labels, String value) {

        double number() {
            return switch (this.value) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(this.value);
            };
        }
    }

    /**
     * The answer to an instant query.
     *
     * @param query the expression
     * @param error the error Prometheus reported, empty if it evaluated the query
     * @param samples the series of the result
     */
    record QueryResult(String query, String error, List<Sample> samples) {
    }
}
