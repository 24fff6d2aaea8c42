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

    private static final Pattern VALUE = Pattern.compile("[a-z0-9]+|[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}");

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
     * @param value the business value: {@code [a-z0-9]+} or a lower-case UUID
     * @return the id, {@code <key>::<value>}
     * @throws InvalidValueException naming the value if it is not acceptable
     */
    public String idFor(String value) {
        requireValidValue(value);
        return this.key + SEPARATOR + value;
    }

    /**
     * Throw unless {@code value} is an acceptable business value.
     * @param value the business value
     * @throws InvalidValueException naming the value if it is not acceptable
     */
    public static void requireValidValue(String value) {
        if (value == null || !VALUE.matcher(value).matches()) {
            throw new InvalidValueException("invalid business key value: \"" + value
                    + "\". Must be [a-z0-9]+ or a lowercase UUID");
        }
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
