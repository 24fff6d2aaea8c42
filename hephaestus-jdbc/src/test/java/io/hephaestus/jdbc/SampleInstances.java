package io.hephaestus.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.hephaestus.core.engine.Context;
import io.hephaestus.core.engine.ExecutionEntry;
import io.hephaestus.core.engine.Failure;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.QueuedEvent;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.engine.Timer;
import io.hephaestus.core.telemetry.FailureKind;

/**
 * {@link SampleInstances} makes instances with every component filled and every kind of JSON value,
 * for round trips through the codec and the databases.
 */
final class SampleInstances {

    static final Instant CREATED_AT = Instant.parse("2026-03-01T10:15:30.123456789Z");

    private SampleInstances() {
    }

    /**
     * Return a map with every kind of JSON value a context may hold, keys in a deliberate order.
     */
    static Map<String, Object> everyKindOfValue() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("zebra", "first key, sorts last");
        values.put("int", 42);
        values.put("negativeInt", Integer.MIN_VALUE);
        values.put("smallLong", 5L);
        values.put("bigLong", Long.MAX_VALUE);
        values.put("minLong", Long.MIN_VALUE);
        values.put("double", 0.1);
        values.put("wholeDouble", 100.0);
        values.put("hugeDouble", 1.0E300);
        values.put("tinyDouble", 4.9E-324);
        values.put("negativeZero", -0.0);
        values.put("float", 1.5f);
        values.put("short", (short) 3);
        values.put("byte", (byte) -1);
        values.put("decimal", new BigDecimal("1234567890.123456789012345678901234567890"));
        values.put("decimalWithScale", new BigDecimal("1.10"));
        values.put("decimalWithExponent", new BigDecimal("1E+3"));
        values.put("smallBigInteger", BigInteger.ONE);
        values.put("bigInteger", new BigInteger("123456789012345678901234567890"));
        values.put("true", true);
        values.put("false", false);
        values.put("null", null);
        values.put("text", "quotes \" backslash \\ tab \t newline \n bell \u0007 é 中文 emoji \uD83D\uDE80");
        values.put("empty", "");
        values.put("list", Arrays.asList(1, 2L, "three", null, List.of(), Map.of()));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("b", List.of(Map.of("deep", List.of(1.25, new BigDecimal("2.50")))));
        nested.put("a", Map.of());
        values.put("nested", nested);
        values.put("dollarOnly", Map.of("$long", "5"));
        values.put("dollarMap", Map.of("$map", Map.of("$long", "5")));
        Map<String, Object> dollarFirst = new LinkedHashMap<>();
        dollarFirst.put("$map", Map.of("$double", "1.0"));
        dollarFirst.put("other", 1);
        values.put("dollarFirst", dollarFirst);
        values.put("dollarPlain", Map.of("$", "just a key"));
        values.put("mapsInList", List.of(Map.of("$x", 1), Map.of("y", 2L)));
        values.put("", "empty key");
        return values;
    }

    /**
     * Return a waiting instance with every component non-empty.
     */
    static Instance full(String runId, String id) {
        Map<String, Map<String, Object>> steps = new LinkedHashMap<>();
        steps.put("validate", Map.of("ok", true));
        steps.put("charge", everyKindOfValue());
        steps.put("approve", Map.of());
        Map<String, Set<String>> arrivals = new LinkedHashMap<>();
        arrivals.put("join", new LinkedHashSet<>(List.of("left", "right")));
        Map<String, Map<String, Object>> configs = new LinkedHashMap<>();
        configs.put("notify", Map.of("channel", "email", "retries", 3L));
        Map<String, Instant> waiting = new LinkedHashMap<>();
        waiting.put("await_payment", CREATED_AT.plusSeconds(1));
        waiting.put("await_stock", CREATED_AT.plusSeconds(2));
        Map<String, Timer> timers = new LinkedHashMap<>();
        timers.put("await_stock", new Timer(CREATED_AT.plusSeconds(3600), "timeout"));
        timers.put("await_payment", new Timer(CREATED_AT.plusSeconds(60), "expired"));
        Map<String, Integer> attempts = new LinkedHashMap<>();
        attempts.put("charge", 2);
        List<QueuedEvent> queued = List.of(
                new QueuedEvent("shipped", "", Map.of("carrier", "ups", "weight", 1.5), CREATED_AT.plusSeconds(5)),
                new QueuedEvent("cancel_requested", "await_payment", Map.of(), CREATED_AT.plusSeconds(6)));
        List<ExecutionEntry> history = new ArrayList<>();
        history.add(new ExecutionEntry("validate", "ok", ExecutionEntry.Kind.COMPLETED, CREATED_AT.plusMillis(10),
                Map.of("ok", true)));
        history.add(new ExecutionEntry("", "late", ExecutionEntry.Kind.UNCONSUMED, CREATED_AT.plusMillis(20),
                Map.of("why", "no step waited")));
        history.add(new ExecutionEntry("charge", "done", ExecutionEntry.Kind.IGNORED, CREATED_AT.plusMillis(30),
                everyKindOfValue()));
        List<Failure> failures = List.of(
                new Failure("charge", 1, FailureKind.EXCEPTION, "card declined", "java.lang.IllegalStateException: "
                        + "card declined\n\tat com.example.Charge.run(Charge.java:12)\n", CREATED_AT.plusMillis(15)),
                new Failure("charge", 2, FailureKind.TIMEOUT, "timed out after PT5S", "", CREATED_AT.plusMillis(25)));
        Map<String, Object> runtimeMetadata = new LinkedHashMap<>();
        runtimeMetadata.put("attempt", 2);
        runtimeMetadata.put("source", "api");
        return new Instance(runId, id, "order", 3, Status.WAITING, new Context(everyKindOfValue(), steps),
                new LinkedHashSet<>(List.of("await_payment", "await_stock", "notify")),
                new LinkedHashSet<>(List.of("validate", "charge")), Set.of("reject"), arrivals, configs, waiting,
                timers, attempts, queued, runtimeMetadata, history, failures,
                Map.of("tenant", "acme", "traceId", "abc123"),
                Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), CREATED_AT,
                CREATED_AT.plusSeconds(7), 0);
    }
}
