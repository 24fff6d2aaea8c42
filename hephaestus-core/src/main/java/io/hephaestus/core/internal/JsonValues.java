package io.hephaestus.core.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

import org.jspecify.annotations.Nullable;

import io.hephaestus.core.InvalidValueException;
import io.hephaestus.core.ValueTooLargeException;

/**
 * Validation and deep freezing of JSON-safe values: strings, numbers, booleans, {@code null},
 * and lists and maps (with string keys) of them.
 *
 * <p>Everything Hephaestus stores with an instance (context, step updates, step configs,
 * runtime metadata, caller telemetry metadata) goes through here, so that any storage can
 * persist it as JSON and nobody can mutate it after the fact.
 */
public final class JsonValues {

    /**
     * Marks a rejected value while freezing, so that the happy path builds no error paths.
     */
    private static final Object INVALID = new Object();

    /** The deepest nesting of maps and lists accepted (a storage nests them inside its snapshot, under its own limit). */
    public static final int MAX_DEPTH = 500;

    private JsonValues() {
    }

    /**
     * Return an immutable, order-preserving deep copy of {@code map}, or throw if a key or value is
     * not JSON-safe. A map this class froze before is returned as it is.
     * @param map the map to copy
     * @param what the name of the map for error messages, such as {@code "initial context"}
     * @return the frozen copy
     * @throws InvalidValueException naming the path of the first offending entry
     */
    public static Map<String, Object> freeze(@Nullable Map<String, ?> map, String what) {
        return freeze(map, what, "");
    }

    /**
     * Like {@link #freeze(Map, String)}, for a map named {@code what + subject}; the name is only
     * built when the map is rejected, so that freezing valid maps allocates no strings.
     * @param map the map to copy
     * @param what the first part of the name, such as {@code "context of step "}
     * @param subject the second part of the name, such as a step key
     * @return the frozen copy
     * @throws InvalidValueException naming the path of the first offending entry
     */
    public static Map<String, Object> freeze(@Nullable Map<String, ?> map, String what, String subject) {
        if (map == null) {
            throw new InvalidValueException(what + subject + " must not be null");
        }
        if (map instanceof JsonMap frozen) {
            return frozen;
        }
        if (map.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> frozen = freezeMap(map, 1);
        if (frozen == null) {
            throw new InvalidValueException(problem(map, what + subject, 1));
        }
        return frozen;
    }

    /**
     * Throw unless {@code map}, written as JSON in UTF-8, takes at most {@code limit} bytes. The
     * size is that of compact JSON (control characters counted as six-byte escapes), and the walk
     * stops as soon as the limit is passed.
     * @param map a JSON-safe map
     * @param limit the most bytes allowed
     * @param what the name of the map for the error message
     * @throws ValueTooLargeException if the map is larger
     */
    public static void requireSizeAtMost(Map<String, ?> map, long limit, String what) {
        if (!map.isEmpty() && size(map, limit, 0) > limit) {
            throw new ValueTooLargeException(what, limit);
        }
    }

    /**
     * Return {@code used} plus the JSON size of {@code value}, or any number above {@code limit}
     * once the total passes it.
     */
    private static long size(@Nullable Object value, long limit, long used) {
        if (used > limit) {
            return used;
        }
        if (value == null) {
            return used + 4;
        }
        if (value instanceof String string) {
            return used + stringSize(string);
        }
        if (value instanceof Boolean bool) {
            return used + (bool ? 4 : 5);
        }
        if (value instanceof Map<?, ?> map) {
            long total = used + 2 + Math.max(0, map.size() - 1);
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                total = size(entry.getValue(), limit, total + stringSize(String.valueOf(entry.getKey())) + 1);
                if (total > limit) {
                    return total;
                }
            }
            return total;
        }
        if (value instanceof List<?> list) {
            long total = used + 2 + Math.max(0, list.size() - 1);
            for (Object element : list) {
                total = size(element, limit, total);
                if (total > limit) {
                    return total;
                }
            }
            return total;
        }
        return used + value.toString().length();
    }

