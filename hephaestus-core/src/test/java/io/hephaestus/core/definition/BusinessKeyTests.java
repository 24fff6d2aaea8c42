package io.hephaestus.core.definition;

import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.hephaestus.core.InvalidValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class BusinessKeyTests {

    private final BusinessKey key = BusinessKey.of("orderid");

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = { "orderid", "order2", "42" })
    void keyOfLowerCaseLettersAndDigitsIsAccepted(String value) {
        assertThat(BusinessKey.of(value).key()).isEqualTo(value);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = { "", "OrderId", "order-id", "order_id", "order id", "order::id" })
    void keyWithOtherCharactersIsRejected(String value) {
        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> BusinessKey.of(value))
            .withMessage("business key must contain only lowercase letters and digits [a-z0-9], got: \"" + value + "\"");
    }

    @Test
    void defaultScopeIsWorkflow() {
        assertThat(this.key.scope()).isEqualTo(UniquenessScope.WORKFLOW);
        assertThat(new BusinessKey("orderid", UniquenessScope.GLOBAL).scope()).isEqualTo(UniquenessScope.GLOBAL);
    }

    static Stream<Arguments> acceptedValues() {
        return Stream.of(
                arguments(Named.of("lower-case letters and digits", "abc123"), "orderid::abc123"),
                arguments(Named.of("digits only", "42"), "orderid::42"),
                arguments(Named.of("order number with dashes", "ORD-2024-001"), "orderid::ORD-2024-001"),
                arguments(Named.of("upper-case letter and digits", "A42"), "orderid::A42"),
                arguments(Named.of("underscore and dot", "batch_7.part.2"), "orderid::batch_7.part.2"),
                arguments(Named.of("upper-case UUID", "123E4567-E89B-12D3-A456-426614174000"),
                        "orderid::123E4567-E89B-12D3-A456-426614174000"),
                arguments(Named.of("128 characters", "x".repeat(128)), "orderid::" + "x".repeat(128)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedValues")
    void idForAcceptsLettersOfBothCasesDigitsDotsDashesAndUnderscores(String value, String id) {
        assertThat(this.key.idFor(value)).isEqualTo(id);
    }

    @Test
    void businessValuesAreCaseSensitive() {
        assertThat(this.key.idFor("A42")).isNotEqualTo(this.key.idFor("a42"));
    }

    static Stream<Arguments> rejectedValues() {
        return Stream.of(
                arguments(Named.of("separator", "a::b"), "\"a::b\""),
                arguments(Named.of("colon", "a:b"), "\"a:b\""),
                arguments(Named.of("slash", "orders/42"), "\"orders/42\""),
                arguments(Named.of("space", "order 42"), "\"order 42\""),
                arguments(Named.of("tab", "order\t42"), "\"order\\u000942\""),
                arguments(Named.of("newline", "42\n"), "\"42\\u000a\""),
                arguments(Named.of("non-ASCII letter", "ördër"), "\"ördër\""),
                arguments(Named.of("empty", ""), "\"\""),
                arguments(Named.of("one dot", "."), "\".\""),
                arguments(Named.of("two dots", ".."), "\"..\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedValues")
    void idForRejectsOtherValuesNamingThemPrintably(String value, String shown) {
        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> this.key.idFor(value))
            .withMessage("invalid business key value: " + shown
                    + ". Must be 1 to 128 letters, digits, '.', '_' or '-', not only dots");
    }

    @Test
    void idForRejectsValuesLongerThanTheMaximumWithoutEchoingThemWhole() {
        String tooLong = "A".repeat(BusinessKey.MAX_VALUE_LENGTH + 1);
        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> this.key.idFor(tooLong))
            .withMessage("invalid business key value: 129 characters, at most 128 allowed (starts with \""
                    + "A".repeat(20) + "\")");
        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> this.key.idFor("9".repeat(8000)))
            .withMessageStartingWith("invalid business key value: 8000 characters");
    }

    @Test
    void requireValidValueRejectsNull() {
        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> BusinessKey.requireValidValue(null))
            .withMessage("invalid business key value: null");
    }

    @Test
    void valueOfReturnsTheValueOfATwoPartId() {
        assertThat(BusinessKey.valueOf("orderid::42")).isEqualTo("42");
    }

    @Test
    void valueOfReturnsTheValueOfAThreePartIdWithSuffix() {
        assertThat(BusinessKey.valueOf("orderid::42::1a2b3c4d")).isEqualTo("42");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = { "orderid", "orderid:42", "a::b::c::d", "" })
    void valueOfRejectsIdsWithoutTwoOrThreeParts(String id) {
        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> BusinessKey.valueOf(id))
            .withMessage("invalid business id format: " + id);
    }
}
