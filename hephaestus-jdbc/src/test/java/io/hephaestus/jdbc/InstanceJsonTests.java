package io.hephaestus.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.hephaestus.core.InvalidValueException;
import io.hephaestus.core.engine.ExecutionEntry;
import io.hephaestus.core.engine.Failure;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.QueuedEvent;
import io.hephaestus.core.telemetry.FailureKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link InstanceJson}.
 */
class InstanceJsonTests {

    @Test
    void everyComponentSurvivesARoundTrip() {
        Instance instance = SampleInstances.full("run-1", "orderid::42").withRevision(7);

        Instance read = InstanceJson.read(InstanceJson.write(instance));

        assertThat(read).isEqualTo(instance);
        assertThat(read.revision()).isEqualTo(7);
        assertThat(read.createdAt()).isEqualTo(SampleInstances.CREATED_AT);
    }

    @Test
    void numbersKeepTheirJavaTypeAndDigits() {
        Map<String, Object> values = SampleInstances.everyKindOfValue();

        Map<String, Object> read = roundTrip(values);

        assertThat(read).isEqualTo(values);
        values.forEach((key, value) -> {
            if (value instanceof Number) {
                assertThat(read.get(key)).as(key).isInstanceOf(value.getClass()).isEqualTo(value);
            }
        });
        assertThat(((BigDecimal) read.get("decimalWithScale")).scale()).isEqualTo(2);
        assertThat(Double.doubleToRawLongBits((Double) read.get("negativeZero")))
            .isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void numbersThatPlainJsonReadsBackAreWrittenPlain() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("int", 42);
        values.put("long", 5_000_000_000L);
        values.put("double", 0.5);
        values.put("whole", 2.0);

        String json = InstanceJson.write(instanceWith(values));

        assertThat(json).contains("{\"int\":42,\"long\":5000000000,\"double\":0.5,\"whole\":2.0}");
    }

    @Test
    void otherNumbersAreTaggedWithTheirExactText() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("smallLong", 5L);
        values.put("exponent", 1.0E10);
        values.put("negativeZero", -0.0);
        values.put("decimal", new BigDecimal("0.10"));
        values.put("bigInteger", BigInteger.TEN);
        values.put("float", 1.5f);
        values.put("short", (short) 3);
        values.put("byte", (byte) 1);

        String json = InstanceJson.write(instanceWith(values));

