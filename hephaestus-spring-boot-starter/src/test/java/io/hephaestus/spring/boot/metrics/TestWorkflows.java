package io.hephaestus.spring.boot.metrics;

import java.util.Set;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;

/**
 * A tiny workflow for the metrics tests: its one step {@code work} completes, throws or waits
 * depending on the {@code mode} of the initial context, then {@code Done} ends the instance.
 */
final class TestWorkflows {

    static final String WORK = "work";

    static final String EVENT = "done";

    private TestWorkflows() {
    }

    /**
     * Return the workflow: {@code work --done--> done}. Mode {@code ok} (the default) completes,
     * {@code fail} throws, {@code wait} goes async until resumed with {@code done}.
     */
    static Workflow tiny(String name) {
        Step work = new Work();
        return Workflow.builder(name).businessKey("key").start(work).transition(work, EVENT, Done.step()).build();
    }

    private static final class Work implements Step {

        @Override
        public Set<String> events() {
            return Set.of(EVENT);
        }

        @Override
        public StepResult execute(StepInput input) {
            String mode = String.valueOf(input.initial("mode").orElse("ok"));
            return switch (mode) {
                case "fail" -> throw new IllegalStateException("asked to fail");
                case "wait" -> StepResult.async();
                default -> StepResult.completed(EVENT);
            };
        }

        @Override
        public String key() {
            return WORK;
        }

        @Override
        public String name() {
            return "Work";
        }
    }
}
