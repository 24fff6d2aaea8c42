package io.hephaestus.core.internal;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Derivation of step keys and display names.
 */
public final class StepKeys {

    /** The display name of each step class, computed once per class. */
    private static final ClassValue<String> DISPLAY_NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return computeDisplayName(type);
        }
    };

    /** The latest name and key derived from it, per step class: steps ask for their key often. */
    private static final ClassValue<AtomicReference<NameAndKey>> KEYS = new ClassValue<>() {
        @Override
        protected AtomicReference<NameAndKey> computeValue(Class<?> type) {
            return new AtomicReference<>(new NameAndKey("", ""));
        }
    };

    private StepKeys() {
    }

    /**
     * Return the key of a step whose class does not choose one: its name in snake_case. The key is
     * derived once per class and name, so asking again allocates nothing.
     * @param type the step class
     * @param name the step's display name
     * @return the key
     */
    public static String key(Class<?> type, String name) {
        AtomicReference<NameAndKey> memo = KEYS.get(type);
        NameAndKey last = memo.get();
        if (last.name == name || last.name.equals(name)) {
            return last.key;
        }
        NameAndKey next = new NameAndKey(name, snakeCase(name));
        memo.set(next);
        return next.key;
    }

    /**
     * Return {@code name} in snake_case, following the original engine's rule: lower-case every
     * letter; put an underscore before an upper-case letter when the next character is not an
     * upper-case letter, a digit, {@code .} or {@code _}, or when the previous character is neither
     * upper-case nor an underscore;
     * never before the first character. Characters other than letters, digits and underscores
     * become underscores.
     * @param name a display name such as {@code ValidateOrder} or {@code HTTPClient}
     * @return the key, such as {@code validate_order} or {@code http_client}
     */
    public static String snakeCase(String name) {
        StringBuilder key = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && needsUnderscore(name, i)) {
                    key.append('_');
                }
                key.append(Character.toLowerCase(c));
            }
            else if (Character.isLetterOrDigit(c) || c == '_') {
                key.append(Character.toLowerCase(c));
            }
            else if (key.length() > 0 && key.charAt(key.length() - 1) != '_') {
                key.append('_');
            }
        }
        return key.toString();
    }

    private static boolean needsUnderscore(String name, int i) {
        char previous = name.charAt(i - 1);
        if (i + 1 < name.length()) {
            char next = name.charAt(i + 1);
            if (!Character.isUpperCase(next) && !Character.isDigit(next) && next != '.' && next != '_') {
                return true;
            }
        }
        return !Character.isUpperCase(previous) && previous != '_';
    }

    /**
     * Return the display name of a step class: its simple name, or, for anonymous and synthetic
     * classes, the simple name of the interface or superclass it implements.
     * @param type the step class
     * @return a non-empty display name
     */
    public static String displayName(Class<?> type) {
        return DISPLAY_NAMES.get(type);
    }

    private static String computeDisplayName(Class<?> type) {
        String simple = type.getSimpleName();
        if (!simple.isEmpty() && !simple.contains("$")) {
            return simple;
        }
        Class<?>[] interfaces = type.getInterfaces();
        if (interfaces.length > 0) {
            return interfaces[0].getSimpleName();
        }
        return type.getSuperclass().getSimpleName();
    }

    /**
     * Return the display name that corresponds to a key: {@code await_payment} becomes
     * {@code AwaitPayment}. Built-in steps with their own keys use it, so that logs tell two of them
     * apart.
     * @param key a step key
     * @return the display name
     */
    public static String pascalCase(String key) {
        StringBuilder name = new StringBuilder(key.length());
        boolean upper = true;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '_') {
                upper = true;
            }
            else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    /**
     * A display name and the key derived from it.
     */
    private record NameAndKey(String name, String key) {
    }
}
