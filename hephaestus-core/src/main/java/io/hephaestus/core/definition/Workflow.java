package io.hephaestus.core.definition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.hephaestus.core.internal.JsonValues;
import io.hephaestus.core.steps.Step;

/**
 * {@link Workflow} is a validated, immutable workflow definition: a named and versioned directed
 * acyclic graph of steps, with the transitions that map a step and the event it emits to the steps
 * activated next.
 *
 * <p>Build one with {@link #builder(String)}; {@link Builder#build()} validates the whole graph and
 * throws a {@link WorkflowDefinitionException} listing every problem, so an invalid workflow never
 * exists.
 *
 * <pre>{@code
 * Workflow order = Workflow.builder("order")
 *     .businessKey("orderid")
 *     .start(validate)
 *     .transition(validate, "valid", charge, reserve)   // fan-out: both run in parallel
 *     .transition(validate, "invalid", reject)
 *     .transition(charge, "charged", ship)              // ship is a join: it waits for both
 *     .transition(reserve, "reserved", ship)
 *     .transition(reject, "rejected", Done.step())
 *     .transition(ship, "shipped", Done.step())
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Workflow {

    private final String name;

    private final int version;

    private final BusinessKey businessKey;

    private final Target start;

    private final List<Transition> transitions;

    private final List<String> tags;

    private final Map<String, Object> metadata;

    private final Map<String, Step> steps;

    private final Map<String, Map<String, Transition>> rules;

    private final Map<String, Set<String>> successors;

    private final Map<String, Set<String>> predecessors;

    private Workflow(Builder builder, Map<String, Step> steps, Map<String, Set<String>> successors,
            Map<String, Set<String>> predecessors) {
        this.name = builder.name;
        this.version = builder.version;
        this.businessKey = builder.businessKey;
        this.start = builder.start;
        this.transitions = List.copyOf(builder.transitions);
        this.tags = List.copyOf(builder.tags);
        this.metadata = builder.metadata;
        this.steps = Collections.unmodifiableMap(steps);
        Map<String, Map<String, Transition>> byStep = new LinkedHashMap<>();
        for (Transition transition : this.transitions) {
            byStep.computeIfAbsent(transition.from().key(), (k) -> new LinkedHashMap<>())
                .put(transition.event(), transition);
        }
        byStep.replaceAll((k, v) -> Collections.unmodifiableMap(v));
        this.rules = Collections.unmodifiableMap(byStep);
        this.successors = freeze(successors);
        this.predecessors = freeze(predecessors);
    }

    /**
     * Return a builder for a workflow with the given name.
     * @param name the workflow name: letters, digits, {@code _}, {@code -} and {@code .}
     * @return the builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Return the workflow name.
     * @return the name
     */
    public String name() {
        return this.name;
    }

    /**
     * Return the workflow version.
     * @return the version, positive
     */
    public int version() {
        return this.version;
    }

    /**
     * Return the business key that names instances and the scope of their uniqueness.
     * @return the business key
     */
    public BusinessKey businessKey() {
        return this.businessKey;
    }

    /**
     * Return the start step and its config.
     * @return the start target
     */
    public Target start() {
        return this.start;
    }

    /**
     * Return the transitions, in declaration order.
     * @return the transitions
     */
    public List<Transition> transitions() {
        return this.transitions;
    }

    /**
     * Return the tags, for observability only.
     * @return the tags
     */
    public List<String> tags() {
        return this.tags;
    }

    /**
     * Return the metadata, for observability only.
     * @return the metadata, JSON-safe
     */
    public Map<String, Object> metadata() {
        return this.metadata;
    }

    /**
     * Return every step of the graph by key, the start step first.
     * @return the steps
     */
    public Map<String, Step> steps() {
        return this.steps;
    }

    /**
     * Return the step with the given key.
     * @param key the step key
     * @return the step, or empty if the workflow has no such step
     */
    public Optional<Step> step(String key) {
        return Optional.ofNullable(this.steps.get(key));
    }

    /**
     * Return the transition for a step and an event.
     * @param stepKey the key of the source step
     * @param event the event
     * @return the transition, or empty if none is defined
     */
    public Optional<Transition> transition(String stepKey, String event) {
        return Optional.ofNullable(this.rules.getOrDefault(stepKey, Map.of()).get(event));
    }

    /**
     * Return the keys of the steps with an edge from {@code stepKey}.
     * @param stepKey the step key
     * @return the successors, empty for an unknown step
     */
    public Set<String> successors(String stepKey) {
        return this.successors.getOrDefault(stepKey, Set.of());
    }

    /**
     * Return the keys of the steps with an edge into {@code stepKey}: the branches a join waits for.
     * @param stepKey the step key
     * @return the predecessors, empty for the start step or an unknown step
     */
    public Set<String> predecessors(String stepKey) {
        return this.predecessors.getOrDefault(stepKey, Set.of());
    }

    /**
     * Return the graph as Mermaid flowchart text: solid edges for static transitions, dotted edges
     * for the candidates of dynamic ones, each labelled with its event.
     * @return the Mermaid text
     */
    public String toMermaid() {
        StringBuilder mermaid = new StringBuilder("flowchart TD\n");
        this.steps.forEach((key, step) -> mermaid.append("    ").append(key).append("[\"").append(step.name())
            .append("\"]\n"));
        for (Transition transition : this.transitions) {
            String arrow = (transition instanceof Transition.Dynamic) ? " -.->|" : " -->|";
            for (Step target : transition.possibleTargets()) {
                mermaid.append("    ").append(transition.from().key()).append(arrow).append(transition.event())
                    .append("| ").append(target.key()).append('\n');
            }
        }
        return mermaid.toString();
    }

    @Override
    public String toString() {
        return "Workflow[" + this.name + " v" + this.version + "]";
    }

    private static Map<String, Set<String>> freeze(Map<String, Set<String>> map) {
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, Collections.unmodifiableSet(new LinkedHashSet<>(v))));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * {@link Builder} collects a workflow definition and validates it as a whole in
     * {@link #build()}.
     */
    public static final class Builder {

        private final String name;

        private int version = 1;

        private BusinessKey businessKey;

        private Target start;

        private final List<Transition> transitions = new ArrayList<>();

        private final List<String> tags = new ArrayList<>();

        private Map<String, Object> metadata = Map.of();

        private final List<String> problems = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Set the version (default 1).
         * @param version the version, positive
         * @return this builder
         */
        public Builder version(int version) {
            this.version = version;
            return this;
        }

        /**
         * Set the business key with the default scope {@link UniquenessScope#WORKFLOW}.
         * @param key the key, {@code [a-z0-9]+}
         * @return this builder
         */
        public Builder businessKey(String key) {
            return businessKey(key, UniquenessScope.WORKFLOW);
        }

        /**
         * Set the business key and the scope of its uniqueness.
         * @param key the key, {@code [a-z0-9]+}
         * @param scope among which instances an id must be unique
         * @return this builder
         */
        public Builder businessKey(String key, UniquenessScope scope) {
            try {
                this.businessKey = new BusinessKey(key, scope);
            }
            catch (RuntimeException ex) {
                this.problems.add(ex.getMessage());
            }
            return this;
        }

        /**
         * Set the start step.
         * @param step the first step
         * @return this builder
         */
        public Builder start(Step step) {
            return start(Target.of(step));
        }

        /**
         * Set the start step with a config.
         * @param target the first step and its config
         * @return this builder
         */
        public Builder start(Target target) {
            this.start = Objects.requireNonNull(target, "start");
            return this;
        }

        /**
         * Add a transition from {@code from} on {@code event} to one or more steps; with several,
         * they run in parallel (fan-out) and must converge before {@code Done}.
         * @param from the source step
         * @param event the event
         * @param to the first target
         * @param more further targets of a fan-out
         * @return this builder
         */
        public Builder transition(Step from, String event, Step to, Step... more) {
            List<Target> targets = new ArrayList<>(1 + more.length);
            targets.add(Target.of(to));
            Arrays.stream(more).forEach((step) -> targets.add(Target.of(step)));
            return transition(from, event, targets);
        }

        /**
         * Add a transition from {@code from} on {@code event} to a step with a config.
         * @param from the source step
         * @param event the event
         * @param to the target and its config
         * @return this builder
         */
        public Builder transition(Step from, String event, Target to) {
            return transition(from, event, List.of(to));
        }

        /**
         * Add a transition from {@code from} on {@code event} to a list of targets (a fan-out when
         * there are several).
         * @param from the source step
         * @param event the event
         * @param targets the targets, at least one
         * @return this builder
         */
        public Builder transition(Step from, String event, List<Target> targets) {
            this.transitions.add(new Transition.Static(from, event, targets));
            return this;
        }

        /**
         * Add a dynamic transition: {@code router} picks the targets at run time among
         * {@code candidates}, which must list every step it may return.
         * @param from the source step
         * @param event the event
         * @param router the function that picks the targets from the context
         * @param candidates every step the router may return
         * @return this builder
         */
        public Builder route(Step from, String event, Router router, Step... candidates) {
            this.transitions.add(new Transition.Dynamic(from, event, new LinkedHashSet<>(Arrays.asList(candidates)),
                    router));
            return this;
        }

        /**
         * Set the tags, for observability only.
         * @param tags the tags
         * @return this builder
         */
        public Builder tags(String... tags) {
            this.tags.clear();
            this.tags.addAll(Arrays.asList(tags));
            return this;
        }

        /**
         * Set the metadata, for observability only.
         * @param metadata string keys and JSON-safe values
         * @return this builder
         */
        public Builder metadata(Map<String, ?> metadata) {
            try {
                this.metadata = JsonValues.freeze(metadata, "metadata");
            }
            catch (RuntimeException ex) {
                this.problems.add(ex.getMessage());
            }
            return this;
        }

        /**
         * Validate the definition and return the workflow.
         * @return the workflow
         * @throws WorkflowDefinitionException listing every problem found
         */
        public Workflow build() {
            String label = this.name + " v" + this.version;
            WorkflowValidator validator = new WorkflowValidator(this.name, this.version, this.businessKey, this.start,
                    this.transitions, this.tags, this.problems);
            List<String> found = validator.validate();
            if (!found.isEmpty()) {
                throw new WorkflowDefinitionException(label, found);
            }
            return new Workflow(this, validator.steps(), validator.successors(), validator.predecessors());
        }
    }
}
