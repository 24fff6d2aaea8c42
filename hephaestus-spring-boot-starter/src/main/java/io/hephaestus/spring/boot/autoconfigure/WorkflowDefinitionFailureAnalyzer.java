package io.hephaestus.spring.boot.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.hephaestus.core.definition.WorkflowDefinitionException;

/**
 * {@link org.springframework.boot.diagnostics.FailureAnalyzer FailureAnalyzer} for a
 * {@link WorkflowDefinitionException} that stopped the application: an invalid workflow bean, or a
 * workflow registry that could not be built (a name and version defined twice). It lists every
 * problem on its own line and says where to fix it. A {@code hephaestus.workflows.current} entry
 * that names no registered version is a property error, reported by
 * {@link HephaestusPropertiesFailureAnalyzer}.
 *
 * @since 0.1.0
 */
public class WorkflowDefinitionFailureAnalyzer extends AbstractFailureAnalyzer<WorkflowDefinitionException> {

    /** The name the core gives a {@link WorkflowDefinitionException} from the registry builder. */
    static final String REGISTRY = "registry";

    private static final String README = "the \"Defining workflows\" section of the Hephaestus Spring Boot"
            + " starter README";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WorkflowDefinitionException cause) {
        boolean registry = REGISTRY.equals(cause.workflow());
        String bean = beanName(rootFailure, cause);
        List<String> problems = cause.problems();
        StringBuilder description = new StringBuilder()
            .append(registry ? "The Hephaestus workflow registry" : "Workflow '" + cause.workflow() + "'")
            .append((bean != null) ? " defined by bean '" + bean + "'" : "")
            .append(" is invalid (")
            .append(problems.size())
            .append((problems.size() == 1) ? " problem):" : " problems):")
            .append(System.lineSeparator());
        problems.forEach((problem) -> description.append(System.lineSeparator()).append("    - ").append(problem));
        return new FailureAnalysis(description.toString(), action(cause, registry), cause);
    }

    private static String action(WorkflowDefinitionException cause, boolean registry) {
        if (registry) {
            return "Define each workflow name and version in one bean only, and make every"
                    + " 'hephaestus.workflows.current.<name>' property name a registered workflow and one of its"
                    + " versions. See " + README + ".";
        }
        return "Fix the definition of workflow '" + cause.workflow() + "': check the transitions and events of the"
                + " steps named above. Every event a step declares in events() needs a transition, every transition"
                + " must use a declared event, and every path must end in Done. See " + README + ".";
    }

    /**
     * Return the bean whose creation threw the exception: the innermost bean creation failure, as
     * the outer ones are beans that depended on it.
     */
    private static @Nullable String beanName(Throwable rootFailure, Throwable cause) {
        String name = null;
        for (Throwable candidate = rootFailure; candidate != null && candidate != cause;
                candidate = candidate.getCause()) {
            if (candidate instanceof BeanCreationException creation && creation.getBeanName() != null) {
                name = creation.getBeanName();
            }
        }
        return name;
    }
}
