package io.hephaestus.spring.boot.actuate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import io.hephaestus.core.InvalidValueException;
import io.hephaestus.core.definition.BusinessKey;
import io.hephaestus.core.definition.Transition;
import io.hephaestus.core.definition.UnknownWorkflowException;
import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.InstanceStateException;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.InstanceNotFoundException;
import io.hephaestus.core.runtime.InstanceQuery;
import io.hephaestus.core.runtime.ResumeRequest;
import io.hephaestus.core.runtime.ResumeResult;
import io.hephaestus.core.runtime.Runner;
import io.hephaestus.core.steps.Step;

/**
 * {@link Endpoint @Endpoint} that shows the workflows of a Hephaestus {@link Runner}, their
 * instances, and lets an operator resume or cancel an instance.
 *
 * <table>
 * <caption>Operations (paths relative to the actuator base path)</caption>
 * <tr><th>Request</th><th>Answer</th></tr>
 * <tr><td>{@code GET /workflows}</td><td>200: every workflow: name, current version, instance counts
 * per status, and every version's business key, start step, steps, transitions and Mermaid
 * graph</td></tr>
 * <tr><td>{@code GET /workflows/{name}?status=waiting,failed&limit=50}</td><td>200: one workflow as
 * above, plus its newest instances (summaries), optionally filtered by status (comma-separated)
 * and cut at {@code limit} (default {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT}); 400 for an
 * unknown status or a limit that is not a whole number from 1 to {@value #MAX_LIMIT}; 404 for an
 * unknown workflow</td></tr>
 * <tr><td>{@code GET /workflows/{name}/{id}}</td><td>200: the newest run of one instance: status,
 * steps, timers, queued events, failures (with stack traces), history and context; 400 for an id
 * or business value that is not acceptable; 404 for an unknown workflow or instance</td></tr>
 * <tr><td>{@code POST /workflows/{name}/{id}} with {@code {"event": "...", "step": "..."}}</td><td>200:
 * resume an instance with an event ({@code step} is optional: it picks the step when several could
 * accept the event) and answer {@code {"queued": false, "event": "...", "instance": {...}}}; when no
 * step waits for the event yet but one that has not run yet takes it, the event is kept with the
 * instance and delivered once that step waits ({@code "queued": true}); 400 for a missing or blank
 * event or an id that is not acceptable; 404 for an unknown workflow or instance; 409 when the
 * instance is already completed, failed or cancelled, or no remaining step accepts the event (a
 * timer's own event included); 503 once the runner is closed</td></tr>
 * <tr><td>{@code DELETE /workflows/{name}/{id}}</td><td>200: cancel an active instance and answer it;
 * 400 for an id that is not acceptable; 404 for an unknown workflow or instance; 409 when it is
 * already completed, failed or cancelled; 503 once the runner is closed</td></tr>
 * </table>
 *
 * <p>{@code {id}} is the business id ({@code orderid::42}); the business value alone ({@code 42})
 * works too, and is completed with the workflow's business key. Every 4xx and 503 over HTTP has an
 * {@link ErrorDescriptor} body: {@code status}, {@code error} and {@code message}, which says what
 * was wrong (the read operations get theirs from {@link WorkflowsEndpointWebExtension}; called
 * directly, they return {@code null} for 404 and throw {@link InvalidEndpointRequestException} for
 * 400).
 *
 * <p>The endpoint's default access is read-only: the {@code POST} and {@code DELETE} operations are
 * only mapped with {@code management.endpoint.workflows.access=unrestricted}.
 *
 * <p>Context values (initial data, step results, the context updates in the history, step configs,
 * runtime and telemetry metadata) are replaced with {@value #MASK} unless {@code show-values} allows
 * them ({@code management.endpoint.workflows.show-values}: {@link Show#NEVER never}, the default,
 * {@link Show#WHEN_AUTHORIZED when-authorized} with {@code management.endpoint.workflows.roles}, or
 * {@link Show#ALWAYS always}). Keys are always shown.
 *
 * @since 0.1.0
 */
@Endpoint(id = "workflows", defaultAccess = Access.READ_ONLY)
public final class WorkflowsEndpoint {

    /** The number of instances {@code GET /workflows/{name}} lists when no limit is given. */
    public static final int DEFAULT_LIMIT = 20;

    /** The largest limit {@code GET /workflows/{name}} accepts. */
    public static final int MAX_LIMIT = 1000;

