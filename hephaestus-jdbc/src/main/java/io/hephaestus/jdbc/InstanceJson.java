package io.hephaestus.jdbc;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.hephaestus.core.InvalidValueException;
import io.hephaestus.core.engine.Context;
import io.hephaestus.core.engine.ExecutionEntry;
import io.hephaestus.core.engine.Failure;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.QueuedEvent;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.engine.Timer;
import io.hephaestus.core.telemetry.FailureKind;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.json.JsonFactory;

/**
 * {@link InstanceJson} writes an {@link Instance} as the JSON snapshot that {@link JdbcStorage}
 * stores, and reads it back: an explicit, versioned format rather than reflection over the record,
 * so that stored rows stay readable as the record evolves.
 *
 * <p><strong>Format 2.</strong> One JSON object; every component is written, in this order:
 * <pre>{@code
 * {"format": 2, "runId": "…", "id": "orderid::42", "workflow": "order", "workflowVersion": 2,
 *  "status": "waiting",
 *  "context": {"initial": {…}, "steps": [{"step": "validate", "data": {…}}]},
 *  "activeSteps": ["await_payment"], "completedSteps": ["validate"], "skippedSteps": [],
 *  "arrivals": [{"step": "join", "from": ["a"]}],
 *  "stepConfigs": [{"step": "notify", "config": {…}}],
 *  "waitingSteps": [{"step": "await_payment", "since": "2026-01-01T00:00:00Z"}],
 *  "timers": [{"step": "await_payment", "dueAt": "2026-01-02T00:00:00Z", "event": "timeout"}],
 *  "attempts": [{"step": "charge", "count": 2}],
 *  "queuedEvents": [{"event": "shipped", "step": "", "data": {…}, "receivedAt": "…"}],
 *  "runtimeMetadata": {…},
 *  "history": [{"step": "validate", "event": "ok", "kind": "completed", "timestamp": "…",
 *               "contextUpdates": {…}}],
 *  "failures": [{"step": "charge", "attempt": 1, "kind": "exception", "reason": "…",
 *                "stackTrace": "…", "timestamp": "…"}],
 *  "telemetryMetadata": {…},
 *  "traceContext": {"traceparent": "00-…-…-01"},
 *  "createdAt": "…", "updatedAt": "…", "revision": 3}
 * }</pre>
 * Instants are ISO-8601 strings ({@link Instant#toString()}, nanoseconds kept); statuses and kinds
 * are their lower-case values. Maps keyed by step are arrays of entries, so their order survives
 * databases that reorder object keys (PostgreSQL's {@code jsonb}). A reader rejects
 * other formats, unknown fields and missing ones; a change that an older reader could not ignore
 * gets a new format number, and readers keep accepting the older formats. Format 1 is format 2
 * without {@code traceContext} (added for tracing); it is still read, as an instance with an empty
 * trace context.
 *
 * <p><strong>Values.</strong> Context data, step results, step configs, event data and metadata
 * are written as plain JSON and read back equal, with the same Java types. Strings, booleans,
 * {@code null}, lists and maps are written as they are, and so are {@code Integer}s, {@code Long}s
 * outside the {@code int} range, and {@code Double}s whose {@link Double#toString} has no exponent,
 * which is what a reader of plain JSON gets back. Every other number is written as a one-entry
 * object holding its exact text, so that neither its type nor its digits can change:
 * {@code {"$long": "5"}} (a long in the int range), {@code {"$double": "1.0E10"}} (exponent or
 * negative zero), {@code {"$float": "1.5"}}, {@code {"$short": "3"}}, {@code {"$byte": "1"}},
 * {@code {"$bigint": "…"}}, {@code {"$decimal": "0.10"}} (scale kept). A map value whose only key
 * starts with {@code $} is wrapped as {@code {"$map": {…}}} so it is never taken for such a tag.
 * Key order inside these maps is kept by this codec; PostgreSQL's {@code jsonb} stores keys in its
 * own order, so there a map comes back equal but may iterate in another order.
 *
 * <p><strong>What cannot be written.</strong> A string (value or key) containing the character
 * U+0000 or an unpaired surrogate, which PostgreSQL cannot store, a non-finite number, a value that
 * is not JSON-safe, or nesting deeper than {@value #MAX_DEPTH} levels is rejected with an
 * {@link InvalidValueException} naming the run and the path of the value; nothing is written. The
 * failure reasons and stack traces of {@link Failure}s are operator text produced by the runtime:
 * those two characters are replaced there by U+FFFD rather than failing the write.
 *
 * <p>Both methods are thread-safe and stateless.
 *
 * @since 0.1.0
 */
