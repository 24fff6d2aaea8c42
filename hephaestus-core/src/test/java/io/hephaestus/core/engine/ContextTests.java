package io.hephaestus.core.engine;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hephaestus.core.InvalidValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContextTests {

    @Test
    void emptyContextHasNoInitialDataAndNoSteps() {
        assertThat(Context.empty().initial()).isEmpty();
        assertThat(Context.empty().steps()).isEmpty();
    }

    @Test
    void contextOfKeepsAFrozenCopyOfTheInitialData() {
        Map<String, Object> initial = new HashMap<>(Map.of("amount", 10));

        Context context = Context.of(initial);
        initial.put("amount", 20);

        assertThat(context.initial()).isEqualTo(Map.of("amount", 10));
        assertThat(context.steps()).isEmpty();
        assertThatThrownBy(() -> context.initial().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void withStepStoresTheUpdatesUnderTheStepKeyAndLeavesTheOriginalAlone() {
        Context original = Context.of(Map.of("amount", 10));

        Context next = original.withStep("validate", Map.of("valid", true));

        assertThat(next.step("validate")).isEqualTo(Map.of("valid", true));
        assertThat(next.initial()).isEqualTo(Map.of("amount", 10));
        assertThat(original.steps()).isEmpty();
    }

    @Test
    void withStepReplacesAnEarlierEntryWithoutMerging() {
        Context context = Context.empty().withStep("charge", Map.of("a", 1, "b", 2));

        Context next = context.withStep("charge", Map.of("c", 3));

        assertThat(next.step("charge")).isEqualTo(Map.of("c", 3));
    }

    @Test
    void stepsKeepCompletionOrder() {
        Context context = Context.empty().withStep("b", Map.of()).withStep("a", Map.of()).withStep("c", Map.of());

        assertThat(context.steps()).containsOnlyKeys("b", "a", "c");
        assertThat(context.steps().keySet()).containsExactly("b", "a", "c");
    }

    @Test
    void stepsCannotBeModified() {
        Context context = Context.empty().withStep("a", Map.of("x", 1));

        assertThatThrownBy(() -> context.steps().put("b", Map.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> context.step("a").put("y", 2)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void stepOfAStepThatHasNotCompletedIsEmpty() {
        assertThat(Context.empty().step("nope")).isEmpty();
    }

    @Test
    void initialReturnsPresentValuesOnly() {
        Map<String, Object> initial = new HashMap<>();
        initial.put("amount", 10);
        initial.put("coupon", null);
        Context context = Context.of(initial);

        assertThat(context.initial("amount")).contains(10);
        assertThat(context.initial("coupon")).isEmpty();
        assertThat(context.initial("absent")).isEmpty();
    }

    @Test
    void nonJsonSafeStepResultsAreRejectedNamingTheStep() {
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> Context.empty().withStep("charge", Map.of("card", new StringBuilder("4242"))))
            .withMessageStartingWith("context of step charge.card must be JSON-safe");
    }

    @Test
    void nonJsonSafeInitialDataIsRejected() {
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> Context.of(Map.of("amount", Double.NaN)))
            .withMessage("initial context.amount must be a finite number, got NaN");
    }

    @Test
    void contextsWithTheSameDataAreEqual() {
        assertThat(Context.of(Map.of("a", 1)).withStep("s", Map.of("x", 1)))
            .isEqualTo(new Context(new HashMap<>(Map.of("a", 1)), Map.of("s", new HashMap<>(Map.of("x", 1)))));
    }
}
