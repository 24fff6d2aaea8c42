package io.hephaestus.core.definition;

import org.junit.jupiter.api.Test;

import io.hephaestus.core.steps.Done;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WorkflowRegistryTests {

    private final Workflow orderV1 = workflow("order", 1);

    private final Workflow orderV2 = workflow("order", 2);

    private final Workflow orderV3 = workflow("order", 3);

    private final Workflow refund = workflow("refund", 1);

    @Test
    void severalVersionsLiveSideBySideAndTheHighestIsCurrent() {
        WorkflowRegistry registry = WorkflowRegistry.of(this.orderV2, this.orderV3, this.orderV1, this.refund);

        assertThat(registry.currentVersion("order")).isEqualTo(3);
        assertThat(registry.get("order")).isSameAs(this.orderV3);
        assertThat(registry.get("order", 1)).isSameAs(this.orderV1);
        assertThat(registry.get("order", 2)).isSameAs(this.orderV2);
        assertThat(registry.versions("order")).containsExactly(this.orderV1, this.orderV2, this.orderV3);
        assertThat(registry.get("refund")).isSameAs(this.refund);
    }

    @Test
    void registryListsNamesAndEveryWorkflow() {
        WorkflowRegistry registry = WorkflowRegistry.of(this.orderV2, this.refund, this.orderV1);

        assertThat(registry.names()).containsExactly("order", "refund");
        assertThat(registry.all()).containsExactly(this.orderV1, this.orderV2, this.refund);
        assertThat(registry.contains("order")).isTrue();
        assertThat(registry.contains("invoice")).isFalse();
    }

    @Test
    void currentVersionCanBeChosenExplicitly() {
        WorkflowRegistry registry = WorkflowRegistry.builder().register(this.orderV1).register(this.orderV2)
            .register(this.orderV3).current("order", 2).build();

        assertThat(registry.currentVersion("order")).isEqualTo(2);
        assertThat(registry.get("order")).isSameAs(this.orderV2);
        assertThat(registry.get("order", 3)).isSameAs(this.orderV3);
    }

    @Test
    void unknownWorkflowMessageListsTheRegisteredOnes() {
        WorkflowRegistry registry = WorkflowRegistry.of(this.orderV1, this.refund);

        assertThatExceptionOfType(UnknownWorkflowException.class).isThrownBy(() -> registry.get("invoice"))
            .withMessage("unknown workflow 'invoice'; registered workflows: [order, refund]");
        assertThatExceptionOfType(UnknownWorkflowException.class).isThrownBy(() -> registry.get("invoice", 1))
            .withMessage("unknown workflow 'invoice'; registered workflows: [order, refund]");
        assertThatExceptionOfType(UnknownWorkflowException.class).isThrownBy(() -> registry.versions("invoice"))
            .withMessage("unknown workflow 'invoice'; registered workflows: [order, refund]");
    }

    @Test
    void unknownVersionMessageListsTheAvailableVersions() {
        WorkflowRegistry registry = WorkflowRegistry.of(this.orderV3, this.orderV1);

        assertThatExceptionOfType(UnknownWorkflowException.class).isThrownBy(() -> registry.get("order", 2))
            .withMessage("version 2 of workflow 'order' is not registered; available versions: [1, 3]");
    }

    @Test
    void duplicateVersionIsRejected() {
        Workflow otherV1 = workflow("order", 1);

        assertThatExceptionOfType(WorkflowDefinitionException.class)
            .isThrownBy(() -> WorkflowRegistry.of(this.orderV1, otherV1))
            .satisfies((ex) -> assertThat(ex.problems())
                .containsExactly("workflow 'order' version 1 is registered twice"));
    }

    @Test
    void registeringTheSameWorkflowTwiceIsHarmless() {
        WorkflowRegistry registry = WorkflowRegistry.of(this.orderV1, this.orderV1);

        assertThat(registry.versions("order")).containsExactly(this.orderV1);
    }

    @Test
    void currentVersionThatIsNotRegisteredIsRejected() {
        WorkflowRegistry.Builder builder = WorkflowRegistry.builder().register(this.orderV1).register(this.orderV2)
            .current("order", 5);

        assertThatExceptionOfType(WorkflowDefinitionException.class).isThrownBy(builder::build)
            .satisfies((ex) -> assertThat(ex.problems())
                .containsExactly("current version 5 of workflow 'order' is not registered; available versions: [1, 2]"));
    }

    @Test
    void currentVersionOfAnUnknownWorkflowIsRejected() {
        WorkflowRegistry.Builder builder = WorkflowRegistry.builder().register(this.orderV1).current("invoice", 1);

        assertThatExceptionOfType(WorkflowDefinitionException.class).isThrownBy(builder::build)
            .satisfies((ex) -> assertThat(ex.problems())
                .containsExactly("current version set for unknown workflow 'invoice'"));
    }

    @Test
    void everyRegistryProblemIsReportedTogether() {
        WorkflowRegistry.Builder builder = WorkflowRegistry.builder().register(this.orderV1)
            .register(workflow("order", 1)).current("order", 4).current("invoice", 1);

        assertThatExceptionOfType(WorkflowDefinitionException.class).isThrownBy(builder::build)
            .satisfies((ex) -> assertThat(ex.problems()).containsExactly(
                    "workflow 'order' version 1 is registered twice",
                    "current version 4 of workflow 'order' is not registered; available versions: [1]",
                    "current version set for unknown workflow 'invoice'"));
    }

    @Test
    void laterRegistrationsDoNotChangeABuiltRegistry() {
        WorkflowRegistry.Builder builder = WorkflowRegistry.builder().register(this.orderV1);
        WorkflowRegistry registry = builder.build();

        builder.register(this.orderV2);

        assertThat(registry.versions("order")).containsExactly(this.orderV1);
        assertThat(registry.currentVersion("order")).isEqualTo(1);
    }

    private static Workflow workflow(String name, int version) {
        return Workflow.builder(name).version(version).businessKey("id").start(Done.step()).build();
    }
}
