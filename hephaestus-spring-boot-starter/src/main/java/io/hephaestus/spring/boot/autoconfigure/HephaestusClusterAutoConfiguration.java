package io.hephaestus.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.type.AnnotatedTypeMetadata;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerState;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;

import io.hephaestus.cluster.ClusterRunner;
import io.hephaestus.cluster.ClusterSchema;
import io.hephaestus.cluster.ClusterTasks;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.runtime.Runner;
import io.hephaestus.core.runtime.StepInterceptor;
import io.hephaestus.core.runtime.Storage;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.spring.boot.actuate.HephaestusRunnerDetails;
import io.hephaestus.spring.boot.autoconfigure.HephaestusProperties.RunnerType;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the
 * {@link ClusterRunner} when {@code hephaestus.runner.type=cluster}: every node of the application
 * that shares the database starts, resumes and cancels any instance, and each step runs on one
 * node at a time, on db-scheduler. It runs before {@link HephaestusAutoConfiguration}, whose local
 * runner then backs off.
 *
 * <ul>
 * <li>The runner needs a durable storage shared by the nodes, the JDBC storage of
 * {@link HephaestusJdbcAutoConfiguration}, and a {@link DataSource}; start-up fails naming what is
 * missing.</li>
 * <li>The db-scheduler tasks of the runner ({@link ClusterTasks}) are {@code Task} beans, so the
 * db-scheduler Spring Boot starter registers them with the application's {@link Scheduler} bean.
 * When there is such a bean, the runner runs on it (its owner starts and stops it); an application
 * that builds its own {@code Scheduler} bean adds {@code clusterTasks.all()} to its known tasks.
 * Otherwise the runner creates its own scheduler on the data source, configured by
 * {@code hephaestus.runner.cluster.*}, and {@link HephaestusClusterSchemaDatabaseInitializer}
 * creates db-scheduler's table as {@code hephaestus.jdbc.initialize-schema} says.</li>
 * <li>The health contributor reports the node and the state of the db-scheduler executor.</li>
 * </ul>
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = HephaestusAutoConfiguration.class, after = HephaestusJdbcAutoConfiguration.class,
        afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                "com.github.kagkarlsson.scheduler.boot.autoconfigure.DbSchedulerAutoConfiguration" })
@Conditional(HephaestusClusterAutoConfiguration.ClusterRunnerTypeCondition.class)
@EnableConfigurationProperties(HephaestusProperties.class)
public final class HephaestusClusterAutoConfiguration {

    static final String RUNNER_TYPE = "hephaestus.runner.type";

    private static final String CLUSTER = "cluster";

    private static final String PREFIX = "hephaestus.runner.cluster.";

    private static final Logger logger = LoggerFactory.getLogger(HephaestusClusterAutoConfiguration.class);

    HephaestusClusterAutoConfiguration() {
    }

    private static String capitalized(String message) {
        return message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }

    /**
     * The runner, its db-scheduler tasks and its health details.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ ClusterRunner.class, Scheduler.class })
    static class ClusterRunnerConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ClusterTasks hephaestusClusterTasks() {
            return ClusterTasks.create();
        }

        @Bean
        OneTimeTask<Void> hephaestusStepTask(ClusterTasks tasks) {
            return tasks.step();
        }

        @Bean
        OneTimeTask<Void> hephaestusTimerTask(ClusterTasks tasks) {
            return tasks.timer();
        }

        @Bean
        OneTimeTask<Void> hephaestusCheckTask(ClusterTasks tasks) {
            return tasks.check();
        }

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(Runner.class)
        ClusterRunner hephaestusRunner(WorkflowRegistry registry, Storage storage, Telemetry telemetry,
                HephaestusProperties properties, ClusterTasks tasks, ObjectProvider<DataSource> dataSources,
                ObjectProvider<Scheduler> schedulers, ObjectProvider<StepInterceptor> interceptors,
                ObjectProvider<HephaestusClusterRunnerCustomizer> customizers) {
            if (!storage.isDurable()) {
                throw new InvalidConfigurationPropertyValueException(RUNNER_TYPE, CLUSTER, "The cluster runner shares "
                        + "instances between nodes through their database, but the storage is '" + storage.name()
                        + "', which is not durable. Use the JDBC storage: add io.hephaestus:hephaestus-jdbc and a "
                        + "DataSource (PostgreSQL), and leave hephaestus.storage.type at auto or set it to jdbc.");
            }
            DataSource dataSource = dataSources.getIfUnique();
            if (dataSource == null) {
                throw new InvalidConfigurationPropertyValueException(RUNNER_TYPE, CLUSTER, "The cluster runner needs a "
                        + "single DataSource bean (or one marked @Primary) for db-scheduler's table, and there is "
                        + ((dataSources.stream().findAny().isPresent()) ? "more than one." : "none."));
            }
            HephaestusProperties.Runner runner = properties.getRunner();
            HephaestusProperties.Cluster cluster = runner.getCluster();
            ClusterRunner.Builder builder = ClusterRunner.builder(registry, storage, dataSource).telemetry(telemetry);
            String nodeName = cluster.getNodeName();
            if (nodeName != null) {
                set(PREFIX + "node-name", nodeName, () -> builder.name(nodeName));
            }
            set(PREFIX + "threads", cluster.getThreads(), () -> builder.threads(cluster.getThreads()));
            set(PREFIX + "polling-interval", print(cluster.getPollingInterval()),
                    () -> builder.pollingInterval(cluster.getPollingInterval()));
            set(PREFIX + "heartbeat-interval", print(cluster.getHeartbeatInterval()),
                    () -> builder.heartbeatInterval(cluster.getHeartbeatInterval()));
            set(PREFIX + "missed-heartbeats-limit", cluster.getMissedHeartbeatsLimit(),
                    () -> builder.missedHeartbeatsLimit(cluster.getMissedHeartbeatsLimit()));
            set(PREFIX + "table-name", cluster.getTableName(), () -> builder.tableName(cluster.getTableName()));
            set("hephaestus.runner.shutdown-grace-period", print(runner.getShutdownGracePeriod()),
                    () -> builder.shutdownGracePeriod(runner.getShutdownGracePeriod()));
            set("hephaestus.runner.max-value-size", runner.getMaxValueSize(),
                    () -> builder.maxValueSize(runner.getMaxValueSize().toBytes()));
            builder.retention(properties.getStorage().getRetention())
                .retentionSweepInterval(HephaestusAutoConfiguration
                    .retentionSweepInterval(properties.getStorage().getRetentionSweepInterval()));
            Duration timeout = runner.getDefaultStepTimeout();
            if (timeout != null) {
                set("hephaestus.runner.default-step-timeout", print(timeout), () -> builder.defaultStepTimeout(timeout));
            }
            Scheduler scheduler = schedulers.getIfUnique();
            if (scheduler != null) {
                logger.info("The cluster runner runs on the application's db-scheduler Scheduler bean; it must know the "
                        + "tasks {}, {} and {}", ClusterTasks.STEP_TASK, ClusterTasks.TIMER_TASK, ClusterTasks.CHECK_TASK);
                builder.scheduler(scheduler, tasks);
            }
            List<StepInterceptor> stepInterceptors = interceptors.orderedStream().toList();
            if (!stepInterceptors.isEmpty()) {
                builder.stepInterceptor(StepInterceptor.composite(stepInterceptors));
            }
            customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
            return builder.build();
        }

        @Bean
        @ConditionalOnMissingBean
        HephaestusRunnerDetails hephaestusRunnerDetails(ObjectProvider<Runner> runner) {
            return () -> (runner.getObject() instanceof ClusterRunner cluster) ? details(cluster)
                    : Map.of("type", runner.getObject().getClass().getName());
        }

        private static Map<String, Object> details(ClusterRunner runner) {
            Scheduler scheduler = runner.scheduler();
            Map<String, Object> executor = new LinkedHashMap<>();
            executor.put("state", state(scheduler.getSchedulerState()));
            executor.put("running-executions", scheduler.getCurrentlyExecuting().size());
            executor.put("running-steps", runner.runningSteps());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("type", CLUSTER);
            details.put("node", runner.name());
            details.put("executor", executor);
            return details;
        }

        private static String state(SchedulerState state) {
            if (state.isShuttingDown()) {
                return "shutting-down";
            }
            if (!state.isStarted()) {
                return "not-started";
            }
            return state.isPaused() ? "paused" : "started";
        }

        private static void set(String property, Object value, Runnable setter) {
            try {
                setter.run();
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidConfigurationPropertyValueException(property, value, capitalized(ex.getMessage()) + ".");
            }
        }

        private static String print(Duration duration) {
            return DurationStyle.SIMPLE.print(duration);
        }
    }

    /**
     * db-scheduler's table, when the runner creates its own scheduler: there is no {@link Scheduler} bean.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ ClusterRunner.class, Scheduler.class, DataSourceScriptDatabaseInitializer.class })
    @ConditionalOnSingleCandidate(DataSource.class)
    @ConditionalOnMissingBean(Scheduler.class)
    @Import(DatabaseInitializationDependencyConfigurer.class)
    static class ClusterSchemaConfiguration {

        @Bean
        @ConditionalOnMissingBean
        HephaestusClusterSchemaDatabaseInitializer hephaestusClusterSchemaDatabaseInitializer(DataSource dataSource,
                HephaestusProperties properties) {
            String tableName = properties.getRunner().getCluster().getTableName();
            ClusterSchema.Platform platform;
            try {
                platform = ClusterSchema.Platform.of(dataSource);
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidConfigurationPropertyValueException(RUNNER_TYPE, CLUSTER, ex.getMessage() + ".");
            }
            try {
                ClusterSchema.script(platform, tableName);
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidConfigurationPropertyValueException(PREFIX + "table-name", tableName,
                        capitalized(ex.getMessage()) + ".");
            }
            return new HephaestusClusterSchemaDatabaseInitializer(dataSource, platform, tableName,
                    properties.getJdbc().getInitializeSchema());
        }
    }

    /**
     * {@code hephaestus.runner.type=cluster} without {@code hephaestus-cluster}: fail, naming the module.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("io.hephaestus.cluster.ClusterRunner")
    static class ClusterModuleMissingConfiguration {

        @Bean
        @ConditionalOnMissingBean(Runner.class)
        Runner hephaestusRunner() {
            throw new InvalidConfigurationPropertyValueException(RUNNER_TYPE, CLUSTER, "The cluster runner needs the "
                    + "hephaestus-cluster module, which is not on the class path: add the dependency "
                    + "io.hephaestus:hephaestus-cluster.");
        }
    }

    /**
     * Matches when {@code hephaestus.runner.type} is {@code cluster}. A value that cannot be bound
     * fails here, and {@link HephaestusPropertiesFailureAnalyzer} reports it with the valid values.
     */
    static final class ClusterRunnerTypeCondition extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            RunnerType type = Binder.get(context.getEnvironment()).bind(RUNNER_TYPE, RunnerType.class).orElse(RunnerType.LOCAL);
            String message = RUNNER_TYPE + " is " + type.name().toLowerCase(Locale.ROOT);
            return (type == RunnerType.CLUSTER) ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
        }
    }
}
