package io.hephaestus.core.definition;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every validation rule of a workflow definition, each against a definition that breaks only that
 * rule, so that the exact problem text can be asserted.
 */
class WorkflowValidatorTests {

    private static final Node A = Node.of("A", "ok");

    private static final Node B = Node.of("B", "ok");

    private static final Node C = Node.of("C", "ok");

    private static final Done DONE = Done.step();

    @Test
    void validDefinitionBuilds() {
        assertThatNoException().isThrownBy(() -> valid().build());
    }

    @Test
    void missingBusinessKeyIsReported() {
        Workflow.Builder builder = Workflow.builder("order").start(A).transition(A, "ok", DONE);

        assertThat(problems(builder)).containsExactly("a business key is required: call businessKey(\"<key>\")");
    }

    @Test
    void badBusinessKeyIsReported() {
        Workflow.Builder builder = valid().businessKey("Order-Id");

        assertThat(problems(builder))
            .containsExactly("business key must contain only lowercase letters and digits [a-z0-9], got: \"Order-Id\"");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = { "", "order flow", "order/v1", "ordre!" })
    void badNameIsReported(String name) {
        Workflow.Builder builder = Workflow.builder(name).businessKey("orderid").start(A).transition(A, "ok", DONE);

        assertThat(problems(builder)).containsExactly(
                "workflow name must be non-empty and contain only letters, digits, '_', '-' and '.', got: \"" + name
                        + "\"");
    }

    @ParameterizedTest(name = "names such as {0} are accepted")
    @ValueSource(strings = { "order", "Order_Flow-2.v1" })
    void namesWithLettersDigitsUnderscoresDashesAndDotsAreAccepted(String name) {
        Workflow workflow = Workflow.builder(name).businessKey("orderid").start(A).transition(A, "ok", DONE).build();

        assertThat(workflow.name()).isEqualTo(name);
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = { 0, -1 })
    void versionBelowOneIsReported(int version) {
        assertThat(problems(valid().version(version)))
            .containsExactly("version must be a positive integer, got: " + version);
    }

    @Test
    void missingStartIsReported() {
        Workflow.Builder builder = Workflow.builder("order").businessKey("orderid").transition(A, "ok", DONE);

        assertThat(problems(builder)).containsExactly("a start step is required: call start(step)");
    }

    @Test
    void blankTagIsReported() {
        assertThat(problems(valid().tags("billing", " "))).containsExactly("tags must be non-blank strings, got: \" \"");
    }

    @Test
    void duplicateTransitionIsReported() {
        Workflow.Builder builder = valid().transition(A, "ok", DONE);

        assertThat(problems(builder)).containsExactly("transition (a, ok) is defined more than once");
    }

    @Test
    void blankEventIsReported() {
        Workflow.Builder builder = valid().transition(A, " ", DONE);

        assertThat(problems(builder)).contains("transition from a has a blank event");
    }

    @Test
    void transitionFromDoneIsReported() {
        Workflow.Builder builder = valid().transition(DONE, "done", B).transition(B, "ok", DONE);

        assertThat(problems(builder))
            .contains("transition (done, done): Done is terminal and cannot have outgoing transitions");
    }

    @Test
    void staticTransitionWithoutTargetsIsReported() {
        Node start = Node.of("A", "ok", "retry");
        Workflow.Builder builder = Workflow.builder("order").businessKey("orderid").start(start)
            .transition(start, "ok", DONE).transition(start, "retry", List.of());

        assertThat(problems(builder)).containsExactly("transition (a, retry) has no targets");
    }

    @Test
    void dynamicTransitionWithoutCandidatesIsReported() {
        Node start = Node.of("A", "ok", "route");
        Workflow.Builder builder = Workflow.builder("order").businessKey("orderid").start(start)
            .transition(start, "ok", DONE).route(start, "route", (context) -> List.of());

        assertThat(problems(builder))
            .containsExactly("transition (a, route) is dynamic and must declare the steps its router may return");
    }

