package io.hephaestus.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.logging.LogLevel;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.runtime.InMemoryStorage;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.Runner;
import io.hephaestus.core.runtime.StepInterceptor;
import io.hephaestus.core.runtime.Storage;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.telemetry.LogTelemetryListener;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.core.telemetry.TelemetryListener;
import io.hephaestus.spring.boot.autoconfigure.HephaestusProperties.StorageType;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * Hephaestus: a {@link WorkflowRegistry} of every {@link Workflow} bean, an in-memory
 * {@link Storage} unless {@link HephaestusJdbcAutoConfiguration} configured a durable one, a
 * {@link Telemetry} dispatcher with every {@link TelemetryListener} bean attached
 * (under its bean name; the built-in log listener under {@link LogTelemetryListener#DEFAULT_ID}),
 * the built-in log listener, and a {@link LocalRunner} that is closed with the context (wrapping its
 * steps in the {@link StepInterceptor} beans, in order).
 *
 * <p>Every bean backs off when the application defines its own. A dispatcher or registry defined
 * by the application is used as it is: the listener and workflow beans are not added to it.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@EnableConfigurationProperties(HephaestusProperties.class)
public final class HephaestusAutoConfiguration {

    private static final Logger logger = LoggerFactory.getLogger(HephaestusAutoConfiguration.class);

    private static final String STORAGE_TYPE = "hephaestus.storage.type";

    private static final String JDBC_STORAGE = "io.hephaestus.jdbc.JdbcStorage";

    HephaestusAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    WorkflowRegistry hephaestusWorkflowRegistry(ObjectProvider<Workflow> workflows, ObjectProvider<Step> steps,
            HephaestusProperties properties) {
        WorkflowRegistry.Builder builder = WorkflowRegistry.builder();
        Map<String, Set<Integer>> versions = new LinkedHashMap<>();
        workflows.orderedStream().forEach((workflow) -> {
            builder.register(workflow);
            versions.computeIfAbsent(workflow.name(), (name) -> new TreeSet<>()).add(workflow.version());
        });
        properties.getWorkflows().getCurrent().forEach((name, version) -> {
            requireRegistered(versions, name, version);
            builder.current(name, version);
        });
        // A name and version defined twice throws a WorkflowDefinitionException, which
        // WorkflowDefinitionFailureAnalyzer reports.
        WorkflowRegistry registry = builder.build();
        warnAboutUnusedSteps(registry, steps);
        return registry;
    }

    private static void requireRegistered(Map<String, Set<Integer>> versions, String name, int version) {
        String property = "hephaestus.workflows.current." + name;
        Set<Integer> registered = versions.get(name);
        if (registered == null) {
            throw new InvalidConfigurationPropertyValueException(property, version,
                    "No workflow named '" + name + "' is registered; registered workflows and versions: "
                            + versions + ".");
        }
        if (!registered.contains(version)) {
            throw new InvalidConfigurationPropertyValueException(property, version, "Version " + version
                    + " of workflow '" + name + "' is not registered; registered versions: " + registered + ".");
        }
    }

    /**
     * Step beans only run when a workflow refers to them; one that no workflow uses is most likely a
     * wiring mistake (a workflow built with a new instance instead of the bean, or a missing
     * transition), so say so at start-up.
     */
    private static void warnAboutUnusedSteps(WorkflowRegistry registry, ObjectProvider<Step> steps) {
        Set<Step> used = Collections.newSetFromMap(new IdentityHashMap<>());
        registry.all().forEach((workflow) -> used.addAll(workflow.steps().values()));
        steps.orderedStream().filter((step) -> !used.contains(step)).forEach((step) -> logger.warn(
                "Step bean {} (key '{}') is not used by any registered workflow; workflows: {}", step.name(),
                step.key(), registry.names()));
    }

    @Bean
    @ConditionalOnMissingBean(Storage.class)
    InMemoryStorage hephaestusStorage(HephaestusProperties properties, ConfigurableListableBeanFactory beanFactory) {
        HephaestusProperties.Storage storage = properties.getStorage();
        if (storage.getType() == StorageType.JDBC) {
            // HephaestusJdbcAutoConfiguration did not create a JDBC storage: say what it lacks.
            throw new InvalidConfigurationPropertyValueException(STORAGE_TYPE, "jdbc", jdbcUnavailable(beanFactory));
        }
        int maxFinished = storage.getMemory().getMaxFinishedInstances();
        if (maxFinished < 0) {
            throw new InvalidConfigurationPropertyValueException("hephaestus.storage.memory.max-finished-instances",
                    maxFinished, "The number of finished instances kept must not be negative.");
        }
        return InMemoryStorage.builder().maxFinishedInstances(maxFinished).build();
    }

    /**
     * Return why no JDBC storage could be configured.
     */
    private static String jdbcUnavailable(ConfigurableListableBeanFactory beanFactory) {
        if (!ClassUtils.isPresent(JDBC_STORAGE, beanFactory.getBeanClassLoader())) {
            return "JDBC storage needs the hephaestus-jdbc module, which is not on the class path: add the "
                    + "dependency io.hephaestus:hephaestus-jdbc.";
        }
        String[] dataSources = beanFactory.getBeanNamesForType(DataSource.class, true, false);
        if (dataSources.length == 0) {
            return "JDBC storage needs a DataSource bean and there is none: add spring-boot-starter-jdbc and a JDBC "
                    + "driver (PostgreSQL or H2) and set spring.datasource.url, or define a DataSource bean.";
        }
        if (dataSources.length == 1) {
            return "JDBC storage was not configured although there is a DataSource bean (" + dataSources[0]
                    + "): is HephaestusJdbcAutoConfiguration excluded?";
        }
        return "JDBC storage needs a single DataSource bean, or one marked @Primary; there are " + dataSources.length
                + ": " + String.join(", ", dataSources) + ".";
    }

    @Bean
    @ConditionalOnMissingBean
    Telemetry hephaestusTelemetry(Map<String, TelemetryListener> listeners) {
        Telemetry telemetry = Telemetry.create();
        listeners.forEach((name, listener) -> {
            // The first log listener takes the documented id, so that it can be detached by it;
            // any other keeps its bean name and its event types.
            if (listener instanceof LogTelemetryListener log) {
                if (telemetry.listenerIds().contains(LogTelemetryListener.DEFAULT_ID)) {
                    telemetry.attach(name, log);
                }
                else {
                    log.attachTo(telemetry);
                }
            }
            else if (!listener.eventTypes().isEmpty()) {
                // Each listener gets only the event types it declares, so no other event is built for it.
                telemetry.attach(name, listener);
            }
        });
        return telemetry;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(Runner.class)
    LocalRunner hephaestusRunner(WorkflowRegistry registry, Storage storage, Telemetry telemetry,
            HephaestusProperties properties, ObjectProvider<HephaestusRunnerCustomizer> customizers,
            ObjectProvider<StepInterceptor> interceptors) {
        HephaestusProperties.Runner runner = properties.getRunner();
        LocalRunner.Builder builder = LocalRunner.builder(registry)
            .name(runnerName(runner.getName()))
            .storage(storage)
            .telemetry(telemetry)
            .threads(threads(runner.getThreads()))
            .writerThreads(writerThreads(runner.getWriterThreads(), properties.getJdbc()))
            .shutdownGracePeriod(shutdownGracePeriod(runner.getShutdownGracePeriod()))
            .maxValueSize(maxValueSize(runner.getMaxValueSize()))
            .retention(properties.getStorage().getRetention())
            .retentionSweepInterval(retentionSweepInterval(properties.getStorage().getRetentionSweepInterval()));
        Duration timeout = runner.getDefaultStepTimeout();
        if (timeout != null) {
            builder.defaultStepTimeout(defaultStepTimeout(timeout));
        }
        List<StepInterceptor> stepInterceptors = interceptors.orderedStream().toList();
        if (!stepInterceptors.isEmpty()) {
            builder.stepInterceptor(StepInterceptor.composite(stepInterceptors));
        }
        customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
        return builder.build();
    }

    private static String runnerName(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidConfigurationPropertyValueException("hephaestus.runner.name", name,
                    "The runner name must not be blank.");
        }
        return name;
    }

    private static int threads(int threads) {
        if (threads < 1) {
            throw new InvalidConfigurationPropertyValueException("hephaestus.runner.threads", threads,
                    "The runner needs at least one thread.");
        }
        return threads;
    }

    /**
     * Return the writer threads: as set, or, when unset, enough to fill the JDBC storage's groups when
     * it groups commits (grouping pays only with writers), else none.
     */
    private static int writerThreads(@Nullable Integer writerThreads, HephaestusProperties.Jdbc jdbc) {
        if (writerThreads == null) {
            return (jdbc.getGroupCommit() > 1) ? jdbc.getGroupCommit() * Math.max(1, jdbc.getConcurrentGroups()) : 0;
        }
        if (writerThreads < 0) {
            throw new InvalidConfigurationPropertyValueException("hephaestus.runner.writer-threads", writerThreads,
                    "The number of writer threads must not be negative (0 for none).");
        }
        return writerThreads;
    }

    private static Duration shutdownGracePeriod(Duration gracePeriod) {
        if (gracePeriod.isNegative()) {
            throw new InvalidConfigurationPropertyValueException("hephaestus.runner.shutdown-grace-period",
                    DurationStyle.SIMPLE.print(gracePeriod),
                    "The grace period must not be negative.");
        }
        return gracePeriod;
    }

    private static long maxValueSize(DataSize size) {
        if (size.toBytes() < 1) {
            throw new InvalidConfigurationPropertyValueException("hephaestus.runner.max-value-size", size,
                    "The maximum value size must be positive.");
        }
        return size.toBytes();
    }

    static Duration retentionSweepInterval(Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            throw new InvalidConfigurationPropertyValueException("hephaestus.storage.retention-sweep-interval",
                    DurationStyle.SIMPLE.print(interval),
                    "The interval must be positive; set hephaestus.storage.retention to 0 to turn the sweep off.");
        }
        return interval;
    }

    private static Duration defaultStepTimeout(Duration timeout) {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new InvalidConfigurationPropertyValueException("hephaestus.runner.default-step-timeout",
                    DurationStyle.SIMPLE.print(timeout),
                    "The timeout must be positive; leave the property out for no timeout.");
        }
        return timeout;
    }

    /**
     * The built-in log listener, on unless {@code hephaestus.telemetry.log.enabled=false}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "hephaestus.telemetry.log.enabled", matchIfMissing = true)
    static class LogListenerConfiguration {

        private static final String EVENTS = "hephaestus.telemetry.log.events";

        private static final String LEVELS = "hephaestus.telemetry.log.levels";

        @Bean
        @ConditionalOnMissingBean
        LogTelemetryListener hephaestusLogTelemetryListener(HephaestusProperties properties) {
            HephaestusProperties.Log log = properties.getTelemetry().getLog();
            LogTelemetryListener.Builder builder = LogTelemetryListener.builder();
            if (!log.getEvents().isEmpty()) {
                Set<TelemetryEventType> events = EnumSet.noneOf(TelemetryEventType.class);
                log.getEvents().forEach((name) -> events.add(eventType(EVENTS, name)));
                builder.events(events);
            }
            log.getLevels().forEach((name, level) -> builder.level(eventType(LEVELS, name), slf4jLevel(name, level)));
            return builder.build();
        }

        /**
         * Return the event type of a full ({@code hephaestus.step.stop}) or short
         * ({@code step.stop}) event name.
         */
        private static TelemetryEventType eventType(String property, String name) {
            String normalized = name.trim().toLowerCase(Locale.ROOT);
            String full = normalized.startsWith("hephaestus.") ? normalized : "hephaestus." + normalized;
            return TelemetryEventType.fromEventName(full)
                .orElseThrow(() -> new InvalidConfigurationPropertyValueException(property, name,
                        "Unknown telemetry event '" + name + "'. Valid names are " + eventNames()
                                + " (the 'hephaestus.' prefix may be left out)."));
        }

        private static Level slf4jLevel(String event, LogLevel level) {
            return switch (level) {
                case TRACE -> Level.TRACE;
                case DEBUG -> Level.DEBUG;
                case INFO -> Level.INFO;
                case WARN -> Level.WARN;
                case ERROR, FATAL -> Level.ERROR;
                case OFF -> throw new InvalidConfigurationPropertyValueException(LEVELS + "." + event, level,
                        "An event cannot be logged at level OFF; leave it out of " + EVENTS + " instead.");
            };
        }

        private static String eventNames() {
            return Arrays.stream(TelemetryEventType.values())
                .map(TelemetryEventType::eventName)
                .collect(Collectors.joining(", "));
        }
    }
}
