package io.hephaestus.core.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;

import io.hephaestus.core.InvalidValueException;

/**
 * Validation and deep freezing of JSON-safe values: strings, numbers, booleans, {@code null},
 * and lists and maps (with string keys) of them.
 *
 * <p>Everything Hephaestus stores with an instance (context, step updates, step configs,
 * runtime metadata, caller telemetry metadata) goes through here, so that any storage can
 * persist it as JSON and nobody can mutate it after the fact.
 */
public final class JsonValues {

    private JsonValues() {
    }

    /**
     * Return an immutable, order-preserving deep copy of {@code map}, or throw if a key or value is
     * not JSON-safe.
     * @param map the map to copy
     * @param what the name of the map for error messages, such as {@code "initial context"}
     * @return the frozen copy
     * @throws InvalidValueException naming the path of the first offending entry
     */
    public static Map<String, Object> freeze(Map<String, ?> map, String what) {
        if (map == null) {
            throw new InvalidValueException(what + " must not be null");
        }
        if (map.isEmpty()) {
            return Map.of();
        }
        if (map instanceof FrozenMap frozen) {
            return frozen;
        }
        return freezeMap(map, what);
    }

    /**
     * Return whether {@code value} is JSON-safe, without copying it.
     * @param value the value to check
     * @return {@code true} if {@link #freeze} would accept it inside a map
     */
    public static boolean isJsonSafe(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return true;
        }
        if (isNumber(value)) {
            return isFinite(value);
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String) || !isJsonSafe(entry.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof List<?> list) {
            for (Object element : list) {
                if (!isJsonSafe(element)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static Object freezeValue(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof FrozenMap
                || value instanceof FrozenList) {
            return value;
        }
        if (isNumber(value)) {
            if (!isFinite(value)) {
                throw new InvalidValueException(path + " must be a finite number, got " + value);
            }
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            return freezeMap(map, path);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(freezeValue(list.get(i), path + "[" + i + "]"));
            }
            return new FrozenList(copy);
        }
        throw new InvalidValueException(path + " must be JSON-safe (string, number, boolean, null, "
                + "or a list or string-keyed map of those), got " + value.getClass().getName() + ": " + value);
    }

    private static Map<String, Object> freezeMap(Map<?, ?> map, String path) {
        Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, (int) (map.size() / 0.75f) + 1));
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new InvalidValueException(path + " keys must be strings, got "
                        + (entry.getKey() == null ? "null" : entry.getKey().getClass().getName() + ": " + entry.getKey()));
            }
            copy.put(key, freezeValue(entry.getValue(), path + "." + key));
        }
        return new FrozenMap(copy);
    }

    /**
     * An unmodifiable map whose values are known to be frozen JSON values, so that it is never
     * copied again.
     */
    private static final class FrozenMap extends AbstractMap<String, Object> {

        private final Map<String, Object> delegate;

        FrozenMap(Map<String, Object> map) {
            this.delegate = Collections.unmodifiableMap(map);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return this.delegate.entrySet();
        }

        @Override
        public Object get(Object key) {
            return this.delegate.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return this.delegate.containsKey(key);
        }

        @Override
        public int size() {
            return this.delegate.size();
        }
    }

    /**
     * An unmodifiable list of frozen JSON values.
     */
    private static final class FrozenList extends AbstractList<Object> implements RandomAccess {

        private final List<Object> delegate;

        FrozenList(List<Object> list) {
            this.delegate = list;
        }

        @Override
        public Object get(int index) {
            return this.delegate.get(index);
        }

        @Override
        public int size() {
            return this.delegate.size();
        }
    }

    private static boolean isFinite(Object number) {
        return !((number instanceof Double d && !Double.isFinite(d)) || (number instanceof Float f && !Float.isFinite(f)));
    }

    private static boolean isNumber(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Double
                || value instanceof Float || value instanceof Short || value instanceof Byte
                || value instanceof BigDecimal || value instanceof BigInteger;
    }
}
