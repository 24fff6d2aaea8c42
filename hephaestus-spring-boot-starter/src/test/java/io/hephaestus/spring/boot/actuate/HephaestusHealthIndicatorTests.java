package io.hephaestus.spring.boot.actuate;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.hephaestus.core.runtime.ForwardingStorage;
import io.hephaestus.core.runtime.InMemoryStorage;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.StorageUnavailableException;
import io.hephaestus.jdbc.JdbcSchema;
import io.hephaestus.jdbc.JdbcStorage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class HephaestusHealthIndicatorTests {

    private LocalRunner runner = TestWorkflows.runner();

    @AfterEach
    void closeRunner() {
        this.runner.close();
    }

    @Test
    void healthIsUpWithRunnerStorageCountsAndWorkflows() {
        TestWorkflows.waitingApproval(this.runner, "1");
        TestWorkflows.completedPing(this.runner, "2");
        TestWorkflows.completedPing(this.runner, "3");

        Health health = new HephaestusHealthIndicator(this.runner).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsOnlyKeys("runner", "type", "storage", "durable", "instances", "workflows")
            .containsEntry("runner", "hephaestus")
            .containsEntry("storage", "in-memory")
            .containsEntry("durable", false)
            .containsEntry("workflows", 3);
        assertThat(health.getDetails().get("instances")).isEqualTo(Map.of("pending", 0L, "running", 0L, "waiting", 1L,
                "completed", 2L, "failed", 0L, "cancelled", 0L));
    }

    @Test
    void healthListsEveryStatusInLifecycleOrderWhenThereAreNoInstances() {
        Health health = new HephaestusHealthIndicator(this.runner).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails().get("instances"))
            .asInstanceOf(InstanceOfAssertFactories.map(String.class, Long.class))
            .containsExactly(entry("pending", 0L), entry("running", 0L), entry("waiting", 0L), entry("completed", 0L),
                    entry("failed", 0L), entry("cancelled", 0L));
    }

    @Test
    void healthIsDownWithErrorWhenStorageCannotBeRead() {
        this.runner.close();
        this.runner = LocalRunner.builder(TestWorkflows.registry()).storage(new UnreadableStorage()).threads(1).build();

        Health health = new HephaestusHealthIndicator(this.runner).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("runner", "hephaestus")
            .containsEntry("storage", "unreadable")
            .containsEntry("error", "java.lang.IllegalStateException: connection refused");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void anOutageOfTheStorageLogsOneWarningWithoutStackTraceAndItsEnd(CapturedOutput output) {
        this.runner.close();
        UnreadableStorage storage = new UnreadableStorage();
        this.runner = LocalRunner.builder(TestWorkflows.registry()).storage(storage).threads(1).build();
        HephaestusHealthIndicator indicator = new HephaestusHealthIndicator(this.runner);

        for (int i = 0; i < 3; i++) {
            assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
        }
        storage.readable = true;
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

        assertThat(output.getOut().lines().filter((line) -> line.contains("cannot be read"))).singleElement()
            .satisfies((line) -> assertThat(line).contains("WARN")
                .contains("storage 'unreadable' cannot be read: connection refused"));
        assertThat(output.getOut()).doesNotContain("\tat io.hephaestus").contains("storage 'unreadable' can be read again");
    }

    @Test
    void healthIsDownWhenRunnerNoLongerAcceptsWork() {
        this.runner.close();

        Health health = new HephaestusHealthIndicator(this.runner).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsOnlyKeys("runner", "type", "storage", "durable", "reason")
            .containsEntry("runner", "hephaestus")
            .containsEntry("storage", "in-memory")
            .containsEntry("reason", "runner 'hephaestus' no longer accepts work");
    }

    @Test
    void healthIsUpAndDurableOnJdbcStorageWhileTheDatabaseAnswers() throws Exception {
        try (DatabaseServer server = DatabaseServer.start(); HikariDataSource dataSource = server.dataSource()) {
            this.runner.close();
            this.runner = jdbcRunner(dataSource);
            TestWorkflows.completedPing(this.runner, "1");

            Health health = new HephaestusHealthIndicator(this.runner).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("storage", "jdbc-h2")
                .containsEntry("durable", true)
                .extractingByKey("instances")
                .asInstanceOf(InstanceOfAssertFactories.map(String.class, Long.class))
                .containsEntry("completed", 1L);
            this.runner.close();
        }
    }

    @Test
    void healthIsDownWithTheErrorWhenTheDatabasePortIsClosed() throws Exception {
        try (DatabaseServer server = DatabaseServer.start(); HikariDataSource dataSource = server.dataSource()) {
            this.runner.close();
            this.runner = jdbcRunner(dataSource);
            assertThat(new HephaestusHealthIndicator(this.runner).health().getStatus()).isEqualTo(Status.UP);

            server.stop();
            Health health = new HephaestusHealthIndicator(this.runner).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("runner", "hephaestus")
                .containsEntry("storage", "jdbc-h2")
                .containsEntry("durable", true)
                .doesNotContainKey("instances")
                .hasEntrySatisfying("error", (error) -> assertThat(error).asString()
                    .startsWith(StorageUnavailableException.class.getName())
                    .contains("could not reach the database"));
            this.runner.close();
        }
    }

    private static LocalRunner jdbcRunner(DataSource dataSource) {
        JdbcSchema.apply(dataSource);
        return LocalRunner.builder(TestWorkflows.registry())
            .storage(JdbcStorage.builder(dataSource).build())
            .threads(1)
            .shutdownGracePeriod(Duration.ZERO)
            .build();
    }

    /**
     * An H2 database served over TCP on a port of its own, so that a test can close the port.
     */
    private record DatabaseServer(Server server, int port) implements AutoCloseable {

        static DatabaseServer start() throws SQLException {
            Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
            return new DatabaseServer(server, server.getPort());
        }

        HikariDataSource dataSource() {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl("jdbc:h2:tcp://127.0.0.1:" + this.port + "/mem:health-" + UUID.randomUUID()
                    + ";DB_CLOSE_DELAY=-1");
            config.setMaximumPoolSize(2);
            // An unreachable database must fail the check at once, not after Hikari's default 30 s.
            config.setConnectionTimeout(250);
            config.setInitializationFailTimeout(-1);
            return new HikariDataSource(config);
        }

        void stop() {
            this.server.stop();
        }

        @Override
        public void close() {
            this.server.stop();
        }
    }

    /** A storage whose instances can be written and queried but not counted, like a failing database. */
    private static final class UnreadableStorage extends ForwardingStorage {

        volatile boolean readable;

        UnreadableStorage() {
            super(new InMemoryStorage());
        }

        @Override
        public Map<io.hephaestus.core.engine.Status, Long> countByStatus(String workflow) {
            if (this.readable) {
                return super.countByStatus(workflow);
            }
            throw new IllegalStateException("connection refused");
        }

        @Override
        public String name() {
            return "unreadable";
        }
    }
}
