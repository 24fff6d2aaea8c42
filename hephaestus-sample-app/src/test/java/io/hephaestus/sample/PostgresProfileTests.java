package io.hephaestus.sample;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.runtime.ResumeRequest;
import io.hephaestus.core.runtime.Runner;
import io.hephaestus.core.runtime.StartRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code postgres} profile starts the sample on the PostgreSQL server at
 * {@code 127.0.0.1:5432} (database {@code test}) and runs an order to completion there.
 */
@PostgresqlAvailable
@SpringBootTest(properties = "sample.ship-wait=100ms")
@ActiveProfiles("postgres")
class PostgresProfileTests {

    @Autowired
    private Runner runner;

    @Autowired
    private HealthEndpoint health;

    @Test
    void postgresProfileRunsAnOrderToCompletionOnPostgresql() throws Exception {
        assertThat(this.runner.storage().name()).isEqualTo("jdbc-postgresql");
        assertThat(this.health.healthForPath("hephaestus").getStatus()).isEqualTo(Status.UP);
        // A unique id: the table is shared with every earlier run of the sample on this database.
        String orderId = "pg-" + UUID.randomUUID();

        Instance started = this.runner.start(StartRequest.of("order", orderId).context(Map.of("items", 2)));
        await().atMost(Duration.ofSeconds(10))
            .until(() -> this.runner.get("order", orderId).orElseThrow().waitingSteps().containsKey("charge_payment"));
        this.runner.resume(ResumeRequest.of("order", orderId, "payment_confirmed"));
        Instance finished = this.runner.awaitFinished("order", orderId, Duration.ofSeconds(10));

        try {
            assertThat(finished.status()).isEqualTo(io.hephaestus.core.engine.Status.COMPLETED);
            assertThat(finished.completedSteps()).contains("reserve_inventory", "ship_order", "notify_customer");
        }
        finally {
            this.runner.storage().delete(started.runId());
        }
    }
}
