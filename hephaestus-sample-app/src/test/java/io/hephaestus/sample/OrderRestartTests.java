package io.hephaestus.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.Runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's default storage outlives the application: an order waiting for its payment is still
 * waiting after a restart on the same H2 file (here a temporary one, never the developer's
 * {@code ./data}), and the payment then completes it.
 */
class OrderRestartTests {

    private static final Duration FINISH = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    private Path directory;

    @Test
    void orderWaitingForPaymentSurvivesARestartAndCompletes() throws Exception {
        String database = "jdbc:h2:file:" + this.directory.resolve("orders").toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE";
        String runId;
        try (ConfigurableApplicationContext first = start(database)) {
            assertThat(send(first, "POST", "/orders/r-1", "{\"items\": 2}").statusCode()).isEqualTo(201);
            Runner runner = first.getBean(Runner.class);
            await().atMost(FINISH)
                .until(() -> runner.get("order", "r-1").map(Instance::status).orElseThrow() == Status.WAITING);
            runId = runner.get("order", "r-1").orElseThrow().runId();
        }

        try (ConfigurableApplicationContext second = start(database)) {
            Runner runner = second.getBean(Runner.class);
            Instance recovered = runner.get("order", "r-1").orElseThrow();
            assertThat(recovered.runId()).isEqualTo(runId);
            assertThat(recovered.status()).isEqualTo(Status.WAITING);
            assertThat(recovered.waitingSteps()).containsOnlyKeys("charge_payment");

            HttpResponse<String> paid = send(second, "POST", "/orders/r-1/events/payment_confirmed",
                    "{\"confirmation\": \"pay-r-1\"}");
            assertThat(paid.statusCode()).as(paid.body()).isEqualTo(200);
            assertThat(paid.body()).contains("\"queued\":false");

            Instance finished = runner.awaitFinished("order", "r-1", FINISH);
            assertThat(finished.status()).isEqualTo(Status.COMPLETED);
            assertThat(finished.runId()).isEqualTo(runId);
            // What the first run stored (the reservation) and what the second did (shipping) are one order.
            assertThat(send(second, "GET", "/orders/r-1", null).body()).contains("reservation_id")
                .contains("tracking_number")
                .contains("pay-r-1");
        }
    }

    private static ConfigurableApplicationContext start(String database) {
        return new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
                "--spring.datasource.url=" + database, "--sample.ship-wait=100ms", "--spring.main.banner-mode=off");
    }

    private HttpResponse<String> send(ConfigurableApplicationContext context, String method, String path, String body)
            throws IOException, InterruptedException {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
                    : HttpRequest.BodyPublishers.noBody());
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