public final class InstanceJson {

    /** The format this class writes. */
    public static final int FORMAT = 2;

    /** The oldest format this class still reads: format 1 has no {@code traceContext}. */
    public static final int OLDEST_FORMAT = 1;

    /** The deepest nesting of JSON the snapshot may have, counting the snapshot object itself. */
    public static final int MAX_DEPTH = 1000;

    private static final JsonFactory FACTORY = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH)
            .maxStringLength(Integer.MAX_VALUE)
            .maxNameLength(Integer.MAX_VALUE)
            .build())
        .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
        .build();

    private static final String TAG_MAP = "$map";

    /** The lower-case names of the kinds of history entries, by ordinal. */
    private static final String[] KINDS = kinds();

    private InstanceJson() {
    }

    private static String[] kinds() {
        ExecutionEntry.Kind[] kinds = ExecutionEntry.Kind.values();
        String[] names = new String[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            names[i] = kinds[i].name().toLowerCase(Locale.ROOT);
        }
        return names;
    }

    /**
     * Return the snapshot of an instance in the current {@link #FORMAT}.
     * @param instance the instance
     * @return the JSON text
     * @throws InvalidValueException naming the run and the value if a value cannot be stored
     */
    public static String write(Instance instance) {
        Objects.requireNonNull(instance, "instance");
        StringWriter out = new StringWriter(512);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            writeInstance(json, instance);
        }
        catch (Unwritable ex) {
            throw new InvalidValueException("instance " + instance.id() + " (run " + instance.runId()
                    + ") cannot be stored: " + ex.path + " " + ex.getMessage());
        }
        catch (JacksonException ex) {
            throw new InvalidValueException("instance " + instance.id() + " (run " + instance.runId()
                    + ") cannot be stored: " + ex.getOriginalMessage());
        }
        return out.toString();
    }

    /**
     * Return the instance a snapshot holds.
     * @param json a snapshot written by {@link #write} (in any format this version reads)
     * @return the instance
     * @throws IllegalArgumentException saying what is wrong if the text is not such a snapshot
     */
    public static Instance read(String json) {
        Objects.requireNonNull(json, "json");
        try (JsonParser parser = FACTORY.createParser(json)) {
            Reader reader = new Reader(parser);
            Instance instance = reader.instance();
            if (parser.nextToken() != null) {
                throw reader.invalid("text after the snapshot object");
            }
            return instance;
        }
        catch (IllegalArgumentException | JacksonException ex) {
            // A snapshot of another format may fail anywhere: say that rather than what tripped.
            Object format = formatOf(json);
            if (format != null && !isReadable(format)) {
                throw new IllegalArgumentException(unsupportedFormat(format), ex);
            }
            if (ex instanceof JacksonException jackson) {
                throw new IllegalArgumentException("not a Hephaestus instance snapshot: " + jackson.getOriginalMessage(),
                        ex);
            }
            throw ex;
        }
    }

    /**
     * Return the value of the top-level {@code format} field, or null if the text has none or is
     * not a JSON object.
     */
    private static @Nullable Object formatOf(String json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if (name.equals("format")) {
                    return (token == JsonToken.VALUE_NUMBER_INT) ? parser.getNumberValue() : String.valueOf(token);
                }
                parser.skipChildren();
            }
            return null;
        }
        catch (JacksonException ex) {
            return null;
        }
    }

    private static boolean isReadable(Object format) {
        return (format instanceof Integer number) && number >= OLDEST_FORMAT && number <= FORMAT;
    }

    private static String unsupportedFormat(Object format) {
        return "not a Hephaestus instance snapshot of a format this version reads: format " + format
                + " is not supported, this version reads formats " + OLDEST_FORMAT + " to " + FORMAT
                + (((format instanceof Integer number) && number > FORMAT)
                        ? " (the snapshot was written by a newer version of Hephaestus)" : "");
    }

    private static void writeInstance(JsonGenerator json, Instance instance) {
        json.writeStartObject();
        json.writeNumberProperty("format", FORMAT);
        json.writeStringProperty("runId", text(instance.runId(), "runId"));
        json.writeStringProperty("id", text(instance.id(), "id"));
        json.writeStringProperty("workflow", text(instance.workflow(), "workflow"));
        json.writeNumberProperty("workflowVersion", instance.workflowVersion());
        json.writeStringProperty("status", instance.status().value());

        json.writeName("context");
        json.writeStartObject();
        json.writeName("initial");
        writeMap(json, instance.context().initial(), "context.initial");
        json.writeName("steps");
        json.writeStartArray();
        for (Map.Entry<String, Map<String, Object>> step : instance.context().steps().entrySet()) {
            json.writeStartObject();
            json.writeStringProperty("step", text(step.getKey(), "context.steps"));
            json.writeName("data");
            try {
                writeEntries(json, step.getValue());
            }
            catch (Unwritable ex) {
                // The path is built only when it is needed: this runs for every step at every write.
                throw ex.under("context.steps[" + step.getKey() + "]");
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();

        writeSteps(json, "activeSteps", instance.activeSteps());
        writeSteps(json, "completedSteps", instance.completedSteps());
        writeSteps(json, "skippedSteps", instance.skippedSteps());

        json.writeName("arrivals");
        json.writeStartArray();
        for (Map.Entry<String, Set<String>> arrival : instance.arrivals().entrySet()) {
            json.writeStartObject();
            json.writeStringProperty("step", text(arrival.getKey(), "arrivals"));
            writeSteps(json, "from", arrival.getValue());
            json.writeEndObject();
        }
        json.writeEndArray();

        json.writeName("stepConfigs");
        json.writeStartArray();
        for (Map.Entry<String, Map<String, Object>> config : instance.stepConfigs().entrySet()) {
            json.writeStartObject();
            json.writeStringProperty("step", text(config.getKey(), "stepConfigs"));
            json.writeName("config");
            try {
                writeEntries(json, config.getValue());
            }
            catch (Unwritable ex) {
                throw ex.under("stepConfigs[" + config.getKey() + "]");
            }
            json.writeEndObject();
        }
        json.writeEndArray();

        json.writeName("waitingSteps");
        json.writeStartArray();
        for (Map.Entry<String, Instant> waiting : instance.waitingSteps().entrySet()) {
            json.writeStartObject();
            json.writeStringProperty("step", text(waiting.getKey(), "waitingSteps"));
            json.writeStringProperty("since", Timestamps.iso(waiting.getValue()));
            json.writeEndObject();
        }
        json.writeEndArray();

        json.writeName("timers");
        json.writeStartArray();
        for (Map.Entry<String, Timer> timer : instance.timers().entrySet()) {
            json.writeStartObject();
            json.writeStringProperty("step", text(timer.getKey(), "timers"));
            json.writeStringProperty("dueAt", Timestamps.iso(timer.getValue().dueAt()));
            json.writeStringProperty("event", text(timer.getValue().event(), "timers[" + timer.getKey() + "].event"));
            json.writeEndObject();
        }
        json.writeEndArray();

        json.writeName("attempts");
        json.writeStartArray();
        for (Map.Entry<String, Integer> attempts : instance.attempts().entrySet()) {
            json.writeStartObject();
            json.writeStringProperty("step", text(attempts.getKey(), "attempts"));
            json.writeNumberProperty("count", attempts.getValue());
            json.writeEndObject();
        }
        json.writeEndArray();

        json.writeName("queuedEvents");
        json.writeStartArray();
        int index = 0;
        for (QueuedEvent event : instance.queuedEvents()) {
            try {
                json.writeStartObject();
                json.writeStringProperty("event", text(event.event(), ".event"));
                json.writeStringProperty("step", text(event.step(), ".step"));
                json.writeName("data");
                writeMap(json, event.data(), ".data");
                json.writeStringProperty("receivedAt", Timestamps.iso(event.receivedAt()));
                json.writeEndObject();
            }
            catch (Unwritable ex) {
                throw ex.under("queuedEvents[" + index + "]");
            }
            index++;
        }
        json.writeEndArray();

        json.writeName("runtimeMetadata");
        writeMap(json, instance.runtimeMetadata(), "runtimeMetadata");

        json.writeName("history");
        json.writeStartArray();
        index = 0;
        for (ExecutionEntry entry : instance.history()) {
            try {
                json.writeStartObject();
                json.writeStringProperty("step", text(entry.step(), ".step"));
                json.writeStringProperty("event", text(entry.event(), ".event"));
                json.writeStringProperty("kind", KINDS[entry.kind().ordinal()]);
                json.writeStringProperty("timestamp", Timestamps.iso(entry.timestamp()));
                json.writeName("contextUpdates");
                writeMap(json, entry.contextUpdates(), ".contextUpdates");
                json.writeEndObject();
            }
            catch (Unwritable ex) {
                throw ex.under("history[" + index + "]");
            }
            index++;
        }
        json.writeEndArray();

        json.writeName("failures");
        json.writeStartArray();
        index = 0;
        for (Failure failure : instance.failures()) {
            String path = "failures[" + index++ + "]";
            json.writeStartObject();
            json.writeStringProperty("step", text(failure.step(), path + ".step"));
            json.writeNumberProperty("attempt", failure.attempt());
            json.writeStringProperty("kind", failure.kind().value());
            json.writeStringProperty("reason", sanitized(failure.reason()));
            json.writeStringProperty("stackTrace", sanitized(failure.stackTrace()));
            json.writeStringProperty("timestamp", Timestamps.iso(failure.timestamp()));
            json.writeEndObject();
        }
        json.writeEndArray();

        json.writeName("telemetryMetadata");
        writeMap(json, instance.telemetryMetadata(), "telemetryMetadata");
        json.writeName("traceContext");
        writeMap(json, instance.traceContext(), "traceContext");
        json.writeStringProperty("createdAt", Timestamps.iso(instance.createdAt()));
        json.writeStringProperty("updatedAt", Timestamps.iso(instance.updatedAt()));
        json.writeNumberProperty("revision", instance.revision());
        json.writeEndObject();
    }

    private static void writeSteps(JsonGenerator json, String name, Set<String> steps) {
        json.writeName(name);
        json.writeStartArray();
        for (String step : steps) {
            json.writeString(text(step, name));
        }
        json.writeEndArray();
    }

    /**
     * Write a top-level map of JSON values: its own keys are never taken for tags, so it needs no
     * wrapping.
     */
    private static void writeMap(JsonGenerator json, Map<String, ?> map, String path) {
        try {
            writeEntries(json, map);
        }
        catch (Unwritable ex) {
            throw ex.under(path);
        }
    }

    private static void writeEntries(JsonGenerator json, Map<?, ?> map) {
        json.writeStartObject();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new Unwritable("has a key that is not a string: " + entry.getKey());
            }
            try {
                json.writeName(checked(key));
                writeValue(json, entry.getValue());
            }
            catch (Unwritable ex) {
                throw ex.under("." + key);
            }
        }
        json.writeEndObject();
    }

    private static void writeValue(JsonGenerator json, @Nullable Object value) {
        if (value == null) {
            json.writeNull();
        }
        else if (value instanceof String string) {
            json.writeString(checked(string));
        }
        else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        }
        else if (value instanceof Integer number) {
            json.writeNumber(number);
        }
        else if (value instanceof Long number) {
            if (number == number.intValue()) {
                writeTag(json, "$long", number.toString());
            }
            else {
                json.writeNumber(number);
            }
        }
        else if (value instanceof Double number) {
            if (!Double.isFinite(number)) {
                throw new Unwritable("is not a finite number: " + number);
            }
            String text = number.toString();
            // jsonb turns 1.0E10 into 10000000000 (an integer) and -0.0 into 0.0: keep those exact.
            if (text.indexOf('E') >= 0 || (number == 0.0 && 1.0 / number < 0)) {
                writeTag(json, "$double", text);
            }
            else {
                json.writeNumber(text);
            }
        }
        else if (value instanceof BigDecimal number) {
            writeTag(json, "$decimal", number.toString());
        }
        else if (value instanceof BigInteger number) {
            writeTag(json, "$bigint", number.toString());
        }
        else if (value instanceof Float number) {
            if (!Float.isFinite(number)) {
                throw new Unwritable("is not a finite number: " + number);
            }
            writeTag(json, "$float", number.toString());
        }
        else if (value instanceof Short number) {
            writeTag(json, "$short", number.toString());
        }
        else if (value instanceof Byte number) {
            writeTag(json, "$byte", number.toString());
        }
        else if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.keySet().iterator().next() instanceof String key && key.startsWith("$")) {
                json.writeStartObject();
                json.writeName(TAG_MAP);
                writeEntries(json, map);
                json.writeEndObject();
            }
            else {
                writeEntries(json, map);
            }
        }
        else if (value instanceof List<?> list) {
            json.writeStartArray();
            int index = 0;
            for (Object element : list) {
                try {
                    writeValue(json, element);
                }
                catch (Unwritable ex) {
                    throw ex.under("[" + index + "]");
                }
                index++;
            }
            json.writeEndArray();
        }
        else {
            throw new Unwritable("is not JSON-safe: " + value.getClass().getName());
        }
    }

    private static void writeTag(JsonGenerator json, String tag, String text) {
        json.writeStartObject();
        json.writeStringProperty(tag, text);
        json.writeEndObject();
    }

    /** Check a string of a JSON value or key. */
    private static String checked(String string) {
        int bad = firstUnstorable(string);
        if (bad >= 0) {
            throw new Unwritable("contains " + describeChar(string.charAt(bad)) + " at index " + bad
                    + ", which PostgreSQL cannot store");
        }
        return string;
    }

    /** Check a string of the snapshot's own structure (ids, step keys, events). */
    private static String text(String string, String path) {
        try {
            return checked(string);
        }
        catch (Unwritable ex) {
            throw ex.under(path);
        }
    }

    private static String sanitized(String string) {
        if (firstUnstorable(string) < 0) {
            return string;
        }
        StringBuilder clean = new StringBuilder(string.length());
        for (int i = 0; i < string.length(); i++) {
            char c = string.charAt(i);
            if (c == '\u0000') {
                clean.append('\uFFFD');
            }
            else if (Character.isHighSurrogate(c) && i + 1 < string.length()
                    && Character.isLowSurrogate(string.charAt(i + 1))) {
                clean.append(c).append(string.charAt(++i));
            }
            else {
                clean.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return clean.toString();
    }

    /** Return the index of the first U+0000 or unpaired surrogate, or -1. */
    private static int firstUnstorable(String string) {
        for (int i = 0, n = string.length(); i < n; i++) {
            char c = string.charAt(i);
            if (c == '\u0000') {
                return i;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(string.charAt(i + 1))) {
                    i++;
                }
                else {
                    return i;
                }
            }
        }
        return -1;
    }

    private static String describeChar(char c) {
        return (c == '\u0000') ? "the character U+0000" : String.format("an unpaired surrogate U+%04X", (int) c);
    }

    /**
     * A value that cannot be written; collects the path while it climbs out of the recursion, so
     * that writing a valid snapshot builds no paths.
     */
    private static final class Unwritable extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private String path = "";

        Unwritable(String message) {
            super(message, null, false, false);
        }

        Unwritable under(String parent) {
            this.path = parent + this.path;
            return this;
        }
    }

    /**
     * Reads one snapshot from a parser; every method starts on the token it reads.
     */
    private static final class Reader {

        private final JsonParser parser;

        private String field = "";

        Reader(JsonParser parser) {
            this.parser = parser;
        }

        Instance instance() {
            expect(this.parser.nextToken(), JsonToken.START_OBJECT, "the snapshot object");
            Map<String, Object> fields = new LinkedHashMap<>();
            while (this.parser.nextToken() == JsonToken.PROPERTY_NAME) {
                this.field = this.parser.currentName();
                this.parser.nextToken();
                if (fields.containsKey(this.field)) {
                    throw invalid("the field appears twice");
                }
                fields.put(this.field, field(this.field));
            }
            this.field = "";
            Object format = fields.get("format");
            if (format == null) {
                throw invalid("no \"format\" field");
            }
            if (!isReadable(format)) {
                throw new IllegalArgumentException(unsupportedFormat(format));
            }
            for (String name : FIELDS) {
                if (!fields.containsKey(name) && !(name.equals("traceContext") && format.equals(1))) {
                    throw invalid("no \"" + name + "\" field");
                }
            }
            if (format.equals(1) && fields.containsKey("traceContext")) {
                this.field = "traceContext";
                throw invalid("unknown field in format 1");
            }
            try {
                return toInstance(fields);
            }
            catch (RuntimeException ex) {
                throw new IllegalArgumentException("not a valid Hephaestus instance snapshot: " + ex.getMessage(), ex);
            }
        }

        @SuppressWarnings("unchecked")
        private static Instance toInstance(Map<String, Object> f) {
            return new Instance((String) f.get("runId"), (String) f.get("id"), (String) f.get("workflow"),
                    (Integer) f.get("workflowVersion"), (Status) f.get("status"), (Context) f.get("context"),
                    (Set<String>) f.get("activeSteps"), (Set<String>) f.get("completedSteps"),
                    (Set<String>) f.get("skippedSteps"), (Map<String, Set<String>>) f.get("arrivals"),
                    (Map<String, Map<String, Object>>) f.get("stepConfigs"), (Map<String, Instant>) f.get("waitingSteps"),
                    (Map<String, Timer>) f.get("timers"), (Map<String, Integer>) f.get("attempts"),
                    (List<QueuedEvent>) f.get("queuedEvents"), (Map<String, Object>) f.get("runtimeMetadata"),
                    (List<ExecutionEntry>) f.get("history"), (List<Failure>) f.get("failures"),
                    (Map<String, Object>) f.get("telemetryMetadata"),
                    (Map<String, String>) f.getOrDefault("traceContext", Map.of()), (Instant) f.get("createdAt"),
                    (Instant) f.get("updatedAt"), (Long) f.get("revision"));
        }

        private static final List<String> FIELDS = List.of("format", "runId", "id", "workflow", "workflowVersion",
                "status", "context", "activeSteps", "completedSteps", "skippedSteps", "arrivals", "stepConfigs",
                "waitingSteps", "timers", "attempts", "queuedEvents", "runtimeMetadata", "history", "failures",
                "telemetryMetadata", "traceContext", "createdAt", "updatedAt", "revision");

        private Object field(String name) {
            return switch (name) {
                case "format", "workflowVersion" -> intValue();
                case "runId", "id", "workflow" -> string();
                case "status" -> status();
                case "context" -> context();
                case "activeSteps", "completedSteps", "skippedSteps" -> steps();
                case "arrivals" -> entries("from", this::steps);
                case "stepConfigs" -> entries("config", this::map);
                case "waitingSteps" -> entries("since", this::instant);
                case "timers" -> timers();
                case "attempts" -> entries("count", this::intValue);
                case "queuedEvents" -> queuedEvents();
                case "runtimeMetadata", "telemetryMetadata" -> map();
                case "traceContext" -> strings();
                case "history" -> history();
                case "failures" -> failures();
                case "createdAt", "updatedAt" -> instant();
                case "revision" -> longValue();
                default -> throw invalid("unknown field");
            };
        }

        private Map<String, String> strings() {
            Map<String, String> strings = new LinkedHashMap<>();
            map().forEach((key, value) -> {
                if (!(value instanceof String text)) {
                    throw invalid("the value of \"" + key + "\" is not a string");
                }
                strings.put(key, text);
            });
            return strings;
        }

        private Status status() {
            String value = string();
            for (Status status : Status.values()) {
                if (status.value().equals(value)) {
                    return status;
                }
            }
            throw invalid("unknown status \"" + value + "\"");
        }

        private Context context() {
            Map<String, Object> initial = null;
            Map<String, Map<String, Object>> steps = null;
            expect(this.parser.currentToken(), JsonToken.START_OBJECT, "an object");
            while (this.parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = this.parser.currentName();
                this.parser.nextToken();
                if (name.equals("initial")) {
                    initial = map();
                }
                else if (name.equals("steps")) {
                    steps = entries("data", this::map);
                }
                else {
                    throw invalid("unknown field \"" + name + "\" in the context");
                }
            }
            if (initial == null || steps == null) {
                throw invalid("the context needs \"initial\" and \"steps\"");
            }
            return new Context(initial, steps);
        }

        private Set<String> steps() {
            expect(this.parser.currentToken(), JsonToken.START_ARRAY, "an array of step keys");
            Set<String> steps = new LinkedHashSet<>();
            while (this.parser.nextToken() != JsonToken.END_ARRAY) {
                if (!steps.add(string())) {
                    throw invalid("a step key appears twice");
                }
            }
            return steps;
        }

        /**
         * Read an array of {@code {"step": key, <valueName>: value}} objects into a map by step.
         */
        private <V> Map<String, V> entries(String valueName, ValueReader<V> values) {
            expect(this.parser.currentToken(), JsonToken.START_ARRAY, "an array of step entries");
            Map<String, V> entries = new LinkedHashMap<>();
            while (this.parser.nextToken() != JsonToken.END_ARRAY) {
                Map<String, Object> object = object(Map.of("step", this::string, valueName, values::read));
                String step = (String) object.get("step");
                if (entries.put(step, cast(object.get(valueName))) != null) {
                    throw invalid("step \"" + step + "\" appears twice");
                }
            }
            return entries;
        }

        @SuppressWarnings("unchecked")
        private static <V> V cast(Object value) {
            return (V) value;
        }

        private Map<String, Timer> timers() {
            expect(this.parser.currentToken(), JsonToken.START_ARRAY, "an array of timers");
            Map<String, Timer> timers = new LinkedHashMap<>();
            while (this.parser.nextToken() != JsonToken.END_ARRAY) {
                Map<String, Object> object = object(Map.of("step", this::string, "dueAt", this::instant, "event",
                        this::string));
                String step = (String) object.get("step");
                if (timers.put(step, new Timer((Instant) object.get("dueAt"), (String) object.get("event"))) != null) {
                    throw invalid("step \"" + step + "\" appears twice");
                }
            }
            return timers;
        }

        @SuppressWarnings("unchecked")
        private List<QueuedEvent> queuedEvents() {
            expect(this.parser.currentToken(), JsonToken.START_ARRAY, "an array of queued events");
            List<QueuedEvent> events = new ArrayList<>();
            while (this.parser.nextToken() != JsonToken.END_ARRAY) {
                Map<String, Object> object = object(Map.of("event", this::string, "step", this::string, "data",
                        this::map, "receivedAt", this::instant));
                events.add(new QueuedEvent((String) object.get("event"), (String) object.get("step"),
                        (Map<String, Object>) object.get("data"), (Instant) object.get("receivedAt")));
            }
            return events;
        }

        @SuppressWarnings("unchecked")
        private List<ExecutionEntry> history() {
            expect(this.parser.currentToken(), JsonToken.START_ARRAY, "an array of history entries");
            List<ExecutionEntry> history = new ArrayList<>();
            while (this.parser.nextToken() != JsonToken.END_ARRAY) {
                Map<String, Object> object = object(Map.of("step", this::string, "event", this::string, "kind",
                        this::entryKind, "timestamp", this::instant, "contextUpdates", this::map));
                history.add(new ExecutionEntry((String) object.get("step"), (String) object.get("event"),
                        (ExecutionEntry.Kind) object.get("kind"), (Instant) object.get("timestamp"),
                        (Map<String, Object>) object.get("contextUpdates")));
            }
            return history;
        }

        private ExecutionEntry.Kind entryKind() {
            String value = string();
            for (ExecutionEntry.Kind kind : ExecutionEntry.Kind.values()) {
                if (kind.name().toLowerCase(Locale.ROOT).equals(value)) {
                    return kind;
                }
            }
            throw invalid("unknown history entry kind \"" + value + "\"");
        }

        private List<Failure> failures() {
            expect(this.parser.currentToken(), JsonToken.START_ARRAY, "an array of failures");
            List<Failure> failures = new ArrayList<>();
            while (this.parser.nextToken() != JsonToken.END_ARRAY) {
                Map<String, Object> object = object(Map.of("step", this::string, "attempt", this::intValue, "kind",
                        this::failureKind, "reason", this::string, "stackTrace", this::string, "timestamp",
                        this::instant));
                failures.add(new Failure((String) object.get("step"), (Integer) object.get("attempt"),
                        (FailureKind) object.get("kind"), (String) object.get("reason"),
                        (String) object.get("stackTrace"), (Instant) object.get("timestamp")));
            }
            return failures;
        }

        private FailureKind failureKind() {
            String value = string();
            for (FailureKind kind : FailureKind.values()) {
                if (kind.value().equals(value)) {
                    return kind;
                }
            }
            throw invalid("unknown failure kind \"" + value + "\"");
        }

        /**
         * Read an object with exactly the given fields, in any order.
         */
        private Map<String, Object> object(Map<String, ValueReader<?>> readers) {
            expect(this.parser.currentToken(), JsonToken.START_OBJECT, "an object");
            Map<String, Object> values = new LinkedHashMap<>();
            while (this.parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = this.parser.currentName();
                ValueReader<?> reader = readers.get(name);
                if (reader == null) {
                    throw invalid("unknown field \"" + name + "\"; expected " + readers.keySet());
                }
                this.parser.nextToken();
                if (values.put(name, reader.read()) != null) {
                    throw invalid("field \"" + name + "\" appears twice");
                }
            }
            if (values.size() != readers.size()) {
                throw invalid("an entry needs the fields " + readers.keySet() + ", found " + values.keySet());
            }
            return values;
        }

        private String string() {
            expect(this.parser.currentToken(), JsonToken.VALUE_STRING, "a string");
            return this.parser.getString();
        }

        private Instant instant() {
            String text = string();
            try {
                return Instant.parse(text);
            }
            catch (DateTimeParseException ex) {
                throw invalid("\"" + text + "\" is not an ISO-8601 instant");
            }
        }

        private Integer intValue() {
            expect(this.parser.currentToken(), JsonToken.VALUE_NUMBER_INT, "an integer");
            if (this.parser.getNumberType() != JsonParser.NumberType.INT) {
                throw invalid("integer out of range");
            }
            return this.parser.getIntValue();
        }

        private Long longValue() {
            expect(this.parser.currentToken(), JsonToken.VALUE_NUMBER_INT, "an integer");
            if (this.parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw invalid("integer out of range");
            }
            return this.parser.getLongValue();
        }

        /** Read a top-level map of JSON values: its own keys are never tags. */
        private Map<String, Object> map() {
            expect(this.parser.currentToken(), JsonToken.START_OBJECT, "an object");
            return entries(rawObject());
        }

        /**
         * Read the object whose START_OBJECT is current. Whether it is a map, a tag or a wrapper is
         * decided by {@link #finish} once its parent knows, so nested objects stay raw one level.
         */
        private RawObject rawObject() {
            LinkedHashMap<String, @Nullable Object> entries = new LinkedHashMap<>();
            while (this.parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = this.parser.currentName();
                this.parser.nextToken();
                entries.put(key, value());
            }
            return new RawObject(entries);
        }

        /** Return a value as read: final, except that an object is a {@link RawObject}. */
        private @Nullable Object value() {
            JsonToken token = this.parser.currentToken();
            if (token == null) {
                throw invalid("the snapshot ends early");
            }
            return switch (token) {
                case VALUE_STRING -> this.parser.getString();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                case VALUE_NUMBER_INT -> switch (this.parser.getNumberType()) {
                    case INT -> this.parser.getIntValue();
                    case LONG -> this.parser.getLongValue();
                    default -> this.parser.getBigIntegerValue();
                };
                case VALUE_NUMBER_FLOAT -> this.parser.getDoubleValue();
                case START_ARRAY -> list();
                case START_OBJECT -> rawObject();
                default -> throw invalid("unexpected " + token);
            };
        }

        private List<@Nullable Object> list() {
            List<@Nullable Object> list = new ArrayList<>();
            while (this.parser.nextToken() != JsonToken.END_ARRAY) {
                list.add(finish(value()));
            }
            return list;
        }

        /** Turn a value read in a value position into what it stands for. */
        private @Nullable Object finish(@Nullable Object value) {
            if (!(value instanceof RawObject object)) {
                return value;
            }
            if (object.entries.size() != 1) {
                return entries(object);
            }
            Map.Entry<String, @Nullable Object> entry = object.entries.entrySet().iterator().next();
            String tag = entry.getKey();
            if (!tag.startsWith("$")) {
                return entries(object);
            }
            if (tag.equals(TAG_MAP) && entry.getValue() instanceof RawObject wrapped) {
                return entries(wrapped);
            }
            if (!(entry.getValue() instanceof String text)) {
                throw invalid("the value of tag " + tag + " must be a string");
            }
            try {
                return switch (tag) {
                    case "$long" -> Long.valueOf(text);
                    case "$double" -> Double.valueOf(text);
                    case "$float" -> Float.valueOf(text);
                    case "$short" -> Short.valueOf(text);
                    case "$byte" -> Byte.valueOf(text);
                    case "$bigint" -> new BigInteger(text);
                    case "$decimal" -> new BigDecimal(text);
                    default -> throw invalid("unknown tag " + tag + " (a map whose only key starts with $ is written "
                            + "inside {\"$map\": …})");
                };
            }
            catch (NumberFormatException ex) {
                throw invalid("\"" + text + "\" is not a valid " + tag.substring(1));
            }
        }

        /** Return the entries of an object as a map, each value finished; its own keys are not tags. */
        private Map<String, Object> entries(RawObject object) {
            Map<String, Object> map = new LinkedHashMap<>();
            object.entries.forEach((key, value) -> map.put(key, finish(value)));
            return map;
        }

        private void expect(@Nullable JsonToken actual, JsonToken expected, String what) {
            if (actual != expected) {
                throw invalid("expected " + what + ", found " + ((actual != null) ? actual : "the end"));
            }
        }

        IllegalArgumentException invalid(String problem) {
            String where = this.field.isEmpty() ? "" : " in field \"" + this.field + "\"";
            return new IllegalArgumentException("not a valid Hephaestus instance snapshot" + where + ": " + problem);
        }
    }

    /** An object read in a value position, before it is known to be a map, a tag or a wrapper. */
    private record RawObject(LinkedHashMap<String, @Nullable Object> entries) {
    }

    /** Reads one value of a known shape. */
    @FunctionalInterface
    private interface ValueReader<V> {

        V read();
    }
}
