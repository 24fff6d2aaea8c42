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
                arguments(Named.of("lower-case UUID", "123e4567-e89b-12d3-a456-426614174000"),
                        "orderid::123e4567-e89b-12d3-a456-426614174000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedValues")
    void idForAcceptsLowerCaseAlphanumericsAndLowerCaseUuids(String value, String id) {
        assertThat(this.key.idFor(value)).isEqualTo(id);
    }

    static Stream<Arguments> rejectedValues() {
        return Stream.of(
                arguments(Named.of("upper-case", "ABC")),
                arguments(Named.of("dash outside a UUID", "order-42")),
                arguments(Named.of("underscore", "order_42")),
                arguments(Named.of("separator", "a::b")),
                arguments(Named.of("space", "order 42")),
                arguments(Named.of("empty", "")),
                arguments(Named.of("upper-case UUID", "123E4567-E89B-12D3-A456-426614174000")),
                arguments(Named.of("malformed UUID", "123e4567e89b-12d3-a456-426614174000-")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedValues")
    void idForRejectsOtherValues(String value) {
        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> this.key.idFor(value))
            .withMessage("invalid business key value: \"" + value + "\". Must be [a-z0-9]+ or a lowercase UUID");
    }

    @Test
    void requireValidValueRejectsNull() {
        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> BusinessKey.requireValidValue(null))
            .withMessage("invalid business key value: \"null\". Must be [a-z0-9]+ or a lowercase UUID");
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
