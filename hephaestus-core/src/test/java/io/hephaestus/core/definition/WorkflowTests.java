package io.hephaestus.core.definition;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkflowTests {

    private static final Node VALIDATE = Node.of("Validate", "valid", "invalid");

    private static final Node CHARGE = Node.of("Charge", "ok");

    private static final Node RESERVE = Node.of("Reserve", "ok");

    private static final Node SHIP = Node.of("Ship", "shipped");

    private static final Node REJECT = Node.of("Reject", "rejected");

    private static final Router SHIP_ROUTER = (context) -> List.of(Target.of(Done.step()));

    private final Workflow workflow = Workflow.builder("order")
        .version(2)
        .businessKey("orderid", UniquenessScope.VERSION)
        .start(Target.of(VALIDATE, Map.of("strict", true)))
        .transition(VALIDATE, "valid", CHARGE, RESERVE)
        .transition(VALIDATE, "invalid", REJECT)
        .transition(CHARGE, "ok", Target.of(SHIP, Map.of("carrier", "ups")))
        .transition(RESERVE, "ok", SHIP)
        .transition(REJECT, "rejected", Done.step())
        .route(SHIP, "shipped", SHIP_ROUTER, Done.step())
        .tags("billing", "eu")
        .metadata(Map.of("owner", "payments", "limits", List.of(1, 2)))
        .build();

    @Test
    void workflowExposesItsOptions() {
        assertThat(this.workflow.name()).isEqualTo("order");
        assertThat(this.workflow.version()).isEqualTo(2);
        assertThat(this.workflow.businessKey()).isEqualTo(new BusinessKey("orderid", UniquenessScope.VERSION));
        assertThat(this.workflow.start()).isEqualTo(Target.of(VALIDATE, Map.of("strict", true)));
        assertThat(this.workflow.tags()).containsExactly("billing", "eu");
        assertThat(this.workflow.metadata()).isEqualTo(Map.of("owner", "payments", "limits", List.of(1, 2)));
        assertThat(this.workflow).hasToString("Workflow[order v2]");
    }

    @Test
    void defaultsAreVersionOneNoTagsNoMetadataAndWorkflowScope() {
        Workflow minimal = Workflow.builder("minimal").businessKey("id").start(Done.step()).build();

        assertThat(minimal.version()).isEqualTo(1);
        assertThat(minimal.tags()).isEmpty();
        assertThat(minimal.metadata()).isEmpty();
        assertThat(minimal.businessKey().scope()).isEqualTo(UniquenessScope.WORKFLOW);
    }

    @Test
    void stepsAreKeyedStartFirstInDeclarationOrder() {
        assertThat(this.workflow.steps()).containsExactly(Map.entry("validate", VALIDATE),
                Map.entry("charge", CHARGE), Map.entry("reserve", RESERVE), Map.entry("reject", REJECT),
                Map.entry("ship", SHIP), Map.entry("done", Done.step()));
        assertThat(this.workflow.step("ship")).contains(SHIP);
        assertThat(this.workflow.step("nope")).isEmpty();
    }

    @Test
    void successorsAndPredecessorsFollowTheEdges() {
        assertThat(this.workflow.successors("validate")).containsExactly("charge", "reserve", "reject");
        assertThat(this.workflow.successors("ship")).containsExactly("done");
        assertThat(this.workflow.successors("done")).isEmpty();
        assertThat(this.workflow.predecessors("ship")).containsExactly("charge", "reserve");
        assertThat(this.workflow.predecessors("done")).containsExactly("reject", "ship");
        assertThat(this.workflow.predecessors("validate")).isEmpty();
    }

    @Test
    void unknownStepsHaveNoEdges() {
        assertThat(this.workflow.successors("nope")).isEmpty();
        assertThat(this.workflow.predecessors("nope")).isEmpty();
    }

    @Test
    void transitionIsLookedUpByStepAndEvent() {
        assertThat(this.workflow.transition("validate", "valid")).hasValueSatisfying((transition) -> {
            assertThat(transition).isInstanceOf(Transition.Static.class);
            assertThat(((Transition.Static) transition).targets()).containsExactly(Target.of(CHARGE),
                    Target.of(RESERVE));
        });
        assertThat(this.workflow.transition("charge", "ok")).hasValueSatisfying((transition) -> assertThat(
                ((Transition.Static) transition).targets()).containsExactly(Target.of(SHIP, Map.of("carrier", "ups"))));
        assertThat(this.workflow.transition("ship", "shipped")).hasValueSatisfying((transition) -> {
            Transition.Dynamic dynamic = (Transition.Dynamic) transition;
            assertThat(dynamic.router()).isSameAs(SHIP_ROUTER);
            assertThat(dynamic.possibleTargets()).containsExactly(Done.step());
        });
        assertThat(this.workflow.transition("validate", "unknown")).isEmpty();
        assertThat(this.workflow.transition("nope", "valid")).isEmpty();
    }

    @Test
    void transitionsKeepDeclarationOrder() {
        assertThat(this.workflow.transitions()).extracting((t) -> t.from().key() + ":" + t.event())
            .containsExactly("validate:valid", "validate:invalid", "charge:ok", "reserve:ok", "reject:rejected",
                    "ship:shipped");
    }

    @Test
    void workflowCannotBeModified() {
        assertThatThrownBy(() -> this.workflow.steps().put("x", CHARGE))
            .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> this.workflow.transitions().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> this.workflow.successors("validate").add("x"))
            .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> this.workflow.predecessors("ship").clear())
            .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> this.workflow.tags().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> this.workflow.metadata().put("x", 1))
            .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toMermaidDrawsStaticEdgesSolidAndDynamicEdgesDotted() {
        Node a = Node.of("A", "ok");
        Node b = Node.of("B", "ok");
        Node c = Node.of("C", "ok");
        Node d = Node.of("D", "ok");
        Workflow small = Workflow.builder("small").businessKey("id").start(a).transition(a, "ok", b, c)
            .transition(b, "ok", d).transition(c, "ok", d).route(d, "ok", (context) -> List.of(), Done.step())
            .build();

        assertThat(small.toMermaid()).isEqualTo("""
                flowchart TD
                    a["A"]
                    b["B"]
                    c["C"]
                    d["D"]
                    done["Done"]
                    a -->|ok| b
                    a -->|ok| c
                    b -->|ok| d
                    c -->|ok| d
                    d -.->|ok| done
                """);
    }

    @Test
    void workflowStartingWithDoneAndNoTransitionsIsValid() {
        Workflow trivial = Workflow.builder("trivial").businessKey("id").start(Done.step()).build();

        assertThat(trivial.steps()).containsOnlyKeys("done");
        assertThat(trivial.transitions()).isEmpty();
        assertThat(trivial.toMermaid()).isEqualTo("flowchart TD\n    done[\"Done\"]\n");
    }

    @Test
    void builderDoesNotShareStateWithTheBuiltWorkflow() {
        Workflow.Builder builder = Workflow.builder("grow").businessKey("id").start(CHARGE)
            .transition(CHARGE, "ok", Done.step());
        Workflow first = builder.build();

        builder.tags("late");

        assertThat(first.tags()).isEmpty();
        assertThat(first.transitions()).hasSize(1);
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
}