    @Test
    void twoDifferentStepsWithTheSameKeyAreAContextKeyCollision() {
        Node start = Node.of("A", "card", "cash");
        Node charge = Node.of("Charge", "ok");
        Keyed chargeCash = new Keyed("charge", "ChargeCash", Set.of("ok"));
        Workflow.Builder builder = Workflow.builder("order").businessKey("orderid").start(start)
            .transition(start, "card", charge).transition(start, "cash", chargeCash).transition(charge, "ok", DONE);

        assertThat(problems(builder)).containsExactly("context key collision for 'charge': Charge ("
                + Node.class.getName() + "), ChargeCash (" + Keyed.class.getName() + ")");
    }

    @Test
    void equalStepsAreOneNodeNotACollision() {
        Node start = Node.of("A", "x", "y");
        Workflow workflow = Workflow.builder("order").businessKey("orderid").start(start)
            .transition(start, "x", Node.of("B", "ok")).transition(start, "y", Node.of("B", "ok"))
            .transition(Node.of("B", "ok"), "ok", DONE).build();

        assertThat(workflow.steps()).containsOnlyKeys("a", "b", "done");
        assertThat(workflow.predecessors("b")).containsExactly("a");
    }

    @Test
    void badStepKeyIsReported() {
        Keyed bad = new Keyed("Check-Stock", "CheckStock", Set.of("ok"));
        Workflow.Builder builder = Workflow.builder("order").businessKey("orderid").start(bad)
            .transition(bad, "ok", DONE);

        assertThat(problems(builder))
            .containsExactly("step key 'Check-Stock' of CheckStock must contain only lowercase letters, digits and '_'");
    }

    @Test
    void cycleIsReportedWithItsPath() {
        Node b = Node.of("B", "ok", "back");
        Workflow.Builder builder = Workflow.builder("order").businessKey("orderid").start(A).transition(A, "ok", b)
            .transition(b, "back", A).transition(b, "ok", DONE);

        assertThat(problems(builder)).containsExactly("cycle detected in workflow graph: a -> b -> a");
    }

    @Test
    void longerCycleIsReportedWithItsWholePath() {
        Node c = Node.of("C", "ok", "again");
        Workflow.Builder builder = Workflow.builder("order").businessKey("orderid").start(A).transition(A, "ok", B)
            .transition(B, "ok", c).transition(c, "again", B).transition(c, "ok", DONE);

        assertThat(problems(builder)).containsExactly("cycle detected in workflow graph: b -> c -> b");
    }

    @Test
    void unreachableStepsAreReportedSorted() {
        Node z = Node.of("Z", "ok");
        Node m = Node.of("M", "ok");
        Workflow.Builder builder = valid().transition(z, "ok", DONE).transition(m, "ok", DONE);

        assertThat(problems(builder)).containsExactly("steps unreachable from start step a: m, z");
    }

    @Test
    void leafThatIsNotDoneIsReported() {
        Workflow.Builder builder = Workflow.builder("order").businessKey("orderid").start(A).transition(A, "ok", B);

        assertThat(problems(builder)).containsExactly("path terminates at b, which is not Done: every path must end in Done",
                "b declares event 'ok' but no transition (b, ok) is defined in workflow order");
    }

    @Test
    void severalLeavesAreReportedSortedInOneProblem() {
        Node start = Node.of("A", "x", "y");
        Workflow.Builder builder = Workflow.builder("order").businessKey("orderid").start(start)
            .transition(start, "x", C).transition(start, "y", B);

        assertThat(problems(builder))
            .contains("path terminates at b, c, which is not Done: every path must end in Done");
    }

    @Test
    void fanOutThatOnlyMeetsAtDoneIsReported() {
        Workflow.Builder builder = Workflow.builder("order").businessKey("orderid").start(A).transition(A, "ok", B, C)
            .transition(B, "ok", DONE).transition(C, "ok", DONE);

        assertThat(problems(builder))
            .containsExactly("fan-out branches of transition (a, ok) to b, c must converge on a common step before Done");
    }

