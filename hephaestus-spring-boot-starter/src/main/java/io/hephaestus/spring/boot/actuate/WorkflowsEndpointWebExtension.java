package io.hephaestus.spring.boot.actuate;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} for the {@link WorkflowsEndpoint}: over HTTP,
 * the read operations that can fail answer an {@link WorkflowsEndpoint.ErrorDescriptor} body
 * ({@code status}, {@code error}, {@code message}) that says what was wrong, instead of an empty
 * 400 or 404.
 *
 * <ul>
 * <li>{@code GET /workflows/{name}}: 400 for an unknown {@code status} or a {@code limit} that is
 * not a whole number from 1 to {@value WorkflowsEndpoint#MAX_LIMIT}; 404 for an unknown
 * workflow.</li>
 * <li>{@code GET /workflows/{name}/{id}}: 400 for an id or business value that is not acceptable;
 * 404 for an unknown workflow or instance.</li>
 * </ul>
 *
 * <p>The write operations of the endpoint already answer such bodies and are used as they are.
 *
 * @since 0.1.0
 */
@EndpointWebExtension(endpoint = WorkflowsEndpoint.class)
public final class WorkflowsEndpointWebExtension {

    private final WorkflowsEndpoint endpoint;

    /**
     * Create an extension of the given endpoint.
     * @param endpoint the endpoint
     */
    public WorkflowsEndpointWebExtension(WorkflowsEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /**
     * Return one workflow with its versions, instance counts and newest instances.
     * @param name the workflow name
     * @param status the statuses to list, comma-separated, or {@code null} for all
     * @param limit the maximum number of instances to list, from 1 to
     * {@value WorkflowsEndpoint#MAX_LIMIT}, or {@code null} for {@value WorkflowsEndpoint#DEFAULT_LIMIT}
     * @return the workflow (200), or an error with 400 or 404
     */
    @ReadOperation
    public WebEndpointResponse<OperationResponseBody> workflow(@Selector String name, @Nullable String status,
            @Nullable String limit) {
        return this.endpoint.workflowResponse(name, status, limit);
    }

    /**
     * Return the newest run of one instance.
     * @param securityContext the caller, to decide whether context values are shown
     * @param name the workflow name
     * @param id the business id, or only its value
     * @return the instance (200), or an error with 400 or 404
     */
    @ReadOperation
    public WebEndpointResponse<OperationResponseBody> instance(SecurityContext securityContext, @Selector String name,
            @Selector String id) {
        return this.endpoint.instanceResponse(securityContext, name, id);
    }
}
