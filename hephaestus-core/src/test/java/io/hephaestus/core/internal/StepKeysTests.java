package io.hephaestus.core.internal;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;

import static org.assertj.core.api.Assertions.assertThat;

class StepKeysTests {

    @ParameterizedTest(name = "{0} becomes {1}")
    @CsvSource({
            "ValidateOrder, validate_order",
            "StepA,         step_a",
            "ParallelB,     parallel_b",
            "WaitForEvent,  wait_for_event",
            "Done,          done",
            "HTTPClient,    http_client",
            "ABTest,        ab_test",
            "Step2,         step2",
            "Step2A,        step2_a",
            "V2Step,        v2_step",
            "A,             a" })
    void snakeCaseFollowsTheOriginalRule(String name, String key) {
        assertThat(StepKeys.snakeCase(name)).isEqualTo(key);
    }

    @ParameterizedTest(name = "{0} becomes {1}")
    @CsvSource({
            // An upper-case letter followed by a lower-case one always gets an underscore, even after '_'.
            "Foo_Bar,       foo__bar",
            // After '_' and before another upper-case letter (or at the end), it does not.
            "Foo_BAR,       foo_bar",
            "Foo_B,         foo_b",
            "already_snake, already_snake" })
    void snakeCaseTreatsUnderscoresAsTheOriginalDoes(String name, String key) {
        assertThat(StepKeys.snakeCase(name)).isEqualTo(key);
    }

    @Test
    void snakeCaseTurnsOtherCharactersIntoUnderscores() {
        assertThat(StepKeys.snakeCase("Charge-card")).isEqualTo("charge_card");
        assertThat(StepKeys.snakeCase("send email")).isEqualTo("send_email");
    }

    @Test
    void displayNameIsTheSimpleNameOfANamedClass() {
        assertThat(StepKeys.displayName(ValidateOrder.class)).isEqualTo("ValidateOrder");
    }

    @Test
    void displayNameOfAnAnonymousStepIsTheInterfaceName() {
        Step anonymous = new Step() {
            @Override
            public Set<String> events() {
                return Set.of("done");
            }

            @Override
            public StepResult execute(StepInput input) {
                return StepResult.completed("done");
            }
        };

        assertThat(StepKeys.displayName(anonymous.getClass())).isEqualTo("Step");
        assertThat(anonymous.key()).isEqualTo("step");
    }

    @Test
    void stepKeyDefaultsToTheSnakeCasedClassName() {
        assertThat(new ValidateOrder().name()).isEqualTo("ValidateOrder");
        assertThat(new ValidateOrder().key()).isEqualTo("validate_order");
    }

    static final class ValidateOrder implements Step {

        @Override
        public Set<String> events() {
            return Set.of("valid");
        }

        @Override
        public StepResult execute(StepInput input) {
            return StepResult.completed("valid");
        }
    }

    @org.junit.jupiter.api.Test
    void pascalCaseTurnsAKeyBackIntoADisplayName() {
        org.assertj.core.api.Assertions.assertThat(StepKeys.pascalCase("await_payment")).isEqualTo("AwaitPayment");
        org.assertj.core.api.Assertions.assertThat(StepKeys.pascalCase("wait_for_event")).isEqualTo("WaitForEvent");
        org.assertj.core.api.Assertions.assertThat(StepKeys.pascalCase("step2_a")).isEqualTo("Step2A");
        org.assertj.core.api.Assertions.assertThat(io.hephaestus.core.steps.Wait.of("cooldown",
                java.time.Duration.ofSeconds(1)).name()).isEqualTo("Cooldown");
        org.assertj.core.api.Assertions.assertThat(io.hephaestus.core.steps.WaitForEvent.create().name())
            .isEqualTo("WaitForEvent");
    }

    @Test
    void keyIsDerivedOncePerClassAndNameAndFollowsANewName() {
        String first = StepKeys.key(KeyedByName.class, "ChargePayment");
        assertThat(first).isEqualTo("charge_payment");
        assertThat(StepKeys.key(KeyedByName.class, "ChargePayment")).isSameAs(first);
        assertThat(StepKeys.key(KeyedByName.class, "ReserveInventory")).isEqualTo("reserve_inventory");
        assertThat(StepKeys.key(KeyedByName.class, "ChargePayment")).isEqualTo("charge_payment");
    }

    @Test
    void displayNameIsTheSameObjectEveryTime() {
        assertThat(StepKeys.displayName(KeyedByName.class)).isEqualTo("KeyedByName")
            .isSameAs(StepKeys.displayName(KeyedByName.class));
    }

    private static final class KeyedByName {
    }
}
