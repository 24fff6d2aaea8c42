package io.hephaestus.spring.boot.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.boot.autoconfigure.DbSchedulerAutoConfiguration;

import io.hephaestus.cluster.ClusterRunner;
import io.hephaestus.cluster.ClusterSchema;
import io.hephaestus.cluster.ClusterTasks;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.Runner;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.runtime.StepInterceptor;
import io.hephaestus.spring.boot.actuate.HephaestusHealthContributorAutoConfiguration;
import io.hephaestus.spring.boot.actuate.HephaestusHealthIndicator;
import io.hephaestus.spring.boot.support.TestWorkflows;

import static org.assertj.core.api.Assertions.assertThat;

class HephaestusClusterAutoConfigurationTests {

    private static final String SCHEMA_INITIALIZER = "hephaestusClusterSchemaDatabaseInitializer";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                HephaestusJdbcAutoConfiguration.class, HephaestusJdbcSchemaAutoConfiguration.class,
                HephaestusClusterAutoConfiguration.class, HephaestusAutoConfiguration.class,
                HephaestusHealthContributorAutoConfiguration.class))
        .withUserConfiguration(HephaestusJdbcAutoConfigurationTests.GreetingConfiguration.class);

    @Test
    void localRunnerIsTheDefault() {
        this.contextRunner.withPropertyValues(memoryDatabase()).run((context) -> {
            assertThat(context).hasNotFailed().hasSingleBean(LocalRunner.class).doesNotHaveBean(ClusterTasks.class)
                .doesNotHaveBean(SCHEMA_INITIALIZER);
            assertThat(context.getBean(HephaestusHealthIndicator.class).health().getDetails()).containsEntry("type",
                    "local");
        });
    }

    @Test
    void clusterTypeCreatesASchedulerAndItsTableAndRunsAWorkflow() {
        this.contextRunner
            .withPropertyValues(memoryDatabase("hephaestus.runner.type=cluster",
                    "hephaestus.runner.cluster.node-name=node-a", "hephaestus.runner.cluster.threads=3",
                    "hephaestus.runner.cluster.polling-interval=200ms",
                    "hephaestus.runner.cluster.heartbeat-interval=2s",
                    "hephaestus.runner.cluster.missed-heartbeats-limit=5"))
            .run((context) -> {
                assertThat(context).hasNotFailed().hasSingleBean(Runner.class).doesNotHaveBean(LocalRunner.class)
                    .hasBean(SCHEMA_INITIALIZER);
                ClusterRunner runner = context.getBean(ClusterRunner.class);
                assertThat(runner.name()).isEqualTo("node-a");
                assertThat(runner.storage().name()).isEqualTo("jdbc-h2");
                assertThat(tableExists(context.getBean(DataSource.class), "scheduled_tasks")).isTrue();
                assertThat(runner.scheduler().getSchedulerState().isStarted()).isTrue();
                runsAGreeting(runner);
            });
    }

    @Test
    void clusterRunnerWrapsStepsInTheStepInterceptorBeansInOrder() {
        this.contextRunner.withUserConfiguration(InterceptorConfiguration.class)
            .withPropertyValues(memoryDatabase("hephaestus.runner.type=cluster",
                    "hephaestus.runner.cluster.polling-interval=200ms"))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                runsAGreeting(context.getBean(ClusterRunner.class));
                assertThat(context.getBean(InterceptorConfiguration.class).calls).startsWith("outer hello",
                        "inner hello");
            });
    }

    @Test
    void clusterTypeUsesTheConfiguredTableName() {
        this.contextRunner
            .withPropertyValues(memoryDatabase("hephaestus.runner.type=cluster",
                    "hephaestus.runner.cluster.table-name=cluster_tasks"))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                DataSource dataSource = context.getBean(DataSource.class);
                assertThat(tableExists(dataSource, "cluster_tasks")).isTrue();
                assertThat(tableExists(dataSource, "scheduled_tasks")).isFalse();
                runsAGreeting(context.getBean(ClusterRunner.class));
            });
    }

    @Test
    void clusterTypeReusesTheApplicationsSchedulerBean() {
        this.contextRunner.withPropertyValues(memoryDatabase("hephaestus.runner.type=cluster"))
            .withUserConfiguration(ApplicationSchedulerConfiguration.class)
            .run((context) -> {
                assertThat(context).hasNotFailed().doesNotHaveBean(SCHEMA_INITIALIZER);
                ClusterRunner runner = context.getBean(ClusterRunner.class);
                assertThat(runner.scheduler()).isSameAs(context.getBean(Scheduler.class));
                runsAGreeting(runner);
            });
        // The runner leaves the application's scheduler to its owner, which stopped it with the context.
    }

    @Test
    void clusterTypeRunsOnTheSchedulerOfTheDbSchedulerStarter() {
        // db-scheduler's starter 16.7.1 orders itself after Spring Boot 3's DataSourceAutoConfiguration, a class
        // Boot 4 no longer has: it sees a DataSource only when the application defines it (as here).
        DataSource dataSource = DataSourceBuilder.create()
            .url("jdbc:h2:mem:cluster-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
            .username("sa")
            .build();
        // An application with db-scheduler's starter creates db-scheduler's table itself (Flyway, schema.sql).
        ClusterSchema.apply(dataSource);
        this.contextRunner.withConfiguration(AutoConfigurations.of(DbSchedulerAutoConfiguration.class))
            .withBean("dataSource", DataSource.class, () -> dataSource)
            .withPropertyValues("hephaestus.runner.type=cluster", "hephaestus.jdbc.initialize-schema=always",
                    "db-scheduler.polling-interval=200ms", "db-scheduler.immediate-execution-enabled=true")
            .run((context) -> {
                assertThat(context).hasNotFailed().hasSingleBean(Scheduler.class).doesNotHaveBean(SCHEMA_INITIALIZER);
                ClusterRunner runner = context.getBean(ClusterRunner.class);
                assertThat(runner.scheduler()).isSameAs(context.getBean(Scheduler.class));
                runsAGreeting(runner);
            });
    }

    @Test
    void clusterTasksAreTaskBeansForTheDbSchedulerStarter() {
        this.contextRunner.withPropertyValues(memoryDatabase("hephaestus.runner.type=cluster")).run((context) -> {
            assertThat(context).hasNotFailed();
            ClusterTasks tasks = context.getBean(ClusterTasks.class);
            assertThat(context.getBeansOfType(com.github.kagkarlsson.scheduler.task.Task.class).values())
                .containsExactlyInAnyOrderElementsOf(tasks.all());
        });
    }

    @Test
    void healthShowsTheRunnerTypeNodeAndExecutorState() {
        this.contextRunner
            .withPropertyValues(memoryDatabase("hephaestus.runner.type=cluster",
                    "hephaestus.runner.cluster.node-name=node-h"))
            .run((context) -> {
                Health health = context.getBean(HephaestusHealthIndicator.class).health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails()).containsEntry("runner", "node-h")
                    .containsEntry("type", "cluster")
                    .containsEntry("node", "node-h")
                    .containsEntry("storage", "jdbc-h2")
                    .containsEntry("executor",
                            Map.of("state", "started", "running-executions", 0, "running-steps", 0));
                ClusterRunner runner = context.getBean(ClusterRunner.class);
                runner.scheduler().pause();
                assertThat(context.getBean(HephaestusHealthIndicator.class).health().getDetails())
                    .extractingByKey("executor")
                    .isEqualTo(Map.of("state", "paused", "running-executions", 0, "running-steps", 0));
                runner.close();
                Health closed = context.getBean(HephaestusHealthIndicator.class).health();
                assertThat(closed.getStatus()).isEqualTo(Status.DOWN);
                assertThat(closed.getDetails()).containsEntry("type", "cluster")
                    .extractingByKey("executor")
                    .isEqualTo(Map.of("state", "shutting-down", "running-executions", 0, "running-steps", 0));
            });
    }

    @Test
    void unknownRunnerTypeFailsStartUpListingTheValidOnes() {
        this.contextRunner.withPropertyValues(memoryDatabase("hephaestus.runner.type=distributed"))
            .run((context) -> assertThat(analysis(context).getDescription())
                .contains("Invalid value for Hephaestus property 'hephaestus.runner.type'")
                .contains("Value: \"distributed\"")
                .contains("Valid values: local, cluster"));
    }

    @Test
    void clusterTypeWithoutJdbcStorageFailsStartUpSayingSo() {
        this.contextRunner.withPropertyValues(memoryDatabase("hephaestus.runner.type=cluster",
                "hephaestus.storage.type=memory"))
            .run((context) -> assertThat(analysis(context).getDescription())
                .contains("Invalid value for Hephaestus property 'hephaestus.runner.type'")
                .contains("Value: \"cluster\"")
                .contains("the storage is 'in-memory', which is not durable")
                .contains("Use the JDBC storage"));
    }

    @Test
    void clusterTypeWithoutADataSourceFailsStartUpSayingSo() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HephaestusJdbcAutoConfiguration.class,
                    HephaestusClusterAutoConfiguration.class, HephaestusAutoConfiguration.class))
            .withUserConfiguration(HephaestusJdbcAutoConfigurationTests.GreetingConfiguration.class)
            .withPropertyValues("hephaestus.runner.type=cluster")
            .run((context) -> assertThat(analysis(context).getDescription())
                .contains("Invalid value for Hephaestus property 'hephaestus.runner.type'")
                .contains("which is not durable"));
    }

    @Test
    void clusterTypeWithoutTheClusterModuleFailsStartUpNamingIt() {
        this.contextRunner.withPropertyValues(memoryDatabase("hephaestus.runner.type=cluster"))
            .withClassLoader(new FilteredClassLoader(ClusterRunner.class))
            .run((context) -> assertThat(analysis(context).getDescription())
                .contains("The cluster runner needs the hephaestus-cluster module")
                .contains("io.hephaestus:hephaestus-cluster"));
    }

    @Test
    void invalidClusterSettingFailsStartUpNamingTheProperty() {
        this.contextRunner
            .withPropertyValues(memoryDatabase("hephaestus.runner.type=cluster",
                    "hephaestus.runner.cluster.missed-heartbeats-limit=2"))
            .run((context) -> assertThat(analysis(context).getDescription())
                .contains("Invalid value for Hephaestus property 'hephaestus.runner.cluster.missed-heartbeats-limit'")
                .contains("MissedHeartbeatsLimit must be at least 4")
                .contains("Valid values: a whole number of at least 4"));
    }

    @Test
    void invalidTableNameFailsStartUpNamingTheProperty() {
        this.contextRunner
            .withPropertyValues(memoryDatabase("hephaestus.runner.type=cluster",
                    "hephaestus.runner.cluster.table-name=Tasks;drop"))
            .run((context) -> assertThat(analysis(context).getDescription())
                .contains("Invalid value for Hephaestus property 'hephaestus.runner.cluster.table-name'")
                .contains("Value: \"Tasks;drop\""));
    }

    private static void runsAGreeting(ClusterRunner runner) throws Exception {
        String id = UUID.randomUUID().toString();
        runner.start(StartRequest.of(TestWorkflows.GREETING, id));
        Instance finished = runner.awaitFinished(TestWorkflows.GREETING, id, Duration.ofSeconds(20));
        assertThat(finished.status()).isEqualTo(io.hephaestus.core.engine.Status.COMPLETED);
        assertThat(finished.completedSteps()).contains("hello");
    }

    private static FailureAnalysis analysis(AssertableApplicationContext context) {
        return HephaestusJdbcAutoConfigurationTests.analysis(context);
    }

    private static String[] memoryDatabase(String... properties) {
        return HephaestusJdbcAutoConfigurationTests.memoryDatabase(properties);
    }

    private static boolean tableExists(DataSource dataSource, String table) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                ResultSet tables = connection.getMetaData().getTables(null, null, table.toUpperCase(), null)) {
            return tables.next();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class InterceptorConfiguration {

        final List<String> calls = new CopyOnWriteArrayList<>();

        @Bean
        @Order(2)
        StepInterceptor innerInterceptor() {
            return recording("inner");
        }

        @Bean
        @Order(1)
        StepInterceptor outerInterceptor() {
            return recording("outer");
        }

        private StepInterceptor recording(String name) {
            return (execution, invocation) -> {
                this.calls.add(name + " " + execution.stepKey());
                return invocation.proceed();
            };
        }

    }

    /**
     * What an application with its own db-scheduler (or the db-scheduler Spring Boot starter) has:
     * a Scheduler bean that knows the cluster tasks, started and stopped by its owner.
     */
    @Configuration(proxyBeanMethods = false)
    static class ApplicationSchedulerConfiguration {

        @Bean(destroyMethod = "stop")
        Scheduler applicationScheduler(DataSource dataSource, ClusterTasks tasks) {
            ClusterSchema.apply(dataSource);
            Scheduler scheduler = Scheduler.create(dataSource, tasks.all())
                .schedulerName(new SchedulerName.Fixed("application"))
                .pollingInterval(Duration.ofMillis(200))
                .enableImmediateExecution()
                .alwaysPersistTimestampInUTC()
                .build();
            scheduler.start();
            return scheduler;
        }
    }
}
