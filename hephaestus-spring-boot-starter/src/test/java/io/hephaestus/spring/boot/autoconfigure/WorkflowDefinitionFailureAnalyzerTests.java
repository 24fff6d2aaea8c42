package io.hephaestus.spring.boot.autoconfigure;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowDefinitionException;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.spring.boot.support.TestWorkflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@ExtendWith(OutputCaptureExtension.class)
class WorkflowDefinitionFailureAnalyzerTests {

    private static final String NL = System.lineSeparator();

    private final WorkflowDefinitionFailureAnalyzer analyzer = new WorkflowDefinitionFailureAnalyzer();

    @Test
    void descriptionListsEveryProblemOnItsOwnLine() {
        var failure = new WorkflowDefinitionException("order v2", List.of("first problem", "second problem"));
        FailureAnalysis analysis = this.analyzer.analyze(failure);
        assertThat(analysis.getDescription()).isEqualTo("Workflow 'order v2' is invalid (2 problems):" + NL + NL
                + "    - first problem" + NL + "    - second problem");
        assertThat(analysis.getCause()).isSameAs(failure);
    }

    @Test
    void descriptionCountsASingleProblem() {
        FailureAnalysis analysis = this.analyzer
            .analyze(new WorkflowDefinitionException("order v1", List.of("only problem")));
        assertThat(analysis.getDescription()).startsWith("Workflow 'order v1' is invalid (1 problem):");
    }

    @Test
    void descriptionNamesTheBeanThatDefinesTheWorkflow() {
        var failure = new WorkflowDefinitionException("order v1", List.of("problem"));
        var wrapped = new BeanCreationException("hephaestusRunner", "runner failed",
                new BeanCreationException("orderWorkflow", "workflow failed", failure));
        FailureAnalysis analysis = this.analyzer.analyze(wrapped);
        assertThat(analysis.getDescription())
            .startsWith("Workflow 'order v1' defined by bean 'orderWorkflow' is invalid");
        assertThat(analysis.getCause()).isSameAs(failure);
    }

    @Test
    void actionNamesTheWorkflowAndTheReadmeSection() {
        FailureAnalysis analysis = this.analyzer
            .analyze(new WorkflowDefinitionException("order v1", List.of("problem")));
        assertThat(analysis.getAction()).contains("workflow 'order v1'")
            .contains("transitions and events")
            .contains("\"Defining workflows\" section");
    }

    @Test
    void registryFailureIsAnalyzedWithItsOwnAction() {
        WorkflowDefinitionException failure = catchThrowableOfType(WorkflowDefinitionException.class,
                () -> WorkflowRegistry.builder().register(TestWorkflows.greeting(1)).current("greeting", 2).build());
        FailureAnalysis analysis = this.analyzer.analyze(failure);
        assertThat(analysis.getDescription()).startsWith("The Hephaestus workflow registry is invalid (1 problem):")
            .contains(NL + "    - current version 2 of workflow 'greeting' is not registered");
        assertThat(analysis.getAction()).contains("'hephaestus.workflows.current.<name>'")
            .contains("one bean only");
    }

    @Test
    void registryFailureIsRecognizedByTheNameTheCoreGivesIt() {
        Workflow greeting = TestWorkflows.greeting(1);
        WorkflowDefinitionException failure = catchThrowableOfType(WorkflowDefinitionException.class,
                () -> WorkflowRegistry.builder().register(greeting).register(TestWorkflows.greeting(1)).build());
        assertThat(failure.workflow()).isEqualTo(WorkflowDefinitionFailureAnalyzer.REGISTRY);
    }

    @Test
    void otherFailuresAreNotAnalyzed() {
        assertThat(this.analyzer.analyze(new IllegalStateException("unrelated"))).isNull();
    }

    @Test
    void analyzerIsRegisteredInSpringFactories() {
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
            .load(FailureAnalyzer.class, null, (factoryType, name, failure) -> {
                // Boot's own analyzers need constructor arguments this test does not provide.
            });
        assertThat(analyzers).hasAtLeastOneElementOfType(WorkflowDefinitionFailureAnalyzer.class);
    }

    @Test
    void failedStartUpReportsTheAnalysis(CapturedOutput output) {
        SpringApplication application = new SpringApplication(InvalidWorkflowConfiguration.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatExceptionOfType(BeanCreationException.class)
            .isThrownBy(() -> application.run("--spring.main.banner-mode=off"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Workflow 'broken v1' defined by bean 'broken' is invalid (1 problem):")
            .contains("    - hello declares event 'waved' but no transition");
    }

    @Configuration(proxyBeanMethods = false)
    static class InvalidWorkflowConfiguration {

        @Bean
        Workflow broken() {
            Step hello = TestWorkflows.step("hello", Set.of("greeted", "waved"),
                    (input) -> StepResult.completed("greeted"));
            return Workflow.builder("broken").businessKey("brokenid").start(hello)
                .transition(hello, "greeted", Done.step()).build();
        }
    }
}
