package io.hephaestus.sample;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;

import io.hephaestus.core.runtime.Runner;
import io.hephaestus.spring.boot.actuate.WorkflowsEndpoint;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke test of the sample: the context loads with the order workflow registered, health is up
 * (Hephaestus and the readiness group included) and the workflows endpoint answers.
 */
@SpringBootTest
class SampleApplicationTests {

    @Autowired
    private Runner runner;

    @Autowired
    private HealthEndpoint health;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private WorkflowsEndpoint workflows;

    @Test
    void contextLoadsWithTheOrderWorkflow() {
        assertThat(this.runner.registry().names()).containsExactly("order");
        assertThat(this.runner.isAccepting()).isTrue();
    }

    @Test
    void healthIsUpWithHephaestusInTheReadinessGroup() {
        assertThat(this.health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(this.health.healthForPath("hephaestus").getStatus()).isEqualTo(Status.UP);
        assertThat(this.health.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void ordersAreKeptInDurableJdbcStorageOnAPrivateTestDatabase() throws SQLException {
        assertThat(this.runner.storage().name()).isEqualTo("jdbc-h2");
        assertThat(this.runner.storage().isDurable()).isTrue();
        try (Connection connection = this.dataSource.getConnection()) {
            // Never the developer's ./data/hephaestus-sample file.
            assertThat(connection.getMetaData().getURL()).startsWith("jdbc:h2:mem:sample-test-");
        }
    }

    @Test
    void workflowsEndpointDescribesTheOrderWorkflow() {
        assertThat(this.workflows.workflows().workflows()).containsOnlyKeys("order");
    }
}
