package io.hephaestus.core.definition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;

/**
 * Checks a workflow definition as a whole and collects every problem, so that one exception can
 * report them all. Besides the graph it derives the step index and the edge maps the
 * {@link Workflow} keeps.
 */
final class WorkflowValidator {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private static final Pattern STEP_KEY = Pattern.compile("[a-z0-9_]+");

    private final String name;

    private final int version;

    private final BusinessKey businessKey;

    private final Target start;

    private final List<Transition> transitions;

    private final List<String> tags;

    private final List<String> problems;

    private final Map<String, Step> steps = new LinkedHashMap<>();

    private final Map<String, Set<String>> successors = new LinkedHashMap<>();

    private final Map<String, Set<String>> predecessors = new LinkedHashMap<>();

    WorkflowValidator(String name, int version, BusinessKey businessKey, Target start, List<Transition> transitions,
            List<String> tags, List<String> earlierProblems) {
        this.name = name;
        this.version = version;
        this.businessKey = businessKey;
        this.start = start;
        this.transitions = transitions;
        this.tags = tags;
        this.problems = new ArrayList<>(earlierProblems);
    }

    List<String> validate() {
        checkOptions();
        checkTransitions();
        indexSteps();
        checkAcyclic();
        if (this.start != null) {
            checkReachable();
        }
        checkLeaves();
        checkFanOutConvergence();
        checkEvents();
        return this.problems;
    }

    Map<String, Step> steps() {
        return this.steps;
    }

    Map<String, Set<String>> successors() {
        return this.successors;
    }

    Map<String, Set<String>> predecessors() {
        return this.predecessors;
    }

    private void checkOptions() {
        if (this.name == null || !NAME.matcher(this.name).matches()) {
            this.problems.add("workflow name must be non-empty and contain only letters, digits, '_', '-' and '.', got: \""
                    + this.name + "\"");
        }
        if (this.version < 1) {
            this.problems.add("version must be a positive integer, got: " + this.version);
        }
        if (this.businessKey == null && this.problems.stream().noneMatch((p) -> p.startsWith("business key"))) {
            this.problems.add("a business key is required: call businessKey(\"<key>\")");
        }
        for (String tag : this.tags) {
            if (tag == null || tag.isBlank()) {
                this.problems.add("tags must be non-blank strings, got: \"" + tag + "\"");
            }
        }
        if (this.start == null) {
            this.problems.add("a start step is required: call start(step)");
        }
    }

    private void checkTransitions() {
        Set<String> seen = new HashSet<>();
        for (Transition transition : this.transitions) {
            String from = transition.from().key();
            String event = transition.event();
            String rule = "transition (" + from + ", " + event + ")";
            if (event.isBlank()) {
                this.problems.add("transition from " + from + " has a blank event");
            }
            if (!seen.add(from + "\u0000" + event)) {
                this.problems.add(rule + " is defined more than once");
            }
            if (transition.from() instanceof Done) {
                this.problems.add(rule + ": Done is terminal and cannot have outgoing transitions");
            }
            if (transition instanceof Transition.Static s && s.targets().isEmpty()) {
                this.problems.add(rule + " has no targets");
            }
            if (transition instanceof Transition.Dynamic d && d.candidates().isEmpty()) {
                this.problems.add(rule + " is dynamic and must declare the steps its router may return");
            }
        }
    }

    private void indexSteps() {
        Map<String, Set<Step>> byKey = new LinkedHashMap<>();
        if (this.start != null) {
            register(byKey, this.start.step());
        }
        for (Transition transition : this.transitions) {
            register(byKey, transition.from());
            transition.possibleTargets().forEach((target) -> register(byKey, target));
        }
        byKey.forEach((key, group) -> {
            if (group.size() > 1) {
                this.problems.add("context key collision for '" + key + "': " + group.stream()
                    .map((step) -> step.name() + " (" + step.getClass().getName() + ")")
                    .collect(Collectors.joining(", ")));
            }
            if (!STEP_KEY.matcher(key).matches()) {
                this.problems.add("step key '" + key + "' of " + group.iterator().next().name()
                        + " must contain only lowercase letters, digits and '_'");
            }
        });
        for (Transition transition : this.transitions) {
            String from = transition.from().key();
            for (Step target : transition.possibleTargets()) {
                this.successors.computeIfAbsent(from, (k) -> new LinkedHashSet<>()).add(target.key());
                this.predecessors.computeIfAbsent(target.key(), (k) -> new LinkedHashSet<>()).add(from);
            }
        }
    }

    private void register(Map<String, Set<Step>> byKey, Step step) {
        String key = step.key();
        Set<Step> group = byKey.computeIfAbsent(key, (k) -> new LinkedHashSet<>());
        if (group.stream().noneMatch((known) -> known == step || known.equals(step))) {
            group.add(step);
        }
        this.steps.putIfAbsent(key, step);
    }

