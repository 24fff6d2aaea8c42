package io.hephaestus.spring.boot.support;

import java.util.Set;
import java.util.function.Function;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;

/**
 * Tiny workflows for the starter tests.
 */
public final class TestWorkflows {

    public static final String GREETING = "greeting";

    private TestWorkflows() {
    }

    /** {@code hello} completes with {@code greeted}, then Done. */
    public static Workflow greeting(int version) {
        return greeting(version, (input) -> StepResult.completed("greeted"));
    }

    /** {@code hello} runs {@code body} and must complete with {@code greeted}, then Done. */
    public static Workflow greeting(int version, Function<StepInput, StepResult> body) {
        Step hello = step("hello", Set.of("greeted"), body);
        return Workflow.builder(GREETING).version(version).businessKey("greetingid").start(hello)
            .transition(hello, "greeted", Done.step()).build();
    }

    public static Step step(String key, Set<String> events, Function<StepInput, StepResult> body) {
        return new Step() {

            @Override
            public Set<String> events() {
                return events;
            }

            @Override
            public StepResult execute(StepInput input) {
                return body.apply(input);
            }

            @Override
            public String key() {
                return key;
            }

            @Override
            public String name() {
                return key;
            }
        };
    }
}