    /** What a masked value is replaced with. */
    public static final String MASK = "******";

    private static final int STATUS_CONFLICT = 409;

    private final Runner runner;

    private final Show showValues;

    private final Set<String> roles;

    /**
     * Create an endpoint for the given runner.
     * @param runner the runner whose workflows and instances to show
     * @param showValues when to show context values unmasked
     * @param roles the roles that may see context values under {@link Show#WHEN_AUTHORIZED}; empty
     * means every authenticated user
     */
    public WorkflowsEndpoint(Runner runner, Show showValues, Set<String> roles) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.showValues = Objects.requireNonNull(showValues, "showValues");
        this.roles = Set.copyOf(roles);
    }

    /**
     * Return every registered workflow with its versions and instance counts.
     * @return the workflows, in registration order
     */
    @ReadOperation
    public WorkflowsDescriptor workflows() {
        WorkflowRegistry registry = this.runner.registry();
        Map<String, WorkflowDescriptor> workflows = new LinkedHashMap<>();
        for (String name : registry.names()) {
            workflows.put(name, new WorkflowDescriptor(name, registry.currentVersion(name), counts(name),
                    versions(registry, name)));
        }
        return new WorkflowsDescriptor(workflows);
    }

    /**
     * Return one workflow with its versions, instance counts and newest instances.
     * @param name the workflow name
     * @param status the statuses to list, comma-separated, or {@code null} for all
     * @param limit the maximum number of instances to list, or {@code null} for
     * {@value #DEFAULT_LIMIT}
     * @return the workflow, or {@code null} (HTTP 404) if none has that name
     * @throws InvalidEndpointRequestException (HTTP 400) for an unknown status or a limit out of range
     */
    @ReadOperation
    public @Nullable WorkflowDetailsDescriptor workflow(@Selector String name, @Nullable String status,
            @Nullable Integer limit) {
        WorkflowRegistry registry = this.runner.registry();
        if (!registry.contains(name)) {
            return null;
        }
        InstanceQuery query = InstanceQuery.all().workflow(name).statuses(statuses(status)).limit(limit(limit));
        List<InstanceSummaryDescriptor> instances = new ArrayList<>();
        this.runner.list(query).forEach((instance) -> instances.add(InstanceSummaryDescriptor.of(instance)));
        return new WorkflowDetailsDescriptor(name, registry.currentVersion(name), counts(name),
                versions(registry, name), instances);
    }

    /**
     * Return the newest run of one instance.
     * @param securityContext the caller, to decide whether context values are shown
     * @param name the workflow name
     * @param id the business id, or only its value
     * @return the instance, or {@code null} (HTTP 404) if there is none
     * @throws InvalidEndpointRequestException (HTTP 400) if the id or business value is not
     * acceptable
     */
    @ReadOperation
    public @Nullable InstanceDescriptor instance(SecurityContext securityContext, @Selector String name,
            @Selector String id) {
        if (!this.runner.registry().contains(name)) {
            return null;
        }
        String resolved;
        try {
            resolved = resolveId(name, id);
        }
        catch (InvalidValueException ex) {
            throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
        }
        return this.runner.get(name, resolved)
            .map((instance) -> InstanceDescriptor.of(instance, showValues(securityContext)))
            .orElse(null);
    }

    /**
     * Resume an instance with an external event: deliver it to a waiting step, or queue it with the
     * instance when a step that takes it has not started waiting yet.
     * @param securityContext the caller, to decide whether context values are shown
     * @param name the workflow name
     * @param id the business id, or only its value
     * @param event the event; a waiting step must accept it; {@code null} is answered with 400
     * @param step the key of the waiting step to resume, or {@code null} for the only one that
     * accepts the event
     * @return a {@link ResumeDescriptor} (200): whether the event was delivered to a waiting step
     * or queued until a step that takes it waits, and the instance; or an {@link ErrorDescriptor}
     * with 400, 404, 409 or 503
     */
    @WriteOperation
    public WebEndpointResponse<OperationResponseBody> resume(SecurityContext securityContext, @Selector String name,
            @Selector String id, @Nullable String event, @Nullable String step) {
        if (event == null) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST,
                    "event is required: send a JSON body such as {\"event\": \"approved\"}");
        }
        if (event.isBlank()) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, "event must not be blank");
        }
        return apply(() -> {
            ResumeRequest request = ResumeRequest.of(name, resolveId(name, id), event);
            ResumeRequest resume = (step != null && !step.isBlank()) ? request.step(step) : request;
            return ResumeDescriptor.of(this.runner.resume(resume), event, showValues(securityContext));
        });
    }

    /**
     * Cancel an active instance.
     * @param securityContext the caller, to decide whether context values are shown
     * @param name the workflow name
     * @param id the business id, or only its value
     * @return the cancelled instance (200), or an {@link ErrorDescriptor} with 404, 409 or 503
     */
    @DeleteOperation
    public WebEndpointResponse<OperationResponseBody> cancel(SecurityContext securityContext, @Selector String name,
            @Selector String id) {
        return apply(() -> InstanceDescriptor.of(this.runner.cancel(name, resolveId(name, id)),
                showValues(securityContext)));
    }

    private WebEndpointResponse<OperationResponseBody> apply(Supplier<OperationResponseBody> operation) {
        if (!this.runner.isAccepting()) {
            return closed();
        }
        try {
            return new WebEndpointResponse<>(operation.get());
        }
        catch (InstanceNotFoundException | UnknownWorkflowException ex) {
            return error(WebEndpointResponse.STATUS_NOT_FOUND, ex.getMessage());
        }
        catch (InstanceStateException ex) {
            return error(STATUS_CONFLICT, ex.getMessage());
        }
        catch (InvalidValueException ex) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, ex.getMessage());
        }
        catch (IllegalStateException ex) {
            // The runner was closed between the check above and the operation.
            if (!this.runner.isAccepting()) {
                return closed();
            }
            throw ex;
        }
    }

    private WebEndpointResponse<OperationResponseBody> closed() {
        return error(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE,
                "runner '" + this.runner.name() + "' is closed and accepts no more work");
    }

    static WebEndpointResponse<OperationResponseBody> error(int status, @Nullable String message) {
        return new WebEndpointResponse<>(ErrorDescriptor.of(status, (message != null) ? message : ""), status);
    }

    private boolean showValues(SecurityContext securityContext) {
        return this.showValues.isShown(securityContext, this.roles);
    }

    /**
     * Complete a bare business value with the workflow's business key: the current version's key
     * first, then the keys of older versions, so an instance started before the key changed is
     * still found.
     * @throws InvalidValueException if the id or the business value is not acceptable
     */
    private String resolveId(String name, String id) {
        WorkflowRegistry registry = this.runner.registry();
        if (id.contains(BusinessKey.SEPARATOR)) {
            BusinessKey.requireValidValue(BusinessKey.valueOf(id));
            return id;
        }
        BusinessKey.requireValidValue(id);
        if (!registry.contains(name)) {
            return id;
        }
        Set<String> candidates = new LinkedHashSet<>();
        candidates.add(registry.get(name).businessKey().key() + BusinessKey.SEPARATOR + id);
        registry.versions(name)
            .forEach((workflow) -> candidates.add(workflow.businessKey().key() + BusinessKey.SEPARATOR + id));
        for (String candidate : candidates) {
            if (this.runner.get(name, candidate).isPresent()) {
                return candidate;
            }
        }
        return candidates.iterator().next();
    }

    private Map<String, Long> counts(String name) {
        Map<Status, Long> counts = this.runner.storage().countByStatus(name);
        Map<String, Long> byValue = new LinkedHashMap<>();
        for (Status status : Status.values()) {
            byValue.put(status.value(), counts.getOrDefault(status, 0L));
        }
        return byValue;
    }

    private static List<VersionDescriptor> versions(WorkflowRegistry registry, String name) {
        List<VersionDescriptor> versions = new ArrayList<>();
        registry.versions(name).forEach((workflow) -> versions.add(VersionDescriptor.of(workflow)));
        return versions;
    }

    private static Set<Status> statuses(@Nullable String status) {
        if (status == null || status.isBlank()) {
            return Set.of();
        }
        Set<Status> statuses = EnumSet.noneOf(Status.class);
        for (String value : status.split(",")) {
            try {
                statuses.add(Status.parse(value));
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
            }
        }
        return statuses;
    }

    private static int limit(@Nullable Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            String message = "limit must be between 1 and " + MAX_LIMIT + ", got " + limit;
            throw new InvalidEndpointRequestException(message, message);
        }
        return limit;
    }

    /**
     * Return the limit a query parameter asks for.
     * @param limit the parameter as sent, or {@code null} if there is none
     * @return the limit, or {@code null} for the default
     * @throws InvalidEndpointRequestException if it is not a whole number between 1 and
     * {@value #MAX_LIMIT}
     */
    static @Nullable Integer parseLimit(@Nullable String limit) {
        if (limit == null || limit.isBlank()) {
            return null;
        }
        try {
            return limit(Integer.valueOf(limit.trim()));
        }
        catch (NumberFormatException ex) {
            String message = "limit must be a whole number between 1 and " + MAX_LIMIT + ", got '" + limit + "'";
            throw new InvalidEndpointRequestException(message, message);
        }
    }

    /**
     * Answer {@code GET /workflows/{name}} over HTTP: as {@link #workflow(String, String, Integer)},
     * with an {@link ErrorDescriptor} for an unknown workflow (404) or a bad query parameter (400).
     */
    WebEndpointResponse<OperationResponseBody> workflowResponse(String name, @Nullable String status,
            @Nullable String limit) {
        try {
            WorkflowDetailsDescriptor workflow = workflow(name, status, parseLimit(limit));
            return (workflow != null) ? new WebEndpointResponse<>(workflow)
                    : error(WebEndpointResponse.STATUS_NOT_FOUND, unknownWorkflow(name));
        }
        catch (InvalidEndpointRequestException ex) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, ex.getReason());
        }
    }

    /**
     * Answer {@code GET /workflows/{name}/{id}} over HTTP: as
     * {@link #instance(SecurityContext, String, String)}, with an {@link ErrorDescriptor} for an
     * unknown workflow or instance (404) or an unacceptable id (400).
     */
    WebEndpointResponse<OperationResponseBody> instanceResponse(SecurityContext securityContext, String name,
            String id) {
        if (!this.runner.registry().contains(name)) {
            return error(WebEndpointResponse.STATUS_NOT_FOUND, unknownWorkflow(name));
        }
        try {
            String resolved = resolveId(name, id);
            return this.runner.get(name, resolved)
                .<WebEndpointResponse<OperationResponseBody>>map((instance) -> new WebEndpointResponse<>(
                        InstanceDescriptor.of(instance, showValues(securityContext))))
                .orElseGet(() -> error(WebEndpointResponse.STATUS_NOT_FOUND,
                        "no instance of workflow '" + name + "' has id " + resolved));
        }
        catch (InvalidValueException ex) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, ex.getMessage());
        }
    }

    private String unknownWorkflow(String name) {
        return "unknown workflow '" + name + "'; registered workflows: " + this.runner.registry().names();
    }

    private static Map<String, @Nullable Object> values(Map<String, ? extends @Nullable Object> values,
            boolean show) {
        Map<String, @Nullable Object> copy = new LinkedHashMap<>();
        values.forEach((key, value) -> copy.put(key, (show || value == null) ? value : MASK));
        return Collections.unmodifiableMap(copy);
    }

    private static <V> Map<String, V> frozen(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    private static List<String> list(Collection<String> values) {
        return List.copyOf(values);
    }

    /**
     * Every registered workflow.
     *
     * @param workflows the workflows by name, in registration order
     */
    public record WorkflowsDescriptor(Map<String, WorkflowDescriptor> workflows) implements OperationResponseBody {

        /**
         * Copy the components.
         */
        public WorkflowsDescriptor {
            workflows = frozen(workflows);
        }
    }

    /**
     * One workflow: its versions and how many instances it has in each status.
     *
     * @param name the workflow name
     * @param currentVersion the version new instances start with
     * @param counts the number of instances per status (lower case), every status included
     * @param versions every registered version, lowest first
     */
    public record WorkflowDescriptor(String name, int currentVersion, Map<String, Long> counts,
            List<VersionDescriptor> versions) implements OperationResponseBody {

        /**
         * Copy the components.
         */
        public WorkflowDescriptor {
            counts = frozen(counts);
            versions = List.copyOf(versions);
        }
    }

    /**
     * One workflow, as in {@link WorkflowDescriptor}, with its newest instances.
     *
     * @param name the workflow name
     * @param currentVersion the version new instances start with
     * @param counts the number of instances per status (lower case), every status included
     * @param versions every registered version, lowest first
     * @param instances the newest instances that match the request's status filter, newest first
     */
    public record WorkflowDetailsDescriptor(String name, int currentVersion, Map<String, Long> counts,
            List<VersionDescriptor> versions, List<InstanceSummaryDescriptor> instances)
            implements OperationResponseBody {

        /**
         * Copy the components.
         */
        public WorkflowDetailsDescriptor {
            counts = frozen(counts);
            versions = List.copyOf(versions);
            instances = List.copyOf(instances);
        }
    }

    /**
     * One version of a workflow definition.
     *
     * @param version the version
     * @param businessKey how instances are named and how unique their ids are
     * @param start the key of the start step
     * @param tags the workflow's tags
     * @param steps every step, the start step first
     * @param transitions every transition, in declaration order
     * @param mermaid the graph as Mermaid flowchart text
     */
    public record VersionDescriptor(int version, BusinessKeyDescriptor businessKey, String start, List<String> tags,
            List<StepDescriptor> steps, List<TransitionDescriptor> transitions, String mermaid) {

        /**
         * Copy the components.
         */
        public VersionDescriptor {
            Objects.requireNonNull(businessKey, "businessKey");
            tags = List.copyOf(tags);
            steps = List.copyOf(steps);
            transitions = List.copyOf(transitions);
        }

        static VersionDescriptor of(Workflow workflow) {
            List<StepDescriptor> steps = new ArrayList<>();
            workflow.steps().values().forEach((step) -> steps.add(StepDescriptor.of(step)));
            List<TransitionDescriptor> transitions = new ArrayList<>();
            workflow.transitions().forEach((transition) -> transitions.add(TransitionDescriptor.of(transition)));
            BusinessKeyDescriptor businessKey = new BusinessKeyDescriptor(workflow.businessKey().key(),
                    workflow.businessKey().scope().name().toLowerCase(Locale.ROOT));
            return new VersionDescriptor(workflow.version(), businessKey, workflow.start().step().key(),
                    workflow.tags(), steps, transitions, workflow.toMermaid());
        }
    }

    /**
     * The business key of a workflow version.
     *
     * @param key the key, the part of every id before {@code ::}
     * @param scope among which instances an id must be unique while active: {@code workflow},
     * {@code version}, {@code global} or {@code none}
     */
    public record BusinessKeyDescriptor(String key, String scope) {
    }

    /**
     * One step of a workflow.
     *
     * @param key the step key, unique in its workflow
     * @param name the display name
     * @param events the events the step may emit, sorted
     */
    public record StepDescriptor(String key, String name, List<String> events) {

        /**
         * Copy the components.
         */
        public StepDescriptor {
            events = List.copyOf(events);
        }

        static StepDescriptor of(Step step) {
            return new StepDescriptor(step.key(), step.name(), step.events().stream().sorted().toList());
        }
    }

    /**
     * One transition of a workflow.
     *
     * @param from the key of the step it leaves
     * @param event the event that selects it
     * @param targets the keys of the steps it activates (for a dynamic transition: the candidates
     * its router picks from)
     * @param dynamic whether a router picks the targets at run time
     */
    public record TransitionDescriptor(String from, String event, List<String> targets, boolean dynamic) {

        /**
         * Copy the components.
         */
        public TransitionDescriptor {
            targets = List.copyOf(targets);
        }

        static TransitionDescriptor of(Transition transition) {
            List<String> targets = transition.possibleTargets().stream().map(Step::key).toList();
            return new TransitionDescriptor(transition.from().key(), transition.event(), targets,
                    transition instanceof Transition.Dynamic);
        }
    }

    /**
     * One instance in a list: where it is, without its context.
     *
     * @param id the business id
     * @param runId the id of this run
     * @param version the workflow version it runs
     * @param status its status, lower case
     * @param activeSteps the steps activated and not yet completed
     * @param waitingSteps the active steps parked on an external event or a timer
     * @param createdAt when it was created
     * @param updatedAt when it last changed
     */
    public record InstanceSummaryDescriptor(String id, String runId, int version, String status,
            List<String> activeSteps, List<String> waitingSteps, Instant createdAt, Instant updatedAt) {

        /**
         * Copy the components.
         */
        public InstanceSummaryDescriptor {
            activeSteps = List.copyOf(activeSteps);
            waitingSteps = List.copyOf(waitingSteps);
        }

        static InstanceSummaryDescriptor of(Instance instance) {
            return new InstanceSummaryDescriptor(instance.id(), instance.runId(), instance.workflowVersion(),
                    instance.status().value(), list(instance.activeSteps()), list(instance.waitingSteps().keySet()),
                    instance.createdAt(), instance.updatedAt());
        }
    }

    /**
     * One instance in full. Context values are masked unless show-values allows them.
     *
     * @param id the business id
     * @param runId the id of this run
     * @param workflow the workflow name
     * @param version the workflow version it runs
     * @param status its status, lower case
     * @param activeSteps the steps activated and not yet completed, in activation order
     * @param completedSteps the steps that completed, in completion order
     * @param skippedSteps the steps ruled out because no branch leading to them was taken
     * @param waitingSteps the active steps parked on an external event or a timer, with when they
     * started waiting
     * @param timers the timers of waiting steps, by step key
     * @param attempts the number of failed attempts of active steps, by step key
     * @param queuedEvents external events accepted before a step waited for them, oldest first
     * @param failures every failed attempt, in order
     * @param history one entry per completed step, in completion order
     * @param context the initial data and the results of completed steps
     * @param stepConfigs the configs of active steps, by step key
     * @param runtimeMetadata metadata merged from step results
     * @param telemetryMetadata caller metadata attached to the instance's telemetry
     * @param createdAt when it was created
     * @param updatedAt when it last changed
     */
    public record InstanceDescriptor(String id, String runId, String workflow, int version, String status,
            List<String> activeSteps, List<String> completedSteps, List<String> skippedSteps,
            Map<String, Instant> waitingSteps, Map<String, TimerDescriptor> timers, Map<String, Integer> attempts,
            List<QueuedEventDescriptor> queuedEvents, List<FailureDescriptor> failures,
            List<HistoryEntryDescriptor> history, ContextDescriptor context,
            Map<String, Map<String, @Nullable Object>> stepConfigs, Map<String, @Nullable Object> runtimeMetadata,
            Map<String, @Nullable Object> telemetryMetadata, Instant createdAt, Instant updatedAt)
            implements OperationResponseBody {

        /**
         * Copy the components.
         */
        public InstanceDescriptor {
            activeSteps = List.copyOf(activeSteps);
            completedSteps = List.copyOf(completedSteps);
            skippedSteps = List.copyOf(skippedSteps);
            waitingSteps = frozen(waitingSteps);
            timers = frozen(timers);
            attempts = frozen(attempts);
            queuedEvents = List.copyOf(queuedEvents);
            failures = List.copyOf(failures);
            history = List.copyOf(history);
            Objects.requireNonNull(context, "context");
            stepConfigs = frozen(stepConfigs);
            runtimeMetadata = frozen(runtimeMetadata);
            telemetryMetadata = frozen(telemetryMetadata);
        }

        static InstanceDescriptor of(Instance instance, boolean show) {
            Map<String, TimerDescriptor> timers = new LinkedHashMap<>();
            instance.timers()
                .forEach((step, timer) -> timers.put(step, new TimerDescriptor(timer.dueAt(), timer.event())));
            List<FailureDescriptor> failures = new ArrayList<>();
            instance.failures().forEach((failure) -> failures.add(new FailureDescriptor(failure.step(),
                    failure.attempt(), failure.kind().value(), failure.reason(), failure.stackTrace(),
                    failure.timestamp())));
            List<QueuedEventDescriptor> queued = new ArrayList<>();
            instance.queuedEvents().forEach((event) -> queued.add(new QueuedEventDescriptor(event.event(),
                    event.step(), values(event.data(), show), event.receivedAt())));
            List<HistoryEntryDescriptor> history = new ArrayList<>();
            instance.history().forEach((entry) -> history.add(new HistoryEntryDescriptor(entry.step(), entry.event(),
                    entry.kind().name().toLowerCase(Locale.ROOT), entry.timestamp(),
                    values(entry.contextUpdates(), show))));
            Map<String, Map<String, @Nullable Object>> results = new LinkedHashMap<>();
            instance.context().steps().forEach((step, updates) -> results.put(step, values(updates, show)));
            Map<String, Map<String, @Nullable Object>> configs = new LinkedHashMap<>();
            instance.stepConfigs().forEach((step, config) -> configs.put(step, values(config, show)));
            return new InstanceDescriptor(instance.id(), instance.runId(), instance.workflow(),
                    instance.workflowVersion(), instance.status().value(), list(instance.activeSteps()),
                    list(instance.completedSteps()), list(instance.skippedSteps()), instance.waitingSteps(), timers,
                    instance.attempts(), queued, failures, history,
                    new ContextDescriptor(values(instance.context().initial(), show), results), configs,
                    values(instance.runtimeMetadata(), show), values(instance.telemetryMetadata(), show),
                    instance.createdAt(), instance.updatedAt());
        }
    }

    /**
     * The data of an instance.
     *
     * @param initial the data it was started with
     * @param steps the results of completed steps, by step key
     */
    public record ContextDescriptor(Map<String, @Nullable Object> initial,
            Map<String, Map<String, @Nullable Object>> steps) {

        /**
         * Copy the components.
         */
        public ContextDescriptor {
            initial = frozen(initial);
            steps = frozen(steps);
        }
    }

    /**
     * A durable timer of a waiting step.
     *
     * @param dueAt when it fires
     * @param event the event it resumes the step with
     */
    public record TimerDescriptor(Instant dueAt, String event) {
    }

    /**
     * One failed attempt of a step.
     *
     * @param step the step key
     * @param attempt the attempt number, starting at 1
     * @param kind how it failed: {@code error}, {@code exception}, {@code timeout} or {@code invalid}
     * @param reason what went wrong
     * @param stackTrace the stack trace of the exception the step threw, bounded, or empty when it
     * threw none
     * @param timestamp when the failure was applied
     */
    public record FailureDescriptor(String step, int attempt, String kind, String reason, String stackTrace,
            Instant timestamp) {
    }

    /**
     * An external event accepted before a step waited for it: it is delivered, oldest first, as
     * soon as a step that takes it starts waiting.
     *
     * @param event the event
     * @param step the step the sender named, or empty for whichever step takes the event first
     * @param data what the event brings (values masked unless show-values allows them)
     * @param receivedAt when the event was accepted
     */
    public record QueuedEventDescriptor(String event, String step, Map<String, @Nullable Object> data,
            Instant receivedAt) {

        /**
         * Copy the components.
         */
        public QueuedEventDescriptor {
            data = frozen(data);
        }
    }

    /**
     * What a resume did.
     *
     * @param queued {@code false} if the event was delivered to a waiting step; {@code true} if no
     * step was waiting for it yet and it was queued with the instance, to be delivered when a step
     * that takes it starts waiting
     * @param event the event
     * @param instance the instance after the resume
     */
    public record ResumeDescriptor(boolean queued, String event, InstanceDescriptor instance)
            implements OperationResponseBody {

        /**
         * Check the components.
         */
        public ResumeDescriptor {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(instance, "instance");
        }

        static ResumeDescriptor of(ResumeResult result, String event, boolean show) {
            return new ResumeDescriptor(result.isQueued(), event, InstanceDescriptor.of(result.instance(), show));
        }
    }

    /**
     * One line of an instance's history: a completed step, or an event or result the instance did
     * not use.
     *
     * @param step the step key (for an unconsumed event: the step it named, or empty)
     * @param event the event the step emitted or was resumed with, or that was left unconsumed
     * @param kind {@code completed}; {@code unconsumed} for an event queued but never taken before
     * the instance finished; {@code ignored} for a result that arrived after the instance was
     * cancelled
     * @param timestamp when the entry was recorded
     * @param contextUpdates what the step stored in the context (for an unconsumed event: its data)
     */
    public record HistoryEntryDescriptor(String step, String event, String kind, Instant timestamp,
            Map<String, @Nullable Object> contextUpdates) {

        /**
         * Copy the components.
         */
        public HistoryEntryDescriptor {
            contextUpdates = frozen(contextUpdates);
        }
    }

    /**
     * Why a write operation was rejected.
     *
     * @param status the HTTP status
     * @param error the HTTP reason phrase, such as {@code Conflict}
     * @param message what was wrong, naming the instance and its status
     */
    public record ErrorDescriptor(int status, String error, String message) implements OperationResponseBody {

        static ErrorDescriptor of(int status, String message) {
            String error = switch (status) {
                case WebEndpointResponse.STATUS_BAD_REQUEST -> "Bad Request";
                case WebEndpointResponse.STATUS_NOT_FOUND -> "Not Found";
                case STATUS_CONFLICT -> "Conflict";
                case WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE -> "Service Unavailable";
                default -> "Error";
            };
            return new ErrorDescriptor(status, error, message);
        }
    }
}
