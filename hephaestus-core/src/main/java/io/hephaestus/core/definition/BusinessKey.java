package io.hephaestus.core.definition;

import java.util.Objects;
import java.util.regex.Pattern;

import io.hephaestus.core.InvalidValueException;

/**
 * {@link BusinessKey} is how a workflow names its instances: ids are {@code <key>::<value>}, where
 * the value comes from the business (an order number, a customer UUID), and how unique they are.
 *
 * @param key the key, lower-case letters and digits only, such as {@code orderid}
 * @param scope among which instances an id must be unique while active
 * @since 0.1.0
 */
public record BusinessKey(String key, UniquenessScope scope) {

    /** The separator between key, value and, for scope {@code NONE}, the random suffix. */
    public static final String SEPARATOR = "::";

    private static final Pattern KEY = Pattern.compile("[a-z0-9]+");

    /** The longest business value accepted, in characters. */
    public static final int MAX_VALUE_LENGTH = 128;

    private static final Pattern VALUE = Pattern.compile("(?!\\.+$)[A-Za-z0-9._-]+");

    /**
     * Validate the components.
     */
    public BusinessKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(scope, "scope");
        if (!KEY.matcher(key).matches()) {
            throw new InvalidValueException(
                    "business key must contain only lowercase letters and digits [a-z0-9], got: \"" + key + "\"");
        }
    }

    /**
     * Return a business key with the default scope {@link UniquenessScope#WORKFLOW}.
     * @param key the key
     * @return the business key
     */
    public static BusinessKey of(String key) {
        return new BusinessKey(key, UniquenessScope.WORKFLOW);
    }

    /**
     * Return the id for a business value, without the random suffix of scope {@code NONE}.
     * @param value the business value: letters, digits, {@code .}, {@code _} and {@code -}, at most
     *        {@value #MAX_VALUE_LENGTH} characters; case is significant
     * @return the id, {@code <key>::<value>}
     * @throws InvalidValueException naming the value if it is not acceptable
     */
    public String idFor(String value) {
        requireValidValue(value);
        return this.key + SEPARATOR + value;
    }

    /**
     * Throw unless {@code value} is an acceptable business value: 1 to {@value #MAX_VALUE_LENGTH}
     * letters ({@code A-Z}, {@code a-z}), digits, {@code .}, {@code _} or {@code -}, such as
     * {@code ORD-2024-001} or a UUID. Case is significant: {@code A42} and {@code a42} are different
     * values. Separators ({@code ::}), slashes, whitespace, control characters and values made only of
     * dots ({@code .}, {@code ..}, which would read as paths) are never accepted.
     * @param value the business value
     * @throws InvalidValueException naming the value if it is not acceptable
     */
    public static void requireValidValue(String value) {
        if (value == null) {
            throw new InvalidValueException("invalid business key value: null");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new InvalidValueException("invalid business key value: " + value.length()
                    + " characters, at most " + MAX_VALUE_LENGTH + " allowed (starts with \""
                    + value.substring(0, 20) + "\")");
        }
        if (!VALUE.matcher(value).matches()) {
            throw new InvalidValueException("invalid business key value: \"" + printable(value)
                    + "\". Must be 1 to " + MAX_VALUE_LENGTH + " letters, digits, '.', '_' or '-', not only dots");
        }
    }

    private static String printable(String value) {
        StringBuilder shown = new StringBuilder(value.length());
        value.codePoints().forEach((c) -> {
            if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", c));
            }
            else {
                shown.appendCodePoint(c);
            }
        });
        return shown.toString();
    }

    /**
     * Return the business value of an id.
     * @param id an id such as {@code orderid::42} or {@code orderid::42::1a2b3c4d}
     * @return the value, such as {@code 42}
     * @throws InvalidValueException if the id does not have two or three parts
     */
    public static String valueOf(String id) {
        String[] parts = id.split(SEPARATOR, -1);
        if (parts.length != 2 && parts.length != 3) {
            throw new InvalidValueException("invalid business id format: " + id);
        }
        return parts[1];
    }
}
