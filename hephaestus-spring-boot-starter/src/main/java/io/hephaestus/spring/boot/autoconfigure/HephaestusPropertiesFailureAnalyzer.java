package io.hephaestus.spring.boot.autoconfigure;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.core.env.Environment;

/**
 * {@link FailureAnalyzer} for an invalid Hephaestus property ({@code hephaestus.*} or
 * {@code management.health.hephaestus.enabled}) that stopped the application: a value that could
 * not be bound (an unknown {@code hephaestus.metrics.scope}, a {@code hephaestus.runner.threads}
 * that is not a number) or that the starter rejected (a non-positive duration, a
 * {@code hephaestus.workflows.current.<name>} that is not registered). The report names the
 * property, its value and where it was set, says why it was rejected and lists the valid values.
 *
 * <p>It runs before Spring Boot's own analyzers of binding failures, which do not know the valid
 * values of these properties.
 *
 * @since 0.1.0
 */
public class HephaestusPropertiesFailureAnalyzer implements FailureAnalyzer, Ordered {

    private static final String NL = System.lineSeparator();

    private static final String README = "The \"Properties\" section of the Hephaestus README lists every property"
            + " with its valid values and default.";

    private final Environment environment;

    /**
     * Create an analyzer; Spring Boot passes the application's environment.
     * @param environment the environment, to find where a rejected value was set
     */
    public HephaestusPropertiesFailureAnalyzer(Environment environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public @Nullable FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind && PropertyRules.covers(bind.getName().toString())) {
                return analyze(bind);
            }
            if (cause instanceof InvalidConfigurationPropertyValueException invalid
                    && PropertyRules.covers(invalid.getName())) {
                return analyze(invalid);
            }
        }
        return null;
    }

    private FailureAnalysis analyze(BindException bind) {
        String name = bind.getName().toString();
        ConfigurationProperty property = bind.getProperty();
        Object value = (property != null) ? property.getValue() : null;
        Origin origin = (property != null) ? property.getOrigin() : null;
        return analysis(name, value, origin, bindReason(bind), bind);
    }

    private FailureAnalysis analyze(InvalidConfigurationPropertyValueException invalid) {
        String name = invalid.getName();
        // Show the value as it was written, such as the whole list of which one element was rejected.
        ConfigurationProperty configured = find(name);
        Object value = (configured != null) ? configured.getValue() : invalid.getValue();
        Origin origin = (configured != null) ? configured.getOrigin() : null;
        String reason = invalid.getReason();
        return analysis(name, value, origin, (reason != null) ? reason : "rejected", invalid);
    }

    private static FailureAnalysis analysis(String name, @Nullable Object value, @Nullable Origin origin,
            String reason, Throwable cause) {
        String valid = PropertyRules.validValues(name).orElse(null);
        StringBuilder description = new StringBuilder("Invalid value for Hephaestus property '").append(name)
            .append("':")
            .append(NL)
            .append(NL)
            .append("    Property: ")
            .append(name)
            .append(NL);
        if (value != null) {
            description.append("    Value: \"").append(value).append('"').append(NL);
        }
        if (origin != null) {
            description.append("    Origin: ").append(origin).append(NL);
        }
        description.append("    Reason: ").append(reason);
        if (valid != null) {
            description.append(NL).append("    Valid values: ").append(valid);
        }
        String action = "Set '" + name + "' to " + ((valid != null) ? "one of the valid values above" : "a valid value")
                + ", or leave it out to use its default. " + README;
        return new FailureAnalysis(description.toString(), action, cause);
    }

    private static String bindReason(BindException bind) {
        Throwable cause = bind.getCause();
        if (cause instanceof ConversionFailedException conversion) {
            return "cannot be converted to " + conversion.getTargetType().getType().getSimpleName();
        }
        if (cause != null && cause.getMessage() != null) {
            return cause.getMessage();
        }
        return "cannot be bound to " + bind.getTarget().getType();
    }

    private @Nullable ConfigurationProperty find(String name) {
        ConfigurationPropertyName propertyName = ConfigurationPropertyName.ofIfValid(name);
        if (propertyName == null) {
            return null;
        }
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
            ConfigurationProperty property = source.getConfigurationProperty(propertyName);
            if (property != null) {
                return property;
            }
        }
        return null;
    }
}
