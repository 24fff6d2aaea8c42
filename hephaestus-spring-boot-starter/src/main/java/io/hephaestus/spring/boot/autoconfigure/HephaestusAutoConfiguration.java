package io.hephaestus.spring.boot.autoconfigure;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.logging.LogLevel;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.slf4j.event.Level;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.runtime.InMemoryStorage;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.Storage;
import io.hephaestus.core.telemetry.LogTelemetryListener;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.core.telemetry.TelemetryListener;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * Hephaestus: a {@link WorkflowRegistry} of every {@link Workflow} bean, an in-memory
 * {@link Storage}, a {@link Telemetry} dispatcher with every {@link TelemetryListener} bean attached
 * (under its bean name), the built-in log listener, and a {@link LocalRunner}.
 *
 * <p>Every bean backs off when the application defines its own.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@EnableConfigurationProperties(HephaestusProperties.class)
public final class HephaestusAutoConfiguration {

    HephaestusAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    WorkflowRegistry hephaestusWorkflowRegistry(ObjectProvider<Workflow> workflows, HephaestusProperties properties) {
        WorkflowRegistry.Builder builder = WorkflowRegistry.builder();
        workflows.orderedStream().forEach(builder::register);
        properties.getWorkflows().getCurrent().forEach(builder::current);
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    InMemoryStorage hephaestusStorage() {
        return new InMemoryStorage();
    }

    @Bean
    @ConditionalOnMissingBean
    Telemetry hephaestusTelemetry(Map<String, TelemetryListener> listeners) {
        Telemetry telemetry = Telemetry.create();
        listeners.forEach((name, listener) -> {
            if (listener instanceof LogTelemetryListener log) {
                log.attachTo(telemetry);
            }
            else {
                telemetry.attach(name, listener);
            }
        });
        return telemetry;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(io.hephaestus.core.runtime.Runner.class)
    LocalRunner hephaestusRunner(WorkflowRegistry registry, Storage storage, Telemetry telemetry,
            HephaestusProperties properties, ObjectProvider<HephaestusRunnerCustomizer> customizers) {
        HephaestusProperties.Runner runner = properties.getRunner();
        LocalRunner.Builder builder = LocalRunner.builder(registry).name(runner.getName()).storage(storage)
            .telemetry(telemetry).threads(runner.getThreads());
        if (runner.getDefaultStepTimeout() != null) {
            builder.defaultStepTimeout(runner.getDefaultStepTimeout());
        }
        customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
        return builder.build();
    }

    /**
     * The built-in log listener, on unless {@code hephaestus.telemetry.log.enabled=false}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "hephaestus.telemetry.log.enabled", matchIfMissing = true)
    static class LogListenerConfiguration {

        @Bean
        @ConditionalOnMissingBean
        LogTelemetryListener hephaestusLogTelemetryListener(HephaestusProperties properties) {
            HephaestusProperties.Log log = properties.getTelemetry().getLog();
            LogTelemetryListener.Builder builder = LogTelemetryListener.builder();
            if (!log.getEvents().isEmpty()) {
                Set<TelemetryEventType> events = EnumSet.noneOf(TelemetryEventType.class);
                log.getEvents().forEach((name) -> events.add(eventType(name)));
                builder.events(events);
            }
            log.getLevels().forEach((name, level) -> builder.level(eventType(name), slf4jLevel(name, level)));
            return builder.build();
        }

        private static TelemetryEventType eventType(String name) {
            String normalized = name.trim().toLowerCase(Locale.ROOT);
            String full = normalized.startsWith("hephaestus.") ? normalized : "hephaestus." + normalized;
            return TelemetryEventType.fromEventName(full)
                .orElseThrow(() -> new IllegalArgumentException("unknown telemetry event '" + name
                        + "' in hephaestus.telemetry.log; expected one of " + eventNames()));
        }

        private static Level slf4jLevel(String event, LogLevel level) {
            return switch (level) {
                case TRACE -> Level.TRACE;
                case DEBUG -> Level.DEBUG;
                case INFO -> Level.INFO;
                case WARN -> Level.WARN;
                case ERROR, FATAL -> Level.ERROR;
                case OFF -> throw new IllegalArgumentException("hephaestus.telemetry.log.levels." + event
                        + " cannot be OFF; leave the event out of hephaestus.telemetry.log.events instead");
            };
        }

        private static String eventNames() {
            StringBuilder names = new StringBuilder();
            for (TelemetryEventType type : TelemetryEventType.values()) {
                names.append(names.length() == 0 ? "" : ", ").append(type.eventName());
            }
            return names.toString();
        }
    }
}
