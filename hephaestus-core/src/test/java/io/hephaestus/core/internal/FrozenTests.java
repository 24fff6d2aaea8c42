package io.hephaestus.core.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class FrozenTests {

    @Test
    void setKeepsInsertionOrderAndDropsDuplicatesOfAList() {
        Set<String> set = Frozen.set(List.of("c", "a", "c", "b"), "steps");
        assertThat(set).containsExactly("c", "a", "b");
    }

    @Test
    void setOfAFrozenSetIsTheSameObject() {
        Set<String> set = Frozen.set(List.of("a", "b"), "steps");
        assertThat(Frozen.set(set, "steps")).isSameAs(set);
    }

    @Test
    void setRejectsNullElementsNamingTheCollection() {
        List<String> withNull = new ArrayList<>();
        withNull.add("a");
        withNull.add(null);
        assertThatNullPointerException().isThrownBy(() -> Frozen.set(withNull, "activeSteps"))
            .withMessage("activeSteps element");
    }

    @Test
    void plusAppendsAndMinusRemovesWithoutTouchingTheOriginal() {
        Set<String> original = Frozen.set(List.of("a", "b"), "steps");
        Set<String> plus = Frozen.plus(original, "c");
        Set<String> minus = Frozen.minus(plus, "a");
        assertThat(original).containsExactly("a", "b");
        assertThat(plus).containsExactly("a", "b", "c");
        assertThat(minus).containsExactly("b", "c");
        assertThat(Frozen.plus(plus, "a")).isSameAs(plus);
        assertThat(Frozen.minus(plus, "z")).isSameAs(plus);
        assertThat(Frozen.minus(Frozen.set(List.of("a"), "steps"), "a")).isEmpty();
        assertThat(Frozen.plus(Set.of(), "a")).containsExactly("a");
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, Frozen.INDEX_THRESHOLD, Frozen.INDEX_THRESHOLD + 1, 100 })
    void largeAndSmallCollectionsFindEveryElementAndNothingElse(int size) {
        List<String> keys = IntStream.range(0, size).mapToObj((i) -> "step_" + i).collect(Collectors.toList());
        Set<String> set = Frozen.set(keys, "steps");
        Map<String, Integer> map = Frozen.map(keys.stream().collect(Collectors.toMap((k) -> k, String::length,
                (a, b) -> a, LinkedHashMap::new)), "map");
        for (String key : keys) {
            assertThat(set.contains(key)).as(key).isTrue();
            assertThat(map.get(key)).as(key).isEqualTo(key.length());
        }
        assertThat(set.contains("missing")).isFalse();
        assertThat(set.contains(null)).isFalse();
        assertThat(map.containsKey("missing")).isFalse();
        assertThat(map.get(null)).isNull();
        assertThat(set).containsExactlyElementsOf(keys);
        assertThat(map.keySet()).containsExactlyElementsOf(keys);
    }

    @Test
    void setsAndMapsEqualTheirJdkCounterparts() {
        Set<String> set = Frozen.set(List.of("a", "b"), "steps");
        assertThat(set).isEqualTo(new HashSet<>(List.of("b", "a"))).hasSameHashCodeAs(Set.of("a", "b"));
        Map<String, Integer> map = Frozen.map(Map.of("a", 1, "b", 2), "map");
        assertThat(map).isEqualTo(new HashMap<>(Map.of("b", 2, "a", 1))).hasSameHashCodeAs(Map.of("a", 1, "b", 2));
    }

    @Test
    void putReplacesInPlaceOrAppendsAndRemoveDropsTheKey() {
        Map<String, Integer> map = Frozen.put(Frozen.put(Map.of(), "a", 1), "b", 2);
        assertThat(Frozen.put(map, "a", 3)).containsExactly(Map.entry("a", 3), Map.entry("b", 2));
        assertThat(Frozen.put(map, "c", 3)).containsExactly(Map.entry("a", 1), Map.entry("b", 2), Map.entry("c", 3));
        assertThat(Frozen.remove(map, "a")).containsExactly(Map.entry("b", 2));
        assertThat(Frozen.remove(map, "z")).isSameAs(map);
        assertThat(Frozen.remove(Frozen.remove(map, "a"), "b")).isEmpty();
        assertThat(map).containsExactly(Map.entry("a", 1), Map.entry("b", 2));
    }

    @Test
    void mapWithValueFreezingKeepsTheMapWhenEveryValueIsAlreadyFrozen() {
        Map<String, Map<String, Object>> source = new LinkedHashMap<>();
        source.put("a", JsonValues.freeze(Map.of("n", 1), "a"));
        Map<String, Map<String, Object>> frozen = Frozen.map(source, "steps", (k, v) -> JsonValues.freeze(v, k));
        assertThat(Frozen.map(frozen, "steps", (k, v) -> JsonValues.freeze(v, k))).isSameAs(frozen);

        Map<String, Map<String, Object>> mutable = new LinkedHashMap<>();
        mutable.put("b", new HashMap<>(Map.of("n", 2)));
        Map<String, Map<String, Object>> mixed = Frozen.put(frozen, "b", mutable.get("b"));
        Map<String, Map<String, Object>> refrozen = Frozen.map(mixed, "steps", (k, v) -> JsonValues.freeze(v, k));
        assertThat(refrozen).isNotSameAs(mixed).isEqualTo(mixed);
        assertThat(JsonValues.freeze(refrozen.get("b"), "b")).isSameAs(refrozen.get("b"));
        assertThat(refrozen.get("a")).isSameAs(frozen.get("a"));
    }

    @Test
    void mapRejectsNullKeysAndValuesNamingTheMap() {
        Map<String, Object> nullValue = new HashMap<>();
        nullValue.put("a", null);
        assertThatNullPointerException().isThrownBy(() -> Frozen.map(nullValue, "timers")).withMessage("timers value");
        Map<String, Object> nullKey = new HashMap<>();
        nullKey.put(null, 1);
        assertThatNullPointerException().isThrownBy(() -> Frozen.map(nullKey, "timers")).withMessage("timers key");
    }

    @Test
    void frozenCollectionsCannotBeModified() {
        Set<String> set = Frozen.set(new LinkedHashSet<>(List.of("a", "b")), "steps");
        Map<String, Integer> map = Frozen.map(Map.of("a", 1), "map");
        List<String> list = Frozen.append(List.of("a"), "b");
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> set.add("c"));
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> set.remove("a"));
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(set::clear);
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> {
            var iterator = set.iterator();
            iterator.next();
            iterator.remove();
        });
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> map.put("b", 2));
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> map.remove("a"));
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> map.keySet().remove("a"));
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> map.values().clear());
        assertThatExceptionOfType(UnsupportedOperationException.class)
            .isThrownBy(() -> map.entrySet().iterator().next().setValue(5));
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> list.add("c"));
        assertThat(set).containsExactly("a", "b");
        assertThat(map).containsExactly(Map.entry("a", 1));
        assertThat(list).containsExactly("a", "b");
    }

    @Test
    void listOfAFrozenListIsTheSameObjectAndAppendCopies() {
        List<String> one = Frozen.append(List.of(), "a");
        List<String> two = Frozen.append(one, "b");
        assertThat(Frozen.list(two)).isSameAs(two);
        assertThat(one).containsExactly("a");
        assertThat(two).containsExactly("a", "b");
    }

    @Test
    void keysAndElementsAreListsInIterationOrder() {
        Map<String, Integer> map = Frozen.put(Frozen.put(Map.of(), "b", 1), "a", 2);
        assertThat(Frozen.keys(map)).containsExactly("b", "a");
        assertThat(Frozen.keys(new LinkedHashMap<>(map))).containsExactly("b", "a");
        assertThat(Frozen.elements(Frozen.set(List.of("z", "y"), "s"))).containsExactly("z", "y");
    }
}
