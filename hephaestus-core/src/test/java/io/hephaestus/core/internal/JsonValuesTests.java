package io.hephaestus.core.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.hephaestus.core.InvalidValueException;
import io.hephaestus.core.ValueTooLargeException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonValuesTests {

    @Test
    void freezeRejectsStringsNoStorageCanHoldNamingThePath() {
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> JsonValues.freeze(Map.of("note", List.of("ok", "nul\u0000byte")), "context"))
            .withMessage("context.note[1] contains the character U+0000, which storages cannot hold");
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> JsonValues.freeze(Map.of("half", "\uD83D"), "context"))
            .withMessage("context.half contains an unpaired surrogate, which is not valid Unicode text");
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> JsonValues.freeze(Map.of("k\u0000", 1), "context"))
            .withMessage("context has a key that contains the character U+0000, which storages cannot hold");
        assertThat(JsonValues.freeze(Map.of("emoji", "\uD83D\uDE00", "accent", "é"), "context"))
            .containsEntry("emoji", "\uD83D\uDE00");
    }

    @Test
    void freezeAcceptsNestingUpToTheMaximumDepthAndRejectsDeeper() {
        assertThat(JsonValues.freeze(nested(JsonValues.MAX_DEPTH), "context")).isNotEmpty();
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> JsonValues.freeze(nested(JsonValues.MAX_DEPTH + 1), "context"))
            .withMessageEndingWith(" is nested more than 500 levels deep");
    }

    /** A map of {@code levels} maps, each holding the next under "n". */
    private static Map<String, Object> nested(int levels) {
        Map<String, Object> map = new HashMap<>();
        for (int level = 1; level < levels; level++) {
            map = Map.of("n", map);
        }
        return map;
    }

    @Test
    void requireSizeAtMostMeasuresCompactJsonInUtf8Bytes() {
        // {"k":[1,true,null,"x\"y"]} is 26 bytes; {"a":"é"} is 10 (é takes two bytes).
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("k", java.util.Arrays.asList(1, true, null, "x\"y"));
        Map<String, Object> accented = Map.of("a", "é");

        JsonValues.requireSizeAtMost(nested, 26, "context");
        JsonValues.requireSizeAtMost(accented, 10, "context");
        assertThatExceptionOfType(ValueTooLargeException.class)
            .isThrownBy(() -> JsonValues.requireSizeAtMost(nested, 25, "context"))
            .withMessage("context is larger than 25 bytes of JSON, the most this runner accepts");
        assertThatExceptionOfType(ValueTooLargeException.class)
            .isThrownBy(() -> JsonValues.requireSizeAtMost(accented, 9, "context"));
        JsonValues.requireSizeAtMost(Map.of(), 1, "empty context");
    }

    @Test
    void freezeAcceptsNestedMapsListsNullsAndNumbers() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("nothing", null);
        nested.put("list", List.of(1, 2L, 3.5, "four", true));
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("text", "hello");
        source.put("flag", false);
        source.put("int", 1);
        source.put("long", 2L);
        source.put("double", 0.5d);
        source.put("float", 1.5f);
        source.put("short", (short) 3);
        source.put("byte", (byte) 4);
        source.put("decimal", new BigDecimal("12.34"));
        source.put("big", new BigInteger("123456789012345678901234567890"));
        source.put("nested", nested);
        source.put("none", null);

        Map<String, Object> frozen = JsonValues.freeze(source, "ctx");

        assertThat(frozen).isEqualTo(source);
        assertThat(frozen).containsEntry("none", null).doesNotContainKey("absent");
        assertThat(frozen.get("nested")).isEqualTo(nested);
        assertThat(frozen.keySet()).containsExactly("text", "flag", "int", "long", "double", "float", "short", "byte",
                "decimal", "big", "nested", "none");
    }

    @Test
    void freezeRejectsAnObjectNamingItsPath() {
        Map<String, Object> source = Map.of("a", Map.of("b", List.of(1, new Opaque())));

        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> JsonValues.freeze(source, "ctx"))
            .withMessage("ctx.a.b[1] must be JSON-safe (string, number, boolean, null, or a list or string-keyed map of "
                    + "those), got io.hephaestus.core.internal.JsonValuesTests$Opaque: opaque");
    }

    @Test
    void freezeRejectsSetsAndDates() {
        assertThatThrownBy(() -> JsonValues.freeze(Map.of("tags", Set.of("x")), "metadata"))
            .isInstanceOf(InvalidValueException.class)
            .hasMessageStartingWith("metadata.tags must be JSON-safe");
        assertThatThrownBy(() -> JsonValues.freeze(Map.of("at", Instant.parse("2026-01-01T00:00:00Z")), "metadata"))
            .isInstanceOf(InvalidValueException.class)
            .hasMessageStartingWith("metadata.at must be JSON-safe");
    }

    @Test
    void freezeRejectsNonStringKeysNamingThePath() {
        Map<String, Object> source = Map.of("inner", Map.of(42, "x"));

        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> JsonValues.freeze(source, "ctx"))
            .withMessage("ctx.inner keys must be strings, got java.lang.Integer: 42");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(doubles = { Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY })
    void freezeRejectsNonFiniteDoubles(double value) {
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> JsonValues.freeze(Map.of("x", List.of(value)), "ctx"))
            .withMessage("ctx.x[0] must be a finite number, got " + value);
    }

    @Test
    void freezeRejectsFloatNaN() {
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> JsonValues.freeze(Map.of("x", Float.NaN), "ctx"))
            .withMessage("ctx.x must be a finite number, got NaN");
    }

    @Test
    void freezeRejectsNull() {
        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> JsonValues.freeze(null, "config"))
            .withMessage("config must not be null");
    }

    @Test
    void frozenMapsAndListsCannotBeMutated() {
        Map<String, Object> frozen = JsonValues.freeze(Map.of("list", List.of(1), "map", Map.of("k", "v")), "ctx");
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) frozen.get("list");
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) frozen.get("map");

        assertThatThrownBy(() -> frozen.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> frozen.remove("list")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(frozen::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> frozen.entrySet().iterator().next().setValue(2))
            .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> list.add(2)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> list.set(0, 2)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> list.removeIf((element) -> true)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> map.put("k", "w")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(frozen).isEqualTo(Map.of("list", List.of(1), "map", Map.of("k", "v")));
    }

    @Test
    void freezeCopiesDeeply() {
        List<Object> list = new ArrayList<>(List.of("a"));
        Map<String, Object> inner = new HashMap<>(Map.of("k", "v"));
        Map<String, Object> source = new HashMap<>();
        source.put("list", list);
        source.put("inner", inner);

        Map<String, Object> frozen = JsonValues.freeze(source, "ctx");
        list.add("b");
        inner.put("k", "changed");
        source.put("added", 1);

        assertThat(frozen).isEqualTo(Map.of("list", List.of("a"), "inner", Map.of("k", "v")));
    }

    @Test
    void freezingAFrozenMapReturnsTheSameObject() {
        Map<String, Object> frozen = JsonValues.freeze(Map.of("a", 1), "ctx");

        assertThat(JsonValues.freeze(frozen, "again")).isSameAs(frozen);
    }

    @Test
    void freezingAMapOfFrozenValuesReusesThem() {
        Map<String, Object> inner = JsonValues.freeze(Map.of("a", 1), "inner");

        Map<String, Object> outer = JsonValues.freeze(Map.of("inner", inner), "outer");

        assertThat(outer.get("inner")).isSameAs(inner);
    }

    @Test
    void isJsonSafeAgreesWithFreeze() {
        assertThat(JsonValues.isJsonSafe(Map.of("a", List.of(1, "x", true)))).isTrue();
        assertThat(JsonValues.isJsonSafe(null)).isTrue();
        assertThat(JsonValues.isJsonSafe(Map.of(1, "x"))).isFalse();
        assertThat(JsonValues.isJsonSafe(List.of(new Opaque()))).isFalse();
        assertThat(JsonValues.isJsonSafe(Double.NaN)).isFalse();
        assertThat(JsonValues.isJsonSafe(List.of(Float.POSITIVE_INFINITY))).isFalse();
    }

    static final class Opaque {

        @Override
        public String toString() {
            return "opaque";
        }
    }
}