        assertThat(json).contains("{\"smallLong\":{\"$long\":\"5\"},\"exponent\":{\"$double\":\"1.0E10\"},"
                + "\"negativeZero\":{\"$double\":\"-0.0\"},\"decimal\":{\"$decimal\":\"0.10\"},"
                + "\"bigInteger\":{\"$bigint\":\"10\"},\"float\":{\"$float\":\"1.5\"},\"short\":{\"$short\":\"3\"},"
                + "\"byte\":{\"$byte\":\"1\"}}");
    }

    @Test
    void mapsWhoseOnlyKeyStartsWithDollarAreWrappedAndReadBackAsMaps() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("lookalike", Map.of("$long", "5"));
        values.put("unknownTag", Map.of("$whatever", List.of(1)));

        String json = InstanceJson.write(instanceWith(values));
        Map<String, Object> read = InstanceJson.read(json).context().initial();

        assertThat(json).contains("\"lookalike\":{\"$map\":{\"$long\":\"5\"}}");
        assertThat(read).isEqualTo(values);
        assertThat(read.get("lookalike")).isInstanceOf(Map.class);
    }

    @Test
    void keyOrderIsKept() {
        Map<String, Object> values = SampleInstances.everyKindOfValue();

        Map<String, Object> read = roundTrip(values);

        assertThat(new ArrayList<>(read.keySet())).containsExactlyElementsOf(values.keySet());
        Instance full = SampleInstances.full("run-1", "orderid::1");
        Instance readFull = InstanceJson.read(InstanceJson.write(full));
        assertThat(readFull.timers().keySet()).containsExactlyElementsOf(full.timers().keySet());
        assertThat(readFull.context().steps().keySet()).containsExactlyElementsOf(full.context().steps().keySet());
        assertThat(readFull.activeSteps()).containsExactlyElementsOf(full.activeSteps());
    }

    @Test
    void newComponentsOfTheCoreApiAreWrittenAndRead() {
        Instance instance = SampleInstances.full("run-1", "orderid::42");

        String json = InstanceJson.write(instance);
        Instance read = InstanceJson.read(json);

        assertThat(json).contains("\"queuedEvents\":[{\"event\":\"shipped\",\"step\":\"\",\"data\":{");
        assertThat(json).contains("\"kind\":\"unconsumed\"").contains("\"kind\":\"ignored\"");
        assertThat(json).contains("\"stackTrace\":\"java.lang.IllegalStateException: card declined\\n\\tat ");
        assertThat(read.queuedEvents()).isEqualTo(instance.queuedEvents());
        assertThat(read.history()).extracting(ExecutionEntry::kind)
            .containsExactly(ExecutionEntry.Kind.COMPLETED, ExecutionEntry.Kind.UNCONSUMED, ExecutionEntry.Kind.IGNORED);
        assertThat(read.failures()).extracting(Failure::stackTrace).isEqualTo(
                instance.failures().stream().map(Failure::stackTrace).toList());
    }

    @Test
    void snapshotStartsWithTheFormatAndHasEveryFieldInOrder() {
        String json = InstanceJson.write(SampleInstances.full("run-1", "orderid::42"));

        assertThat(json).startsWith("{\"format\":2,\"runId\":\"run-1\",\"id\":\"orderid::42\",\"workflow\":\"order\","
                + "\"workflowVersion\":3,\"status\":\"waiting\",\"context\":{\"initial\":{");
        assertThat(json).containsSubsequence("\"activeSteps\"", "\"completedSteps\"", "\"skippedSteps\"",
                "\"arrivals\"", "\"stepConfigs\"", "\"waitingSteps\"", "\"timers\"", "\"attempts\"", "\"queuedEvents\"",
                "\"runtimeMetadata\"", "\"history\"", "\"failures\"", "\"telemetryMetadata\"", "\"traceContext\"",
                "\"createdAt\":\"2026-03-01T10:15:30.123456789Z\"", "\"updatedAt\"", "\"revision\":0}");
        assertThat(json).contains("\"timers\":[{\"step\":\"await_stock\",\"dueAt\":\"2026-03-01T11:15:30.123456789Z\","
                + "\"event\":\"timeout\"},");
    }

    @Test
    void fieldsAreReadInAnyOrder() {
        Instance instance = SampleInstances.full("run-1", "orderid::42");
        String json = InstanceJson.write(instance);
        // Move "format" and "runId" to the end, as jsonb's key order might.
        String reordered = "{" + json.substring(json.indexOf("\"id\":"), json.length() - 1)
                + ",\"runId\":\"run-1\",\"format\":2}";

        assertThat(InstanceJson.read(reordered)).isEqualTo(instance);
    }

    @Test
    void stringsPostgresqlCannotStoreNeverReachTheCodecBecauseTheCoreRefusesThem() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("items", List.of("ok", Map.of("name", "nul\u0000inside")));

        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> instanceWith(values))
            .withMessageContaining("items[1].name").withMessageContaining("U+0000");
        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> instanceWith(Map.of("half", "\uD83D")))
            .withMessageContaining("half").withMessageContaining("unpaired surrogate");
        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> instanceWith(Map.of("key\u0000", 1)))
            .withMessageContaining("U+0000");
    }

    @Test
    void valuesNestedTooDeeplyForTheCodecNeverReachItBecauseTheCoreRefusesThem() {
        Object deep = "bottom";
        for (int i = 0; i < InstanceJson.MAX_DEPTH; i++) {
            deep = List.of(deep);
        }
        Map<String, Object> values = Map.of("deep", deep);

        assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> instanceWith(values))
            .withMessageContaining("nested more than 500 levels deep");
    }

    @Test
    void failureTextIsStoredWithUnstorableCharactersReplaced() {
        Instance base = instanceWith(Map.of());
        Instance failed = new Instance(base.runId(), base.id(), base.workflow(), base.workflowVersion(), base.status(),
                base.context(), base.activeSteps(), base.completedSteps(), base.skippedSteps(), base.arrivals(),
                base.stepConfigs(), base.waitingSteps(), base.timers(), base.attempts(), base.queuedEvents(),
                base.runtimeMetadata(), base.history(),
                List.of(new Failure("charge", 1, FailureKind.ERROR, "bad\u0000byte", "trace \uDC00", base.createdAt())),
                base.telemetryMetadata(), base.createdAt(), base.updatedAt(), base.revision());

        Failure read = InstanceJson.read(InstanceJson.write(failed)).failures().get(0);

        assertThat(read.reason()).isEqualTo("bad\uFFFDbyte");
        assertThat(read.stackTrace()).isEqualTo("trace \uFFFD");
    }

    @Test
    void traceContextSurvivesTheRoundTrip() {
        Instance instance = SampleInstances.full("run-1", "orderid::42");

        String json = InstanceJson.write(instance);

        assertThat(json).contains("\"traceContext\":{\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-"
                + "b7ad6b7169203331-01\"}");
        assertThat(InstanceJson.read(json).traceContext()).isEqualTo(instance.traceContext());
    }

    @Test
    void snapshotOfFormatOneWrittenBeforeTracingIsReadWithAnEmptyTraceContext() {
        Instance instance = SampleInstances.full("run-1", "orderid::42");
        String json = InstanceJson.write(instance);
        // Exactly what format 1 wrote: no "traceContext" field.
        String formatOne = json.replace("\"format\":2", "\"format\":1")
            .replaceFirst(",\"traceContext\":\\{[^}]*\\}", "");
        assertThat(formatOne).doesNotContain("traceContext");

        Instance read = InstanceJson.read(formatOne);

        assertThat(read.traceContext()).isEmpty();
        assertThat(read).isEqualTo(new Instance(instance.runId(), instance.id(), instance.workflow(),
                instance.workflowVersion(), instance.status(), instance.context(), instance.activeSteps(),
                instance.completedSteps(), instance.skippedSteps(), instance.arrivals(), instance.stepConfigs(),
                instance.waitingSteps(), instance.timers(), instance.attempts(), instance.queuedEvents(),
                instance.runtimeMetadata(), instance.history(), instance.failures(), instance.telemetryMetadata(),
                instance.createdAt(), instance.updatedAt(), instance.revision()));
    }

    @Test
    void snapshotOfFormatOneWithATraceContextIsRejected() {
        String json = InstanceJson.write(SampleInstances.full("run-1", "orderid::42")).replace("\"format\":2",
                "\"format\":1");

        assertThatIllegalArgumentException().isThrownBy(() -> InstanceJson.read(json))
            .withMessageContaining("traceContext");
    }

    @Test
    void traceContextValuesMustBeStrings() {
        String json = InstanceJson.write(SampleInstances.full("run-1", "orderid::42"))
            .replaceFirst("\"traceContext\":\\{[^}]*\\}", "\"traceContext\":{\"traceparent\":5}");

        assertThatIllegalArgumentException().isThrownBy(() -> InstanceJson.read(json))
            .withMessageContaining("traceparent").withMessageContaining("not a string");
    }

    @Test
    void snapshotOfANewerFormatIsRejectedSayingSo() {
        String json = InstanceJson.write(SampleInstances.full("run-1", "orderid::42")).replace("\"format\":2",
                "\"format\":3").replace("\"status\":\"waiting\"", "\"status\":{\"name\":\"waiting\"}");

        assertThatIllegalArgumentException().isThrownBy(() -> InstanceJson.read(json))
            .withMessageContaining("format 3 is not supported")
            .withMessageContaining("newer version");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "[]", "{}", "{\"format\":1}", "not json", "{\"format\":1,\"runId\":\"r\"} extra" })
    void textThatIsNotASnapshotIsRejected(String json) {
        assertThatIllegalArgumentException().isThrownBy(() -> InstanceJson.read(json))
            .withMessageContaining("snapshot");
    }

    @Test
    void unknownAndMissingFieldsAreRejectedByName() {
        String json = InstanceJson.write(SampleInstances.full("run-1", "orderid::42"));

        assertThatIllegalArgumentException()
            .isThrownBy(() -> InstanceJson.read(json.replace("\"revision\":0}", "\"revision\":0,\"extra\":true}")))
            .withMessageContaining("\"extra\"");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> InstanceJson.read(json.replace(",\"revision\":0}", "}")))
            .withMessageContaining("\"revision\"");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> InstanceJson.read(json.replace("\"status\":\"waiting\"", "\"status\":\"sleeping\"")))
            .withMessageContaining("sleeping");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> InstanceJson.read(json.replace("{\"$long\":\"5\"}", "{\"$long\":\"five\"}")))
            .withMessageContaining("five");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> InstanceJson.read(json.replace("{\"$long\":\"5\"}", "{\"$unknown\":\"5\"}")))
            .withMessageContaining("$unknown");
    }

    @Test
    void instantsKeepNanoseconds() {
        Instant precise = Instant.parse("2026-03-01T10:15:30.000000001Z");
        Instance base = instanceWith(Map.of());
        Instance instance = new Instance(base.runId(), base.id(), base.workflow(), base.workflowVersion(),
                base.status(), base.context(), base.activeSteps(), base.completedSteps(), base.skippedSteps(),
                base.arrivals(), base.stepConfigs(), base.waitingSteps(), base.timers(), base.attempts(),
                List.of(new QueuedEvent("e", "", Map.of(), precise)), base.runtimeMetadata(), base.history(),
                base.failures(), base.telemetryMetadata(), precise, precise, 0);

        assertThat(InstanceJson.read(InstanceJson.write(instance))).isEqualTo(instance);
    }

    private static Map<String, Object> roundTrip(Map<String, Object> values) {
        return InstanceJson.read(InstanceJson.write(instanceWith(values))).context().initial();
    }

    private static Instance instanceWith(Map<String, ?> initial) {
        return Instance.create("run-1", "orderid::1", "order", 1, initial, Map.of(), SampleInstances.CREATED_AT);
    }
}
