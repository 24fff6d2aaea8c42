package io.hephaestus.core;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.hephaestus.core.definition.WorkflowDefinitionException;

import static org.assertj.core.api.Assertions.assertThat;

class HephaestusExceptionTests {

    @Test
    void messageAndCauseAreKept() {
        IllegalStateException cause = new IllegalStateException("root");

        HephaestusException ex = new HephaestusException("wrapped", cause);

        assertThat(ex).hasMessage("wrapped").hasCause(cause);
    }

    @Test
    void workflowDefinitionExceptionCopiesItsProblems() {
        List<String> problems = new ArrayList<>(List.of("first"));

        WorkflowDefinitionException ex = new WorkflowDefinitionException("order v1", problems);
        problems.add("second");

        assertThat(ex.workflow()).isEqualTo("order v1");
        assertThat(ex.problems()).containsExactly("first");
        assertThat(ex).hasMessage("Invalid workflow definition 'order v1' (1 problem):" + System.lineSeparator()
                + " - first");
    }
}
