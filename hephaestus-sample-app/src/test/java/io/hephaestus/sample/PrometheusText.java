package io.hephaestus.sample;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), enough to prove that a
 * scrape parses and to look samples up: {@code # HELP} and {@code # TYPE} lines, other comments,
 * and samples {@code name{label="value",...} value [timestamp]} with valid metric and label names,
 * escaped label values and float values (including {@code +Inf}, {@code -Inf} and {@code NaN}).
 * Every sample must belong to a family declared by a {@code # TYPE} line.
 */
final class PrometheusText {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_total", "_created");

    private final Map<String, String> types;

    private final List<Sample> samples;

    private PrometheusText(Map<String, String> types, List<Sample> samples) {
        this.types = Collections.unmodifiableMap(types);
        this.samples = List.copyOf(samples);
    }

    /**
     * Parse a scrape.
     * @param text the exposition text
     * @return the parsed scrape
     * @throws IllegalArgumentException naming the line number and what is wrong
     */
    static PrometheusText parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            try {
                if (line.isBlank()) {
                    continue;
                }
                if (line.startsWith("#")) {
                    comment(line, types);
                    continue;
                }
                Sample sample = new SampleReader(line).read();
                if (familyOf(sample.name(), types).isEmpty()) {
                    throw new IllegalArgumentException("sample " + sample.name() + " has no # TYPE line before it");
                }
                samples.add(sample);
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + ex.getMessage() + ": " + line, ex);
            }
        }
        return new PrometheusText(types, samples);
    }

    /**
     * Return the declared type of a family.
     * @param family the family name as in its {@code # TYPE} line
     * @return the type, or empty if the family is not declared
     */
    Optional<String> type(String family) {
        return Optional.ofNullable(this.types.get(family));
    }

    /**
     * Return every sample.
     * @return the samples, in scrape order
     */
    List<Sample> samples() {
        return this.samples;
    }

    /**
     * Return the samples with a name whose labels include every given label.
     * @param name the sample name
     * @param labels label names and values, alternating
     * @return the matching samples
     */
    List<Sample> find(String name, String... labels) {
        Map<String, String> wanted = labels(labels);
        return this.samples.stream()
            .filter((sample) -> sample.name().equals(name))
            .filter((sample) -> sample.labels().entrySet().containsAll(wanted.entrySet()))
            .collect(Collectors.toList());
    }

    /**
     * Return the value of the one sample with a name whose labels include every given label.
     * @param name the sample name
     * @param labels label names and values, alternating
     * @return the value
     * @throws IllegalStateException if no sample or several samples match
     */
    double value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            throw new IllegalStateException("expected one sample " + name + labels(labels) + ", found " + found);
        }
        return found.get(0).value();
    }

    private static Map<String, String> labels(String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels must be name and value pairs");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        return map;
    }

    private static void comment(String line, Map<String, String> types) {
        String[] parts = line.split(" ", 4);
        if (parts.length < 3 || !parts[0].equals("#") || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
            return;
        }
        if (!METRIC_NAME.matcher(parts[2]).matches()) {
            throw new IllegalArgumentException("invalid metric name '" + parts[2] + "' in # " + parts[1]);
        }
        if (parts[1].equals("TYPE")) {
            if (parts.length != 4 || !TYPES.contains(parts[3])) {
                throw new IllegalArgumentException("invalid # TYPE line");
            }
            if (types.put(parts[2], parts[3]) != null) {
                throw new IllegalArgumentException("family " + parts[2] + " is declared twice");
            }
        }
    }

    private static Optional<String> familyOf(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return Optional.of(name);
        }
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix)) {
                String family = name.substring(0, name.length() - suffix.length());
                if (types.containsKey(family)) {
                    return Optional.of(family);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * One sample line.
     *
     * @param name the sample name
     * @param labels the labels, in line order
     * @param value the value
     */
    record Sample(String name, Map<String, String> labels, double value) {

        @Override
        public String toString() {
            return this.name + this.labels + " " + this.value;
        }
    }

    /**
     * Reads one sample line, character by character.
     */
    private static final class SampleReader {

        private final String line;

        private int pos;

        SampleReader(String line) {
            this.line = line;
        }

        Sample read() {
            String name = token(METRIC_NAME, "metric name");
            Map<String, String> labels = new LinkedHashMap<>();
            if (peek() == '{') {
                this.pos++;
                while (peek() != '}') {
                    String label = token(LABEL_NAME, "label name");
                    expect('=');
                    expect('"');
                    if (labels.put(label, labelValue()) != null) {
                        throw new IllegalArgumentException("label " + label + " appears twice");
                    }
                    if (peek() == ',') {
                        this.pos++;
                    }
                    else if (peek() != '}') {
                        throw new IllegalArgumentException("expected ',' or '}' at column " + (this.pos + 1));
                    }
                }
                this.pos++;
            }
            expect(' ');
            String[] rest = this.line.substring(this.pos).split(" ", -1);
            if (rest.length > 2) {
                throw new IllegalArgumentException("unexpected text after the value");
            }
            double value = number(rest[0]);
            if (rest.length == 2) {
                try {
                    Long.parseLong(rest[1]);
                }
                catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("invalid timestamp '" + rest[1] + "'");
                }
            }
            return new Sample(name, labels, value);
        }

        private String token(Pattern pattern, String what) {
            int start = this.pos;
            while (this.pos < this.line.length() && isTokenChar(this.line.charAt(this.pos))) {
                this.pos++;
            }
            String token = this.line.substring(start, this.pos);
            if (!pattern.matcher(token).matches()) {
                throw new IllegalArgumentException("invalid " + what + " '" + token + "' at column " + (start + 1));
            }
            return token;
        }

        private String labelValue() {
            StringBuilder value = new StringBuilder();
            while (true) {
                if (this.pos >= this.line.length()) {
                    throw new IllegalArgumentException("unterminated label value");
                }
                char c = this.line.charAt(this.pos++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\') {
                    if (this.pos >= this.line.length()) {
                        throw new IllegalArgumentException("unterminated escape in label value");
                    }
                    char escaped = this.line.charAt(this.pos++);
                    switch (escaped) {
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        case 'n' -> value.append('\n');
                        default -> throw new IllegalArgumentException("invalid escape '\\" + escaped + "' in label value");
                    }
                }
                else {
                    value.append(c);
                }
            }
        }

        private static double number(String text) {
            switch (text) {
                case "+Inf":
                    return Double.POSITIVE_INFINITY;
                case "-Inf":
                    return Double.NEGATIVE_INFINITY;
                case "NaN":
                    return Double.NaN;
                default:
                    if (!text.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                        throw new IllegalArgumentException("invalid value '" + text + "'");
                    }
                    return Double.parseDouble(text);
            }
        }

        private char peek() {
            if (this.pos >= this.line.length()) {
                throw new IllegalArgumentException("line ends early");
            }
            return this.line.charAt(this.pos);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at column " + (this.pos + 1));
            }
            this.pos++;
        }

        private static boolean isTokenChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == ':';
        }
    }
}