    @Test
    void fanOutThatConvergesFurtherDownstreamIsAccepted() {
        Node d = Node.of("D", "ok");
        Node e = Node.of("E", "ok");
        Node f = Node.of("F", "ok");
        Workflow workflow = Workflow.builder("order").businessKey("orderid").start(A).transition(A, "ok", B, C)
            .transition(B, "ok", d).transition(C, "ok", e).transition(d, "ok", f).transition(e, "ok", f)
            .transition(f, "ok", DONE).build();

        assertThat(workflow.predecessors("f")).containsExactly("d", "e");
    }

    @Test
    void fanOutWhereOneBranchIsTheJoinOfTheOtherIsAccepted() {
        Workflow workflow = Workflow.builder("order").businessKey("orderid").start(A).transition(A, "ok", B, C)
            .transition(B, "ok", C).transition(C, "ok", DONE).build();

        assertThat(workflow.predecessors("c")).containsExactly("a", "b");
    }

    @Test
    void dynamicTransitionsAreExemptFromFanOutConvergence() {
        Workflow workflow = Workflow.builder("order").businessKey("orderid").start(A)
            .route(A, "ok", (context) -> List.of(Target.of(B)), B, C).transition(B, "ok", DONE)
            .transition(C, "ok", DONE).build();

        assertThat(workflow.successors("a")).containsExactly("b", "c");
    }

    @Test
    void transitionOnAnUndeclaredEventIsReported() {
        Workflow.Builder builder = valid().transition(A, "oops", DONE);

        assertThat(problems(builder))
            .containsExactly("a does not declare event 'oops' used by transition (a, oops); declared: [ok]");
    }

    @Test
    void dynamicTransitionOnAnUndeclaredEventIsReported() {
        Workflow.Builder builder = valid().route(A, "oops", (context) -> List.of(), DONE);

        assertThat(problems(builder))
            .containsExactly("a does not declare event 'oops' used by transition (a, oops); declared: [ok]");
    }

    @Test
    void declaredEventWithoutTransitionIsReported() {
        Node start = Node.of("A", "ok", "extra");
        Workflow.Builder builder = Workflow.builder("order").businessKey("orderid").start(start)
            .transition(start, "ok", DONE);

        assertThat(problems(builder))
            .containsExactly("a declares event 'extra' but no transition (a, extra) is defined in workflow order");
    }

    @Test
    void stepWithoutEventsIsReported() {
        Node start = new Node("A", Set.of());
        Workflow.Builder builder = Workflow.builder("order").businessKey("orderid").start(start)
            .transition(start, "ok", DONE);

        assertThat(problems(builder)).containsExactly("a must declare at least one event in events()");
    }

    @Test
    void stepWhoseEventsThrowIsReported() {
        Step broken = new Broken();
        Workflow.Builder builder = Workflow.builder("order").businessKey("orderid").start(broken)
            .transition(broken, "ok", DONE);

        assertThat(problems(builder)).containsExactly("broken: events() threw java.lang.IllegalStateException: boom");
    }

    @Test
    void stepAcceptingAnUndeclaredEventFromCallersIsReported() {
        Step lenient = new Step() {

            @Override
            public Set<String> events() {
                return Set.of("ok");
            }

            @Override
            public Set<String> externalEvents() {
                return Set.of("ok", "skip");
            }

            @Override
            public String key() {
                return "lenient";
            }

            @Override
            public StepResult execute(StepInput input) {
                return StepResult.async();
            }
        };
        Workflow.Builder builder = Workflow.builder("order").businessKey("orderid").start(lenient)
            .transition(lenient, "ok", DONE);

        assertThat(problems(builder)).containsExactly("lenient accepts event 'skip' from callers (externalEvents()) but"
                + " does not declare it in events(); declared: [ok]");
    }

    @Test
    void metadataThatIsNotJsonSafeIsReported() {
        Workflow.Builder builder = valid().metadata(Map.of("owner", new Opaque()));

        assertThat(problems(builder)).containsExactly("metadata.owner must be JSON-safe (string, number, boolean, null, "
                + "or a list or string-keyed map of those), got " + Opaque.class.getName() + ": opaque");
    }

