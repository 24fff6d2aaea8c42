package io.hephaestus.core.definition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@link WorkflowRegistry} holds every registered workflow, with several versions of one workflow
 * side by side and one of them current. Starts use the current version unless they ask for another;
 * a running instance keeps the version it started with.
 *
 * <p>Immutable and thread-safe. The current version of a workflow is the highest registered one
 * unless {@link Builder#current(String, int)} says otherwise.
 *
 * @since 0.1.0
 */
public final class WorkflowRegistry {

    private final Map<String, NavigableMap<Integer, Workflow>> workflows;

    private final Map<String, Integer> current;

    private WorkflowRegistry(Map<String, NavigableMap<Integer, Workflow>> workflows, Map<String, Integer> current) {
        this.workflows = workflows;
        this.current = current;
    }

    /**
     * Return a registry of the given workflows, each name's highest version current.
     * @param workflows the workflows
     * @return the registry
     * @throws WorkflowDefinitionException if a name and version is registered twice
     */
    public static WorkflowRegistry of(Collection<Workflow> workflows) {
        Builder builder = builder();
        workflows.forEach(builder::register);
        return builder.build();
    }

    /**
     * Return a registry of the given workflows, each name's highest version current.
     * @param workflows the workflows
     * @return the registry
     */
    public static WorkflowRegistry of(Workflow... workflows) {
        return of(List.of(workflows));
    }

    /**
     * Return an empty builder.
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Return the current version of the named workflow.
     * @param name the workflow name
     * @return the workflow
     * @throws UnknownWorkflowException naming the registered workflows if there is none by that name
     */
    public Workflow get(String name) {
        return get(name, currentVersion(name));
    }

    /**
     * Return one version of the named workflow.
     * @param name the workflow name
     * @param version the version
     * @return the workflow
     * @throws UnknownWorkflowException naming the available versions if there is none
     */
    public Workflow get(String name, int version) {
        Workflow workflow = versionsOf(name).get(version);
        if (workflow == null) {
            throw new UnknownWorkflowException("version " + version + " of workflow '" + name
                    + "' is not registered; available versions: " + versionsOf(name).keySet());
        }
        return workflow;
    }

    /**
     * Return the current version number of the named workflow.
     * @param name the workflow name
     * @return the current version
     * @throws UnknownWorkflowException if there is no workflow by that name
     */
    public int currentVersion(String name) {
        versionsOf(name);
        return this.current.get(name);
    }

    /**
     * Return whether a workflow with this name is registered.
     * @param name the workflow name
     * @return {@code true} if at least one version is registered
     */
    public boolean contains(String name) {
        return this.workflows.containsKey(name);
    }

    /**
     * Return the registered workflow names, in registration order.
     * @return the names
     */
    public List<String> names() {
        return List.copyOf(this.workflows.keySet());
    }

    /**
     * Return every version of the named workflow, lowest first.
     * @param name the workflow name
     * @return the versions
     * @throws UnknownWorkflowException if there is no workflow by that name
     */
    public List<Workflow> versions(String name) {
        return List.copyOf(versionsOf(name).values());
    }

    /**
     * Return every registered workflow, every version.
     * @return the workflows, by name then version
     */
    public List<Workflow> all() {
        List<Workflow> all = new ArrayList<>();
        this.workflows.values().forEach((versions) -> all.addAll(versions.values()));
        return all;
    }

    private NavigableMap<Integer, Workflow> versionsOf(String name) {
        NavigableMap<Integer, Workflow> versions = this.workflows.get(name);
        if (versions == null) {
            throw new UnknownWorkflowException("unknown workflow '" + name + "'; registered workflows: "
                    + this.workflows.keySet());
        }
        return versions;
    }

    /**
     * {@link Builder} collects workflows for a {@link WorkflowRegistry}.
     */
    public static final class Builder {

        private final Map<String, NavigableMap<Integer, Workflow>> workflows = new LinkedHashMap<>();

        private final Map<String, Integer> current = new LinkedHashMap<>();

        private final List<String> problems = new ArrayList<>();

        private Builder() {
        }

        /**
         * Register a workflow version.
         * @param workflow the workflow
         * @return this builder
         */
        public Builder register(Workflow workflow) {
            Objects.requireNonNull(workflow, "workflow");
            Workflow previous = this.workflows.computeIfAbsent(workflow.name(), (k) -> new TreeMap<>())
                .putIfAbsent(workflow.version(), workflow);
            if (previous != null && previous != workflow) {
                this.problems.add("workflow '" + workflow.name() + "' version " + workflow.version()
                        + " is registered twice");
            }
            return this;
        }

        /**
         * Make {@code version} the current version of the named workflow.
         * @param name the workflow name
         * @param version the version new instances start with
         * @return this builder
         */
        public Builder current(String name, int version) {
            this.current.put(name, version);
            return this;
        }

        /**
         * Return the registry.
         * @return the registry
         * @throws WorkflowDefinitionException listing duplicate versions and unknown current versions
         */
        public WorkflowRegistry build() {
            List<String> found = new ArrayList<>(this.problems);
            Map<String, Integer> resolved = new LinkedHashMap<>();
            this.current.forEach((name, version) -> {
                if (!this.workflows.containsKey(name)) {
                    found.add("current version set for unknown workflow '" + name + "'");
                }
                else if (!this.workflows.get(name).containsKey(version)) {
                    found.add("current version " + version + " of workflow '" + name
                            + "' is not registered; available versions: " + this.workflows.get(name).keySet());
                }
            });
            if (!found.isEmpty()) {
                throw new WorkflowDefinitionException("registry", found);
            }
            Map<String, NavigableMap<Integer, Workflow>> copy = new LinkedHashMap<>();
            this.workflows.forEach((name, versions) -> {
                copy.put(name, Collections.unmodifiableNavigableMap(new TreeMap<>(versions)));
                resolved.put(name, this.current.getOrDefault(name, versions.lastKey()));
            });
            return new WorkflowRegistry(Collections.unmodifiableMap(copy), Collections.unmodifiableMap(resolved));
        }
    }
}
