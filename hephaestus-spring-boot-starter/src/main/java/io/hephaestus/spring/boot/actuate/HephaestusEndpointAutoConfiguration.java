package io.hephaestus.spring.boot.actuate;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.hephaestus.core.runtime.Runner;
import io.hephaestus.spring.boot.autoconfigure.HephaestusAutoConfiguration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * {@link WorkflowsEndpoint} and, when it is exposed over HTTP, its
 * {@link WorkflowsEndpointWebExtension}: present when the {@code workflows} endpoint is available (its access is
 * not {@code none} and it is exposed, for example with
 * {@code management.endpoints.web.exposure.include=workflows}).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = HephaestusAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnAvailableEndpoint(WorkflowsEndpoint.class)
@ConditionalOnBean(Runner.class)
@EnableConfigurationProperties(WorkflowsEndpointProperties.class)
public final class HephaestusEndpointAutoConfiguration {

    HephaestusEndpointAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    WorkflowsEndpoint workflowsEndpoint(Runner runner, WorkflowsEndpointProperties properties) {
        return new WorkflowsEndpoint(runner, properties.getShowValues(), properties.getRoles());
    }

    @Bean
    @ConditionalOnBean(WorkflowsEndpoint.class)
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
    WorkflowsEndpointWebExtension workflowsEndpointWebExtension(WorkflowsEndpoint endpoint) {
        return new WorkflowsEndpointWebExtension(endpoint);
    }
}
