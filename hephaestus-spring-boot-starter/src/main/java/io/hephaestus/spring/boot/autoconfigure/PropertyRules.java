package io.hephaestus.spring.boot.autoconfigure;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.hephaestus.core.telemetry.MetricScope;
import io.hephaestus.core.telemetry.TelemetryEventType;

/**
 * The one place that knows what each Hephaestus property accepts: {@link HephaestusPropertiesFailureAnalyzer}
 * quotes it when a value is rejected, and a test checks that every property of the configuration
 * metadata and of the README's table has a rule here.
 */
final class PropertyRules {

    /** The prefix of the properties bound to {@link HephaestusProperties}. */
    static final String PREFIX = "hephaestus.";

    /** The health toggle, read by a condition only. */
    static final String HEALTH_ENABLED = "management.health.hephaestus.enabled";

    private static final String BOOLEAN = "true or false";

    /**
     * Valid values by property name. A map property's rule is keyed by the map's name and covers
     * every entry ({@code hephaestus.workflows.current.<name>}).
     */
    private static final Map<String, String> RULES = rules();

    private PropertyRules() {
    }

    private static Map<String, String> rules() {
        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("hephaestus.runner.type", values(HephaestusProperties.RunnerType.values()));
        rules.put("hephaestus.runner.name", "any text that is not blank");
        rules.put("hephaestus.runner.threads", "a whole number of at least 1");
        rules.put("hephaestus.runner.writer-threads", "a whole number of 0 or more (0 for none)");
        rules.put("hephaestus.runner.default-step-timeout",
                "a positive duration such as 30s or 5m; leave the property out for no timeout");
        rules.put("hephaestus.runner.shutdown-grace-period", "a duration of zero or more, such as 0s or 5s");
        rules.put("hephaestus.runner.max-value-size", "a positive data size such as 512KB or 1MB");
        rules.put("hephaestus.runner.cluster.node-name", "any text that is not blank, different on every node; "
                + "leave the property out for the host name and process id");
        rules.put("hephaestus.runner.cluster.threads", "a whole number of at least 1");
        rules.put("hephaestus.runner.cluster.polling-interval", "a positive duration such as 500ms or 1s");
        rules.put("hephaestus.runner.cluster.heartbeat-interval", "a positive duration such as 5s");
        rules.put("hephaestus.runner.cluster.missed-heartbeats-limit", "a whole number of at least 4");
        rules.put("hephaestus.runner.cluster.table-name", "1 to 40 lower-case letters, digits or underscores, not "
                + "starting with a digit, such as scheduled_tasks");
        rules.put("hephaestus.storage.type", values(HephaestusProperties.StorageType.values()));
        rules.put("hephaestus.storage.retention", "a duration such as 7d or 12h; 0 or a negative duration turns the "
                + "retention sweep off");
        rules.put("hephaestus.storage.retention-sweep-interval", "a positive duration such as 5m or 1h");
        rules.put("hephaestus.storage.memory.max-finished-instances", "a whole number of 0 or more");
        rules.put("hephaestus.jdbc.initialize-schema", values(HephaestusProperties.SchemaInitialization.values()));
        rules.put("hephaestus.jdbc.table-name", "[schema.]table, each part 1 to 40 lower-case letters, digits or "
                + "underscores, not starting with a digit, such as hephaestus_instance or workflows.instances");
        rules.put("hephaestus.jdbc.group-commit", "a whole number of at least 1 (1 for no grouping), such as 32");
        rules.put("hephaestus.jdbc.concurrent-groups", "a whole number of at least 1");
        rules.put("hephaestus.workflows.current", "a registered version of a registered workflow, such as "
                + "hephaestus.workflows.current.order=2");
        rules.put("hephaestus.telemetry.log.enabled", BOOLEAN);
        rules.put("hephaestus.telemetry.log.events", "a comma-separated list of telemetry event names: "
                + eventNames() + " (the 'hephaestus.' prefix may be left out)");
        rules.put("hephaestus.telemetry.log.levels", "trace, debug, info, warn, error or fatal (off is rejected) per"
                + " telemetry event name, such as hephaestus.telemetry.log.levels.step.stop=debug; event names: "
                + eventNames() + " (the 'hephaestus.' prefix may be left out)");
        rules.put("hephaestus.events.enabled", BOOLEAN);
        rules.put("hephaestus.metrics.enabled", BOOLEAN);
        rules.put("hephaestus.tracing.enabled", BOOLEAN);
        rules.put("hephaestus.metrics.scope", values(MetricScope.values()));
        rules.put("hephaestus.metrics.slo",
                "a comma-separated list of positive durations such as 10ms,100ms,1s; empty for no buckets");
        rules.put(HEALTH_ENABLED, BOOLEAN);
        return Collections.unmodifiableMap(rules);
    }

    /**
     * Return whether a property is one of the starter's, so that its failures are analyzed here.
     * @param property a property name, such as {@code hephaestus.metrics.scope}
     * @return {@code true} for {@code hephaestus.*} and the health toggle
     */
    static boolean covers(String property) {
        return property.startsWith(PREFIX) || property.equals(HEALTH_ENABLED);
    }

    /**
     * Return what a property accepts.
     * @param property a property name; an entry of a map property or an element of a list
     * property ({@code hephaestus.metrics.slo[1]}) gets the rule of the map or list
     * @return the valid values, or empty for a property this class does not know
     */
    static Optional<String> validValues(String property) {
        String name = property.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> rule : RULES.entrySet()) {
            String key = rule.getKey();
            if (name.equals(key) || name.startsWith(key + ".") || name.startsWith(key + "[")) {
                return Optional.of(rule.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * Return every property name that has a rule.
     * @return the names, such as {@code hephaestus.metrics.scope}
     */
    static Iterable<String> properties() {
        return RULES.keySet();
    }

    /**
     * Return the values of an enum as they are written in a property: lower case, with dashes.
     */
    static String values(Enum<?>[] constants) {
        return Arrays.stream(constants)
            .map((constant) -> constant.name().toLowerCase(Locale.ROOT).replace('_', '-'))
            .collect(Collectors.joining(", "));
    }

    private static String eventNames() {
        return Arrays.stream(TelemetryEventType.values())
            .map(TelemetryEventType::eventName)
            .collect(Collectors.joining(", "));
    }
}
