package io.hephaestus.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import io.hephaestus.cluster.ClusterRunner;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.runtime.ResumeRequest;
import io.hephaestus.core.runtime.Runner;
import io.hephaestus.core.runtime.StartRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code postgres} profile runs the cluster runner: two copies of the sample, two Spring
 * contexts on two ports and one PostgreSQL database, share the orders. Orders started on one node
 * are paid on the other, every order completes once, and both nodes ran steps.
 */
@PostgresqlAvailable
class ClusterNodesTests {

    private static final int ORDERS = 10;

    @Test
    void postgresProfileWiresTheClusterRunnerAndTwoNodesShareTheOrders() throws Exception {
        List<Instance> started = new ArrayList<>();
        try (ConfigurableApplicationContext a = node("sample-node-a");
                ConfigurableApplicationContext b = node("sample-node-b")) {
            Runner runnerA = a.getBean(Runner.class);
            Runner runnerB = b.getBean(Runner.class);
            assertThat(runnerA).isInstanceOf(ClusterRunner.class);
            assertThat(runnerA.name()).isEqualTo("sample-node-a");
            assertThat(runnerA.storage().name()).isEqualTo("jdbc-postgresql");
            IndicatedHealthDescriptor health = (IndicatedHealthDescriptor) a.getBean(HealthEndpoint.class)
                .healthForPath("hephaestus");
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("type", "cluster").containsEntry("node", "sample-node-a");

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < ORDERS; i++) {
                // Unique ids: the tables are shared with every earlier run of the sample on this database.
                String id = "cluster-" + UUID.randomUUID();
                ids.add(id);
                started.add(runnerA.start(StartRequest.of("order", id).context(Map.of("items", 1))));
            }
            for (String id : ids) {
                await().atMost(Duration.ofSeconds(20)).until(
                        () -> runnerB.get("order", id).orElseThrow().waitingSteps().containsKey("charge_payment"));
                runnerB.resume(ResumeRequest.of("order", id, "payment_confirmed"));
            }
            for (String id : ids) {
                Instance finished = runnerA.awaitFinished("order", id, Duration.ofSeconds(30));
                assertThat(finished.status()).isEqualTo(io.hephaestus.core.engine.Status.COMPLETED);
                assertThat(finished.completedSteps()).contains("reserve_inventory", "ship_order", "notify_customer");
            }
            assertThat(stepsRun(a)).as("steps run on node a").isPositive();
            assertThat(stepsRun(b)).as("steps run on node b").isPositive();
            // Steps that complete with an event (validate_order, reserve_inventory, ship_order, notify_customer, done),
            // counted once across the two nodes: the payment and the cooldown end by resume instead.
            assertThat(stepsRun(a) + stepsRun(b)).as("steps run on both nodes").isEqualTo(ORDERS * 5L);
        }
        finally {
            try (ConfigurableApplicationContext cleaner = node("sample-node-cleaner")) {
                Runner runner = cleaner.getBean(Runner.class);
                started.forEach((instance) -> runner.storage().delete(instance.runId()));
            }
        }
    }

    private static long stepsRun(ConfigurableApplicationContext context) {
        return context.getBean(MeterRegistry.class)
            .find("hephaestus.step.stop.duration")
            .timers()
            .stream()
            .mapToLong(Timer::count)
            .sum();
    }

    private static ConfigurableApplicationContext node(String name) {
        // Arguments, which override the profile's settings (such as its server.port).
        return new SpringApplicationBuilder(SampleApplication.class).profiles("postgres")
            .run("--server.port=0", "--hephaestus.runner.cluster.node-name=" + name, "--sample.ship-wait=100ms",
                    "--hephaestus.runner.cluster.polling-interval=200ms", "--spring.main.banner-mode=off");
    }
}
