package io.hephaestus.spring.boot.actuate;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for {@link WorkflowsEndpoint}, bound from
 * {@code management.endpoint.workflows.*}.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("management.endpoint.workflows")
public class WorkflowsEndpointProperties {

    /**
     * When to show unmasked context values: initial data, step results, step configs and metadata.
     */
    private Show showValues = Show.NEVER;

    /**
     * Roles used to determine whether a user is authorized to see unmasked context values. When
     * empty, all authenticated users are authorized.
     */
    private final Set<String> roles = new LinkedHashSet<>();

    public Show getShowValues() {
        return this.showValues;
    }

    public void setShowValues(Show showValues) {
        this.showValues = showValues;
    }

    public Set<String> getRoles() {
        return this.roles;
    }
}
