package io.hephaestus.sample.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus series names the main README documents in its "Metrics" table, so dashboard and
 * alerts can be held to them.
 */
final class DocumentedMetrics {

    /** A row of the table: meter, type, tags, Prometheus name. */
    private static final Pattern ROW = Pattern
        .compile("^\\| `hephaestus\\.[^`]+` \\| [a-z]+ \\| [^|]+ \\| `(hephaestus_[a-z_]+)(_\\{([a-z,]+)\\}|_\\*)?` \\|$");

    /** What a timer's {@code _*} stands for. */
    private static final Set<String> TIMER_SUFFIXES = Set.of("bucket", "count", "sum", "max");

    private DocumentedMetrics() {
    }

    /**
     * Return the main README.
     */
    static Path readme() {
        return ObservabilityFiles.directory().getParent().getParent().resolve("README.md");
    }

    /**
     * Return every series name of the README's metrics table, with the suffixes of timers spelt
     * out ({@code hephaestus_step_stop_duration_seconds_bucket}, ...).
     * @throws IllegalStateException if the table has no rows
     */
    static Set<String> seriesNames() {
        String readme;
        try {
            readme = Files.readString(readme());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + readme(), ex);
        }
        Set<String> names = new LinkedHashSet<>();
        for (String line : readme.split("\n")) {
            Matcher row = ROW.matcher(line.strip());
            if (!row.matches()) {
                continue;
            }
            if (row.group(2) == null) {
                names.add(row.group(1));
            }
            else {
                Set<String> suffixes = (row.group(3) != null) ? Set.of(row.group(3).split(",")) : TIMER_SUFFIXES;
                suffixes.forEach((suffix) -> names.add(row.group(1) + "_" + suffix));
            }
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("no metrics table rows in " + readme());
        }
        return names;
    }
}
