package io.hephaestus.spring.boot.autoconfigure;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadPoolExecutor;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.env.MockEnvironment;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.InMemoryStorage;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.Runner;
import io.hephaestus.core.runtime.StartRequest;
import io.hephaestus.core.runtime.Storage;
import io.hephaestus.jdbc.JdbcDialect;
import io.hephaestus.jdbc.JdbcSchema;
import io.hephaestus.jdbc.JdbcStorage;
import io.hephaestus.spring.boot.support.TestWorkflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class HephaestusJdbcAutoConfigurationTests {

    private static final String RUNNER = "hephaestusRunner";

    private static final String INITIALIZER = "hephaestusDataSourceScriptDatabaseInitializer";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                HephaestusJdbcAutoConfiguration.class, HephaestusJdbcSchemaAutoConfiguration.class,
                HephaestusAutoConfiguration.class))
        .withUserConfiguration(GreetingConfiguration.class);

    @TempDir
    private Path directory;

    @Test
    void autoTypePicksJdbcStorageWhenThereIsADataSource() {
        this.contextRunner.withPropertyValues(memoryDatabase()).run((context) -> {
            assertThat(context).hasNotFailed().hasSingleBean(Storage.class);
            Storage storage = context.getBean(Storage.class);
            assertThat(storage).isInstanceOf(JdbcStorage.class);
            assertThat(storage.name()).isEqualTo("jdbc-h2");
            assertThat(storage.isDurable()).isTrue();
            assertThat(context.getBean(Runner.class).storage()).isSameAs(storage);
        });
    }

    @Test
    void jdbcStorageRunsAWorkflowToCompletion() {
        this.contextRunner.withPropertyValues(memoryDatabase()).run((context) -> {
            Runner runner = context.getBean(Runner.class);
            runner.start(StartRequest.of(TestWorkflows.GREETING, "1"));

            Instance finished = runner.awaitFinished(TestWorkflows.GREETING, "1", Duration.ofSeconds(10));

            assertThat(finished.status()).isEqualTo(Status.COMPLETED);
            assertThat(context.getBean(JdbcStorage.class).get(finished.runId())).hasValueSatisfying(
                    (stored) -> assertThat(stored.status()).isEqualTo(Status.COMPLETED));
        });
    }

    @Test
    void autoTypePicksMemoryWithoutADataSource() {
        new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(HephaestusJdbcAutoConfiguration.class, HephaestusAutoConfiguration.class))
            .withUserConfiguration(GreetingConfiguration.class)
            .run((context) -> {
                assertThat(context).hasNotFailed().doesNotHaveBean(JdbcStorage.class);
                assertThat(context.getBean(Storage.class)).isInstanceOf(InMemoryStorage.class);
            });
    }

    @Test
    void autoTypePicksMemoryWithoutHephaestusJdbc() {
        this.contextRunner.withPropertyValues(memoryDatabase())
            .withClassLoader(new FilteredClassLoader(JdbcStorage.class))
            .run((context) -> {
                assertThat(context).hasNotFailed().hasSingleBean(DataSource.class);
                assertThat(context.getBean(Storage.class)).isInstanceOf(InMemoryStorage.class);
            });
    }

    @Test
    void memoryTypeKeepsInstancesInMemoryEvenWithADataSource() {
        this.contextRunner.withPropertyValues(memoryDatabase("hephaestus.storage.type=memory")).run((context) -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(JdbcStorage.class).doesNotHaveBean(INITIALIZER);
            assertThat(context.getBean(Storage.class)).isInstanceOf(InMemoryStorage.class);
        });
    }

    @Test
    void jdbcTypeUsesTheDataSource() {
        this.contextRunner.withPropertyValues(memoryDatabase("hephaestus.storage.type=jdbc"))
            .run((context) -> assertThat(context.getBean(Storage.class)).isInstanceOf(JdbcStorage.class));
    }

    @Test
    void storageTypeIsBoundIgnoringCase() {
        this.contextRunner.withPropertyValues(memoryDatabase("hephaestus.storage.type=MEMORY"))
            .run((context) -> assertThat(context.getBean(Storage.class)).isInstanceOf(InMemoryStorage.class));
    }

    @Test
    void jdbcTypeWithoutADataSourceFailsStartUpNamingWhatIsMissing() {
        new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(HephaestusJdbcAutoConfiguration.class, HephaestusAutoConfiguration.class))
            .withPropertyValues("hephaestus.storage.type=jdbc")
            .run((context) -> assertThat(analysis(context).getDescription())
                .contains("Invalid value for Hephaestus property 'hephaestus.storage.type'")
                .contains("Value: \"jdbc\"")
                .contains("JDBC storage needs a DataSource bean and there is none")
                .contains("spring.datasource.url")
                .contains("Valid values: auto, memory, jdbc"));
    }

    @Test
    void jdbcTypeWithoutHephaestusJdbcFailsStartUpNamingTheModule() {
        this.contextRunner.withPropertyValues(memoryDatabase("hephaestus.storage.type=jdbc"))
            .withClassLoader(new FilteredClassLoader(JdbcStorage.class))
            .run((context) -> assertThat(analysis(context).getDescription())
                .contains("JDBC storage needs the hephaestus-jdbc module, which is not on the class path")
                .contains("io.hephaestus:hephaestus-jdbc"));
    }

    @Test
    void jdbcTypeWithTwoDataSourcesAndNoPrimaryFailsStartUpNamingThem() {
        new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(HephaestusJdbcAutoConfiguration.class, HephaestusAutoConfiguration.class))
            .withUserConfiguration(TwoDataSourcesConfiguration.class)
            .withPropertyValues("hephaestus.storage.type=jdbc")
            .run((context) -> assertThat(analysis(context).getDescription())
                .contains("JDBC storage needs a single DataSource bean, or one marked @Primary; there are 2: "
                        + "first, second."));
    }

    @Test
    void jdbcTypeWithTheJdbcAutoConfigurationExcludedFailsStartUpSayingSo() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, HephaestusAutoConfiguration.class))
            .withPropertyValues(memoryDatabase("hephaestus.storage.type=jdbc"))
            .run((context) -> assertThat(analysis(context).getDescription())
                .contains("JDBC storage was not configured although there is a DataSource bean (dataSource)")
                .contains("HephaestusJdbcAutoConfiguration excluded"));
    }

    @Test
    void primaryDataSourceIsUsedWhenThereAreSeveral() {
        new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(HephaestusJdbcAutoConfiguration.class, HephaestusJdbcSchemaAutoConfiguration.class,
                    HephaestusAutoConfiguration.class))
            .withUserConfiguration(TwoDataSourcesConfiguration.class, PrimaryDataSourceConfiguration.class)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(Storage.class)).isInstanceOf(JdbcStorage.class);
                assertThat(tableExists(context.getBean("primary", DataSource.class), "hephaestus_instance")).isTrue();
            });
    }

    @Test
    void unknownStorageTypeFailsStartUpListingTheValidOnes() {
        this.contextRunner.withPropertyValues(memoryDatabase("hephaestus.storage.type=postgres"))
            .run((context) -> assertThat(analysis(context).getDescription())
                .contains("Invalid value for Hephaestus property 'hephaestus.storage.type'")
                .contains("Value: \"postgres\"")
                .contains("Valid values: auto, memory, jdbc"));
    }

    @Test
    void unsupportedDatabaseFailsStartUpNamingTheSupportedOnes() {
        this.contextRunner.withPropertyValues(memoryDatabase())
            .withBean(DataSource.class, HephaestusJdbcAutoConfigurationTests::otherProductDataSource)
            .run((context) -> assertThat(analysis(context).getDescription())
                .contains("Invalid value for Hephaestus property 'hephaestus.storage.type'")
                .contains("Value: \"auto\"")
                .contains("it supports PostgreSQL and H2")
                .contains("hephaestus.storage.type=memory"));
    }

    @Test
    void userStorageWinsOverJdbcStorageAndNoSchemaIsCreated() {
        this.contextRunner.withPropertyValues(memoryDatabase("hephaestus.storage.type=jdbc"))
            .withBean("userStorage", Storage.class, InMemoryStorage::new)
            .run((context) -> {
                assertThat(context).hasNotFailed().hasSingleBean(Storage.class).doesNotHaveBean(INITIALIZER);
                assertThat(context.getBean(Runner.class).storage()).isSameAs(context.getBean("userStorage"));
                assertThat(tableExists(context.getBean(DataSource.class), "hephaestus_instance")).isFalse();
            });
    }

    @Test
    void userJdbcStorageGetsItsSchemaCreated() {
        this.contextRunner.withPropertyValues(memoryDatabase())
            .withUserConfiguration(UserJdbcStorageConfiguration.class)
            .run((context) -> {
                assertThat(context).hasNotFailed().hasSingleBean(Storage.class).hasBean(INITIALIZER);
                assertThat(tableExists(context.getBean(DataSource.class), "user_instances")).isTrue();
            });
    }

    @Test
    void embeddedSchemaInitializationCreatesTheTableInAnInMemoryDatabase() {
        this.contextRunner.withPropertyValues(memoryDatabase()).run((context) -> {
            assertThat(context).hasNotFailed().hasBean(INITIALIZER);
            assertThat(tableExists(context.getBean(DataSource.class), "hephaestus_instance")).isTrue();
        });
    }

    @Test
    void embeddedSchemaInitializationLeavesAFileDatabaseAlone() {
        // Spring Boot counts only in-memory databases as embedded: the runner then finds no table.
        this.contextRunner.withPropertyValues(fileDatabase()).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("HEPHAESTUS_INSTANCE")
                .hasMessageContaining("not found");
        });
    }

    @Test
    void alwaysSchemaInitializationCreatesTheTableInAFileDatabase() {
        this.contextRunner.withPropertyValues(fileDatabase("hephaestus.jdbc.initialize-schema=always"))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(tableExists(context.getBean(DataSource.class), "hephaestus_instance")).isTrue();
            });
    }

    @Test
    void alwaysSchemaInitializationKeepsTheInstancesOfTheLastStart() {
        String[] properties = fileDatabase("hephaestus.jdbc.initialize-schema=always");
        this.contextRunner.withPropertyValues(properties).run((context) -> {
            Runner runner = context.getBean(Runner.class);
            runner.start(StartRequest.of(TestWorkflows.GREETING, "kept"));
            runner.awaitFinished(TestWorkflows.GREETING, "kept", Duration.ofSeconds(10));
        });

        this.contextRunner.withPropertyValues(properties)
            .run((context) -> assertThat(context.getBean(Runner.class).get(TestWorkflows.GREETING, "kept"))
                .hasValueSatisfying((instance) -> assertThat(instance.status()).isEqualTo(Status.COMPLETED)));
    }

    @Test
    void neverSchemaInitializationCreatesNoTable() {
        // Without a runner, which would need the table.
        new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(DataSourceAutoConfiguration.class, HephaestusJdbcAutoConfiguration.class,
                            HephaestusJdbcSchemaAutoConfiguration.class))
            .withPropertyValues(memoryDatabase("hephaestus.jdbc.initialize-schema=never"))
            .run((context) -> {
                assertThat(context).hasNotFailed().hasBean(INITIALIZER);
                assertThat(tableExists(context.getBean(DataSource.class), "hephaestus_instance")).isFalse();
            });
    }

    @Test
    void invalidSchemaInitializationFailsStartUpListingTheValidModes() {
        this.contextRunner.withPropertyValues(memoryDatabase("hephaestus.jdbc.initialize-schema=sometimes"))
            .run((context) -> assertThat(analysis(context).getDescription())
                .contains("Invalid value for Hephaestus property 'hephaestus.jdbc.initialize-schema'")
                .contains("Valid values: embedded, always, never"));
    }

    @Test
    void tableNameIsAppliedToTheStorageAndTheSchema() {
        this.contextRunner.withPropertyValues(memoryDatabase("hephaestus.jdbc.table-name=orders_workflow"))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(JdbcStorage.class).tableName()).isEqualTo("orders_workflow");
                DataSource dataSource = context.getBean(DataSource.class);
                assertThat(tableExists(dataSource, "orders_workflow")).isTrue();
                assertThat(tableExists(dataSource, "hephaestus_instance")).isFalse();
                Runner runner = context.getBean(Runner.class);
                runner.start(StartRequest.of(TestWorkflows.GREETING, "renamed"));
                assertThat(runner.awaitFinished(TestWorkflows.GREETING, "renamed", Duration.ofSeconds(10)).status())
                    .isEqualTo(Status.COMPLETED);
            });
    }

    @Test
    void groupCommitSettingsAreAppliedToTheStorage() {
        this.contextRunner
            .withPropertyValues(memoryDatabase("hephaestus.jdbc.group-commit=32", "hephaestus.jdbc.concurrent-groups=1",
                    "hephaestus.runner.writer-threads=32"))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                JdbcStorage storage = context.getBean(JdbcStorage.class);
                assertThat(storage).extracting("maxGroupSize").isEqualTo(32);
                assertThat(storage).extracting("maxGroupWriters").isEqualTo(1);
                Runner runner = context.getBean(Runner.class);
                runner.start(StartRequest.of(TestWorkflows.GREETING, "grouped"));
                assertThat(runner.awaitFinished(TestWorkflows.GREETING, "grouped", Duration.ofSeconds(10)).status())
                    .isEqualTo(Status.COMPLETED);
            });
    }

    @Test
    void groupCommitWithoutWriterThreadsGivesTheRunnerEnoughWritersToFillTheGroups() {
        this.contextRunner
            .withPropertyValues(memoryDatabase("hephaestus.jdbc.group-commit=16", "hephaestus.jdbc.concurrent-groups=2"))
            .run((context) -> assertThat(context.getBean(LocalRunner.class)).extracting("writers")
                .isInstanceOfSatisfying(ThreadPoolExecutor.class,
                        (writers) -> assertThat(writers.getCorePoolSize()).isEqualTo(32)));
    }

    @Test
    void writerThreadsSetToZeroStayZeroWithGroupCommit() {
        this.contextRunner
            .withPropertyValues(memoryDatabase("hephaestus.jdbc.group-commit=16", "hephaestus.runner.writer-threads=0"))
            .run((context) -> assertThat(context.getBean(LocalRunner.class)).extracting("writers").isNull());
    }

    @Test
    void groupCommitOfZeroFailsStartUpNamingTheProperty() {
        this.contextRunner.withPropertyValues(memoryDatabase("hephaestus.jdbc.group-commit=0"))
            .run((context) -> assertThat(analysis(context).getDescription())
                .contains("Invalid value for Hephaestus property 'hephaestus.jdbc.group-commit'")
                .contains("Value: \"0\"")
                .contains("1 turns grouping off"));
    }

    @Test
    void concurrentGroupsOfZeroFailsStartUpNamingTheProperty() {
        this.contextRunner.withPropertyValues(memoryDatabase("hephaestus.jdbc.concurrent-groups=0"))
            .run((context) -> assertThat(analysis(context).getDescription())
                .contains("Invalid value for Hephaestus property 'hephaestus.jdbc.concurrent-groups'")
                .contains("Value: \"0\"")
                .contains("Valid values: a whole number of at least 1"));
    }

    @Test
    void invalidTableNameFailsStartUpNamingTheProperty() {
        this.contextRunner.withPropertyValues(memoryDatabase("hephaestus.jdbc.table-name=Instances;drop"))
            .run((context) -> assertThat(analysis(context).getDescription())
                .contains("Invalid value for Hephaestus property 'hephaestus.jdbc.table-name'")
                .contains("Value: \"Instances;drop\"")
                .contains("invalid table name 'Instances;drop'")
                .contains("Valid values: [schema.]table"));
    }

    @Test
    void runnerWaitsForTheSchemaInitializer() {
        this.contextRunner.withPropertyValues(memoryDatabase()).run((context) -> {
            String[] dependsOn = context.getBeanFactory().getBeanDefinition(RUNNER).getDependsOn();
            assertThat(dependsOn).as("beans the runner depends on").isNotNull().contains(INITIALIZER);
        });
    }

    @Test
    void jdbcPropertyDefaultsAreTheJdbcModulesDefaults() {
        HephaestusProperties.Jdbc jdbc = new HephaestusProperties().getJdbc();

        assertThat(jdbc.getTableName()).isEqualTo(JdbcSchema.DEFAULT_TABLE_NAME);
        assertThat(jdbc.getInitializeSchema()).isEqualTo(HephaestusProperties.SchemaInitialization.EMBEDDED);
        assertThat(jdbc.getGroupCommit()).isEqualTo(JdbcStorage.DEFAULT_GROUP_COMMIT);
        assertThat(jdbc.getConcurrentGroups()).isEqualTo(JdbcStorage.DEFAULT_CONCURRENT_GROUPS);
    }

    @Test
    void initializerSettingsPointAtTheScriptOfTheDialect() {
        assertThat(HephaestusDataSourceScriptDatabaseInitializer
            .settings(JdbcDialect.POSTGRESQL, HephaestusProperties.SchemaInitialization.ALWAYS)
            .getSchemaLocations()).containsExactly("classpath:io/hephaestus/jdbc/schema-postgresql.sql");
        assertThat(HephaestusDataSourceScriptDatabaseInitializer
            .settings(JdbcDialect.H2, HephaestusProperties.SchemaInitialization.EMBEDDED)
            .getSchemaLocations()).containsExactly("classpath:io/hephaestus/jdbc/schema-h2.sql");
    }

    @Test
    void failedStartUpWithJdbcTypeAndNoDataSourcePrintsTheAnalysis(CapturedOutput output) {
        SpringApplication application = new SpringApplication(Application.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        assertThatException().isThrownBy(() -> application.run("--spring.main.banner-mode=off",
                "--spring.autoconfigure.exclude=" + DataSourceAutoConfiguration.class.getName(),
                "--hephaestus.storage.type=jdbc"));

        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Invalid value for Hephaestus property 'hephaestus.storage.type':")
            .contains("    Origin: \"hephaestus.storage.type\" from property source \"commandLineArgs\"")
            .contains("    Reason: JDBC storage needs a DataSource bean and there is none")
            .contains("    Valid values: auto, memory, jdbc")
            .doesNotContain("\tat ");
    }

    static FailureAnalysis analysis(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        // The failed context has no environment to offer: the value comes from the exception.
        FailureAnalysis analysis = new HephaestusPropertiesFailureAnalyzer(new MockEnvironment())
            .analyze(context.getStartupFailure());
        assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
        return analysis;
    }

    static String[] memoryDatabase(String... properties) {
        return with("spring.datasource.url=jdbc:h2:mem:hephaestus-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                properties);
    }

    private String[] fileDatabase(String... properties) {
        return with("spring.datasource.url=jdbc:h2:file:" + this.directory.resolve("db").toAbsolutePath(),
                properties);
    }

    private static String[] with(String url, String... properties) {
        String[] all = Arrays.copyOf(properties, properties.length + 1);
        all[properties.length] = url;
        return all;
    }

    private static boolean tableExists(DataSource dataSource, String table) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                ResultSet tables = connection.getMetaData()
                    .getTables(null, null, table.toUpperCase(Locale.ROOT), null)) {
            return tables.next();
        }
    }

    private static DataSource otherProductDataSource() {
        // An H2 database that answers as another product: JDBC storage must refuse it by name.
        return new DriverManagerDataSource("jdbc:h2:mem:other-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1") {

            @Override
            public Connection getConnection() throws SQLException {
                Connection connection = super.getConnection();
                return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] { Connection.class }, (proxy, method, args) -> {
                            if (method.getName().equals("getMetaData")) {
                                DatabaseMetaData metaData = connection.getMetaData();
                                return Proxy.newProxyInstance(getClass().getClassLoader(),
                                        new Class<?>[] { DatabaseMetaData.class },
                                        (p, m, a) -> m.getName().equals("getDatabaseProductName") ? "Apache Derby"
                                                : m.invoke(metaData, a));
                            }
                            return method.invoke(connection, args);
                        });
            }
        };
    }

    @Configuration(proxyBeanMethods = false)
    static class GreetingConfiguration {

        @Bean
        Workflow greeting() {
            return TestWorkflows.greeting(1);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoDataSourcesConfiguration {

        @Bean
        DataSource first() {
            return new DriverManagerDataSource("jdbc:h2:mem:first-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        }

        @Bean
        DataSource second() {
            return new DriverManagerDataSource("jdbc:h2:mem:second-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PrimaryDataSourceConfiguration {

        @Bean
        @Primary
        DataSource primary() {
            return new DriverManagerDataSource("jdbc:h2:mem:primary-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserJdbcStorageConfiguration {

        @Bean
        JdbcStorage userStorage(DataSource dataSource) {
            return JdbcStorage.builder(dataSource).tableName("user_instances").build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Workflow greeting() {
            return TestWorkflows.greeting(1);
        }
    }
}