    private static long stringSize(String string) {
        long bytes = 2;
        for (int i = 0, n = string.length(); i < n; i++) {
            char c = string.charAt(i);
            if (c == '"' || c == '\\') {
                bytes += 2;
            }
            else if (c < 0x20) {
                bytes += 6;
            }
            else if (c < 0x80) {
                bytes += 1;
            }
            else if (c < 0x800) {
                bytes += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(string.charAt(i + 1))) {
                bytes += 4;
                i++;
            }
            else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Return whether {@code value} is JSON-safe, without copying it.
     * @param value the value to check
     * @return {@code true} if {@link #freeze} would accept it inside a map
     */
    public static boolean isJsonSafe(@Nullable Object value) {
        return problem(value, "", 1) == null;
    }

    /**
     * Copy one value, or return {@link #INVALID} if it (or anything inside it) is not JSON-safe.
     */
    private static @Nullable Object freezeValue(@Nullable Object value, int depth) {
        if (value == null || value instanceof Boolean || value instanceof JsonMap || value instanceof JsonList) {
            return value;
        }
        if (value instanceof String string) {
            return isStorable(string) ? string : INVALID;
        }
        if (isNumber(value)) {
            return isFinite(value) ? value : INVALID;
        }
        if (depth >= MAX_DEPTH) {
            return INVALID;
        }
        if (value instanceof Map<?, ?> map) {
            Object frozen = freezeMap(map, depth + 1);
            return (frozen != null) ? frozen : INVALID;
        }
        if (value instanceof List<?> list) {
            Object[] copy = new Object[list.size()];
            int i = 0;
            for (Object element : list) {
                Object frozen = freezeValue(element, depth + 1);
                if (frozen == INVALID) {
                    return INVALID;
                }
                copy[i++] = frozen;
            }
            return new JsonList(copy);
        }
        return INVALID;
    }

    /**
     * Copy a map, or return null if a key or value is not JSON-safe.
     */
    private static @Nullable Map<String, Object> freezeMap(Map<?, ?> map, int depth) {
        int size = map.size();
        String[] keys = new String[size];
        Object[] values = new Object[size];
        int i = 0;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key) || !isStorable(key)) {
                return null;
            }
            Object value = freezeValue(entry.getValue(), depth);
            if (value == INVALID) {
                return null;
            }
            keys[i] = key;
            values[i++] = value;
        }
        return new JsonMap(keys, values);
    }

    /**
     * Return whether a string can be stored by every storage: no U+0000 (PostgreSQL's text and
     * {@code jsonb} refuse it) and no unpaired surrogate (not valid UTF-8).
     */
    private static boolean isStorable(String string) {
        for (int i = 0, n = string.length(); i < n; i++) {
            char c = string.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(string.charAt(i + 1))) {
                    i++;
                }
                else {
                    return false;
                }
            }
        }
        return true;
    }

    private static String unstorable(String string) {
        return (string.indexOf(0) >= 0) ? "contains the character U+0000, which storages cannot hold"
                : "contains an unpaired surrogate, which is not valid Unicode text";
    }

    /**
     * Describe the first value inside {@code value} that is not JSON-safe, with its path, or return
     * null if there is none. Only called to explain a rejection, so paths are built freely.
     */
    private static @Nullable String problem(@Nullable Object value, String path, int depth) {
        if (value == null || value instanceof Boolean) {
            return null;
        }
        if (value instanceof String string) {
            return isStorable(string) ? null : path + " " + unstorable(string);
        }
        if (isNumber(value)) {
            return isFinite(value) ? null : path + " must be a finite number, got " + value;
        }
        if ((value instanceof Map || value instanceof List) && depth > MAX_DEPTH) {
            return path + " is nested more than " + MAX_DEPTH + " levels deep";
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    return path + " keys must be strings, got " + ((entry.getKey() == null) ? "null"
                            : entry.getKey().getClass().getName() + ": " + entry.getKey());
                }
                if (!isStorable(key)) {
                    return path + " has a key that " + unstorable(key);
                }
                String problem = problem(entry.getValue(), path + "." + key, depth + 1);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        if (value instanceof List<?> list) {
            int i = 0;
            for (Object element : list) {
                String problem = problem(element, path + "[" + i++ + "]", depth + 1);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        return path + " must be JSON-safe (string, number, boolean, null, "
                + "or a list or string-keyed map of those), got " + value.getClass().getName() + ": " + value;
    }

    /**
     * A frozen map whose values are known to be frozen JSON values, so that it is never copied
     * again.
     */
    private static final class JsonMap extends Frozen.FrozenMap<Object> {

        JsonMap(String[] keys, Object[] values) {
            super(keys, values);
        }
    }

    /**
     * An unmodifiable list of frozen JSON values (which may include null).
     */
    private static final class JsonList extends AbstractList<Object> implements RandomAccess {

        private final Object[] elements;

        JsonList(Object[] elements) {
            this.elements = elements;
        }

        @Override
        public @Nullable Object get(int index) {
            return this.elements[index];
        }

        @Override
        public int size() {
            return this.elements.length;
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