    private void checkAcyclic() {
        Map<String, Integer> state = new HashMap<>();
        Set<String> reported = new HashSet<>();
        for (String node : this.steps.keySet()) {
            Deque<String> path = new ArrayDeque<>();
            findCycle(node, state, path, reported);
        }
    }

    private void findCycle(String node, Map<String, Integer> state, Deque<String> path, Set<String> reported) {
        int current = state.getOrDefault(node, 0);
        if (current == 2) {
            return;
        }
        if (current == 1) {
            List<String> cycle = new ArrayList<>();
            boolean inCycle = false;
            for (String element : path) {
                inCycle = inCycle || element.equals(node);
                if (inCycle) {
                    cycle.add(element);
                }
            }
            cycle.add(node);
            if (reported.add(new TreeSet<>(cycle).toString())) {
                this.problems.add("cycle detected in workflow graph: " + String.join(" -> ", cycle));
            }
            return;
        }
        state.put(node, 1);
        path.addLast(node);
        for (String next : this.successors.getOrDefault(node, Set.of())) {
            findCycle(next, state, path, reported);
        }
        path.removeLast();
        state.put(node, 2);
    }

    private void checkReachable() {
        Set<String> reachable = reach(this.start.step().key());
        List<String> unreachable = this.steps.keySet().stream().filter((key) -> !reachable.contains(key)).sorted()
            .collect(Collectors.toList());
        if (!unreachable.isEmpty()) {
            this.problems.add("steps unreachable from start step " + this.start.step().key() + ": "
                    + String.join(", ", unreachable));
        }
    }

    private void checkLeaves() {
        List<String> badLeaves = this.steps.entrySet().stream()
            .filter((entry) -> this.successors.getOrDefault(entry.getKey(), Set.of()).isEmpty())
            .filter((entry) -> !(entry.getValue() instanceof Done))
            .map(Map.Entry::getKey)
            .sorted()
            .collect(Collectors.toList());
        if (!badLeaves.isEmpty()) {
            this.problems.add("path terminates at " + String.join(", ", badLeaves)
                    + ", which is not Done: every path must end in Done");
        }
    }

    private void checkFanOutConvergence() {
        for (Transition transition : this.transitions) {
            if (!(transition instanceof Transition.Static) || transition.possibleTargets().size() < 2) {
                continue;
            }
            Set<String> common = null;
            for (Step target : transition.possibleTargets()) {
                Set<String> reached = reach(target.key());
                if (common == null) {
                    common = reached;
                }
                else {
                    common.retainAll(reached);
                }
            }
            common.remove(Done.KEY);
            if (common.isEmpty()) {
                this.problems.add("fan-out branches of transition (" + transition.from().key() + ", "
                        + transition.event() + ") to " + transition.possibleTargets().stream().map(Step::key)
                            .collect(Collectors.joining(", "))
                        + " must converge on a common step before Done");
            }
        }
    }

    private void checkEvents() {
        for (Map.Entry<String, Step> entry : this.steps.entrySet()) {
            Step step = entry.getValue();
            if (step instanceof Done) {
                continue;
            }
            String key = entry.getKey();
            Set<String> declared;
            try {
                declared = step.events();
            }
            catch (RuntimeException ex) {
                this.problems.add(key + ": events() threw " + ex);
                continue;
            }
            if (declared == null || declared.isEmpty()) {
                this.problems.add(key + " must declare at least one event in events()");
                continue;
            }
            checkExternalEvents(key, step, declared);
            Set<String> used = new LinkedHashSet<>();
            for (Transition transition : this.transitions) {
                if (transition.from().key().equals(key)) {
                    used.add(transition.event());
                    if (!declared.contains(transition.event())) {
                        this.problems.add(key + " does not declare event '" + transition.event()
                                + "' used by transition (" + key + ", " + transition.event() + "); declared: "
                                + new TreeSet<>(declared));
                    }
                }
            }
            for (String event : new TreeSet<>(declared)) {
                if (!used.contains(event)) {
                    this.problems.add(key + " declares event '" + event + "' but no transition (" + key + ", " + event
                            + ") is defined in workflow " + this.name);
                }
            }
        }
    }

    private void checkExternalEvents(String key, Step step, Set<String> declared) {
        Set<String> external;
        try {
            external = step.externalEvents();
        }
        catch (RuntimeException ex) {
            this.problems.add(key + ": externalEvents() threw " + ex);
            return;
        }
        if (external == null) {
            this.problems.add(key + ": externalEvents() returned null");
            return;
        }
        for (String event : new TreeSet<>(external)) {
            if (!declared.contains(event)) {
                this.problems.add(key + " accepts event '" + event + "' from callers (externalEvents()) but does not"
                        + " declare it in events(); declared: " + new TreeSet<>(declared));
            }
        }
    }

    private Set<String> reach(String from) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(from);
        while (!queue.isEmpty()) {
            String node = queue.poll();
            if (seen.add(node)) {
                queue.addAll(this.successors.getOrDefault(node, Set.of()));
            }
        }
        return seen;
    }
}