    @Test
    void everyProblemIsReportedInOneException() {
        Node d = Node.of("D", "ok");
        Workflow.Builder builder = Workflow.builder("bad name").version(0).start(A).transition(A, "ok", B, C)
            .transition(B, "ok", DONE).transition(C, "ok", DONE).transition(A, "oops", DONE)
            .transition(d, "ok", DONE);

        WorkflowDefinitionException ex = catchThrowableOfType(WorkflowDefinitionException.class, builder::build);

        assertThat(ex.workflow()).isEqualTo("bad name v0");
        assertThat(ex.problems()).containsExactly(
                "workflow name must be non-empty and contain only letters, digits, '_', '-' and '.', got: \"bad name\"",
                "version must be a positive integer, got: 0",
                "a business key is required: call businessKey(\"<key>\")",
                "steps unreachable from start step a: d",
                "fan-out branches of transition (a, ok) to b, c must converge on a common step before Done",
                "a does not declare event 'oops' used by transition (a, oops); declared: [ok]");
        String nl = System.lineSeparator();
        assertThat(ex).hasMessage("Invalid workflow definition 'bad name v0' (6 problems):" + nl
                + " - workflow name must be non-empty and contain only letters, digits, '_', '-' and '.', got: \"bad name\""
                + nl + " - version must be a positive integer, got: 0" + nl
                + " - a business key is required: call businessKey(\"<key>\")" + nl
                + " - steps unreachable from start step a: d" + nl
                + " - fan-out branches of transition (a, ok) to b, c must converge on a common step before Done" + nl
                + " - a does not declare event 'oops' used by transition (a, oops); declared: [ok]");
    }

    @Test
    void graphProblemsAreReportedEvenWithoutAStart() {
        Workflow.Builder builder = Workflow.builder("order").businessKey("orderid").transition(A, "oops", B)
            .transition(A, "ok", DONE);

        assertThat(problems(builder)).containsExactly("a start step is required: call start(step)",
                "path terminates at b, which is not Done: every path must end in Done",
                "a does not declare event 'oops' used by transition (a, oops); declared: [ok]",
                "b declares event 'ok' but no transition (b, ok) is defined in workflow order");
    }

    @Test
    void singleProblemMessageSaysProblem() {
        WorkflowDefinitionException ex = catchThrowableOfType(WorkflowDefinitionException.class,
                () -> valid().version(0).build());

        assertThat(ex).hasMessage("Invalid workflow definition 'order v0' (1 problem):" + System.lineSeparator()
                + " - version must be a positive integer, got: 0");
    }

    private static Workflow.Builder valid() {
        return Workflow.builder("order").businessKey("orderid").start(A).transition(A, "ok", DONE);
    }

    private static List<String> problems(Workflow.Builder builder) {
        WorkflowDefinitionException ex = catchThrowableOfType(WorkflowDefinitionException.class, builder::build);
        assertThat(ex).as("definition should be rejected").isNotNull();
        return ex.problems();
    }

    /** A step named {@code name}, keyed by its snake_case, declaring {@code events}. */
    record Node(String name, Set<String> events) implements Step {

        static Node of(String name, String... events) {
            return new Node(name, new LinkedHashSet<>(List.of(events)));
        }

        @Override
        public StepResult execute(StepInput input) {
            return StepResult.completed(this.events.iterator().next());
        }
    }

    /** A step with an explicit key. */
    record Keyed(String key, String name, Set<String> events) implements Step {

        @Override
        public StepResult execute(StepInput input) {
            return StepResult.completed(this.events.iterator().next());
        }
    }

    static final class Broken implements Step {

        @Override
        public Set<String> events() {
            throw new IllegalStateException("boom");
        }

        @Override
        public StepResult execute(StepInput input) {
            return StepResult.failed("unused");
        }
    }

    static final class Opaque {

        @Override
        public String toString() {
            return "opaque";
        }
    }
}
