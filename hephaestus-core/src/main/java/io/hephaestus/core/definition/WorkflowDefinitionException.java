package io.hephaestus.core.definition;

import java.util.List;

import io.hephaestus.core.HephaestusException;

/**
 * {@link HephaestusException} thrown when a workflow definition is invalid. It lists every problem
 * found, each naming the step and event involved; no part of the workflow is registered.
 *
 * @since 0.1.0
 */
public class WorkflowDefinitionException extends HephaestusException {

    private static final long serialVersionUID = 1L;

    private final String workflow;

    private final List<String> problems;

    /**
     * Create an exception for the given problems.
     * @param workflow the name of the workflow (and version) being defined
     * @param problems every problem found, at least one
     */
    public WorkflowDefinitionException(String workflow, List<String> problems) {
        super(message(workflow, problems));
        this.workflow = workflow;
        this.problems = List.copyOf(problems);
    }

    /**
     * Return the workflow the problems were found in.
     * @return the workflow name and version, such as {@code order v2}
     */
    public String workflow() {
        return this.workflow;
    }

    /**
     * Return every problem found, in the order the checks ran.
     * @return the problems, not empty
     */
    public List<String> problems() {
        return this.problems;
    }

    private static String message(String workflow, List<String> problems) {
        StringBuilder message = new StringBuilder("Invalid workflow definition '").append(workflow).append("' (")
            .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        problems.forEach((problem) -> message.append(System.lineSeparator()).append(" - ").append(problem));
        return message.toString();
    }
}
