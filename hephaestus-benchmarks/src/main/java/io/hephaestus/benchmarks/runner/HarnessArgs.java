package io.hephaestus.benchmarks.runner;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of the database harnesses ({@link JdbcBenchmark}, {@link ClusterBenchmark}):
 * {@code --name value} pairs, and the database they connect to from the environment.
 */
final class HarnessArgs {

    private final Map<String, String> values;

    private HarnessArgs(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parse {@code --name value} pairs.
     * @param args the command line
     * @param known the option names, without {@code --}
     * @return the options
     * @throws IllegalArgumentException if an argument is not a pair or names an unknown option
     */
    static HarnessArgs parse(String[] args, List<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!name.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got '" + name + "'; options: --"
                        + String.join(" --", known));
            }
            if (!known.contains(name.substring(2))) {
                throw new IllegalArgumentException("unknown option " + name + "; options: --" + String.join(" --", known));
            }
            values.put(name.substring(2), args[i + 1]);
        }
        return new HarnessArgs(values);
    }

    String string(String name, String fallback) {
        return this.values.getOrDefault(name, fallback);
    }

    int intOption(String name, int fallback) {
        String value = this.values.get(name);
        try {
            return (value == null) ? fallback : Integer.parseInt(value);
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("--" + name + " must be an integer, got '" + value + "'", ex);
        }
    }

    double doubleOption(String name, double fallback) {
        String value = this.values.get(name);
        try {
            return (value == null) ? fallback : Double.parseDouble(value);
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + value + "'", ex);
        }
    }

    /** The JDBC URL of the benchmark database: {@code HEPHAESTUS_TEST_JDBC_URL}, else the local test database. */
    static String url() {
        return env("HEPHAESTUS_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    /** The database user: {@code HEPHAESTUS_TEST_JDBC_USER}, else {@code postgres}. */
    static String user() {
        return env("HEPHAESTUS_TEST_JDBC_USER", "postgres");
    }

    /** The database password: {@code HEPHAESTUS_TEST_JDBC_PASSWORD}, else none. */
    static String password() {
        return env("HEPHAESTUS_TEST_JDBC_PASSWORD", "");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return (value == null || value.isBlank()) ? fallback : value;
    }
}
