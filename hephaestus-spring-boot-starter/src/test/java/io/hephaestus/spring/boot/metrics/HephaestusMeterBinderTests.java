package io.hephaestus.spring.boot.metrics;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.telemetry.EngineAdvance;
import io.hephaestus.core.telemetry.FailureKind;
import io.hephaestus.core.telemetry.InstanceScope;
import io.hephaestus.core.telemetry.MetricDefinition;
import io.hephaestus.core.telemetry.MetricDefinitions;
import io.hephaestus.core.telemetry.MetricScope;
import io.hephaestus.core.telemetry.ResumeSource;
import io.hephaestus.core.telemetry.RunnerInit;
import io.hephaestus.core.telemetry.StepAsync;
import io.hephaestus.core.telemetry.StepException;
import io.hephaestus.core.telemetry.StepResume;
import io.hephaestus.core.telemetry.StepStart;
import io.hephaestus.core.telemetry.StepStop;
import io.hephaestus.core.telemetry.TelemetryEvent;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.core.telemetry.WorkflowCancel;
import io.hephaestus.core.telemetry.WorkflowException;
import io.hephaestus.core.telemetry.WorkflowStart;
import io.hephaestus.core.telemetry.WorkflowStop;
import io.hephaestus.core.telemetry.WorkflowTransition;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assumptions.assumeThat;

class HephaestusMeterBinderTests {

    private static final InstanceScope ORDER = InstanceScope.of("orderid::42", "order", 1);

    private static final InstanceScope OTHER_ORDER = InstanceScope.of("orderid::43", "order", 1);

    private static final InstanceScope REFUND = InstanceScope.of("refundid::7", "refund", 2);

    private static final List<Duration> SLO = List.of(Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofMinutes(5));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final CountingStorage storage = new CountingStorage();

    private final WorkflowRegistry workflows = WorkflowRegistry.of(TestWorkflows.tiny("order"),
            TestWorkflows.tiny("refund"));

    private HephaestusMeterBinder binder(MetricScope scope) {
        return new HephaestusMeterBinder(MetricDefinitions.of(scope), SLO, this.storage, this.workflows);
    }

    private HephaestusMeterBinder bound() {
        HephaestusMeterBinder binder = binder(MetricScope.ALL);
        binder.bindTo(this.registry);
        return binder;
    }

    @Test
    void workflowStartCounterCountsStartsPerWorkflow() {
        HephaestusMeterBinder binder = bound();
        binder.onEvent(workflowStart(ORDER));
        binder.onEvent(workflowStart(OTHER_ORDER));
        binder.onEvent(workflowStart(REFUND));
        assertThat(this.registry.get("hephaestus.workflow.start").tags("workflow", "order").counter().count())
            .isEqualTo(2);
        assertThat(this.registry.get("hephaestus.workflow.start").tags("workflow", "refund").counter().count())
            .isEqualTo(1);
        assertThat(tagsOf("hephaestus.workflow.start")).containsOnly(List.of(Tag.of("workflow", "order")),
                List.of(Tag.of("workflow", "refund")));
    }

    @Test
    void workflowStopCounterCountsCompletionsPerWorkflow() {
        HephaestusMeterBinder binder = bound();
        binder.onEvent(workflowStop(ORDER, 15_900_000L));
        binder.onEvent(workflowStop(OTHER_ORDER, 4_000_000L));
        assertThat(this.registry.get("hephaestus.workflow.stop").tags("workflow", "order").counter().count())
            .isEqualTo(2);
        assertThat(tagsOf("hephaestus.workflow.stop")).containsOnly(List.of(Tag.of("workflow", "order")));
    }

    @Test
    void workflowExceptionCounterIsTaggedWithTheFailedStep() {
        HephaestusMeterBinder binder = bound();
        binder.onEvent(workflowException(ORDER, "charge_payment"));
        binder.onEvent(workflowException(OTHER_ORDER, "charge_payment"));
        binder.onEvent(workflowException(REFUND, "refund_payment"));
        assertThat(this.registry.get("hephaestus.workflow.exception")
            .tags("workflow", "order", "failed_step", "charge_payment")
            .counter()
            .count()).isEqualTo(2);
        assertThat(this.registry.get("hephaestus.workflow.exception")
            .tags("workflow", "refund", "failed_step", "refund_payment")
            .counter()
            .count()).isEqualTo(1);
        assertThat(tagsOf("hephaestus.workflow.exception")).containsOnly(
                List.of(Tag.of("failed_step", "charge_payment"), Tag.of("workflow", "order")),
                List.of(Tag.of("failed_step", "refund_payment"), Tag.of("workflow", "refund")));
    }

    @Test
    void workflowStopDurationTimerRecordsTheDurationOfCompletedInstances() {
        HephaestusMeterBinder binder = bound();
        binder.onEvent(workflowStop(ORDER, 15_900_000L));
        binder.onEvent(workflowStop(OTHER_ORDER, 4_100_000L));
        Timer timer = this.registry.get("hephaestus.workflow.stop.duration").tags("workflow", "order").timer();
        assertThat(timer.count()).isEqualTo(2);
        assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(20_000_000.0);
        assertThat(timer.max(TimeUnit.NANOSECONDS)).isEqualTo(15_900_000.0);
        assertThat(tagsOf("hephaestus.workflow.stop.duration")).containsOnly(List.of(Tag.of("workflow", "order")));
    }

    @Test
    void stepStopDurationTimerRecordsStepDurationsPerWorkflowAndStep() {
        HephaestusMeterBinder binder = bound();
        binder.onEvent(stepStop(ORDER, "charge_payment", 3_000_000L));
        binder.onEvent(stepStop(OTHER_ORDER, "charge_payment", 1_000_000L));
        binder.onEvent(stepStop(ORDER, "reserve_inventory", 2_000_000L));
        Timer charge = this.registry.get("hephaestus.step.stop.duration")
            .tags("workflow", "order", "step", "charge_payment")
            .timer();
        assertThat(charge.count()).isEqualTo(2);
        assertThat(charge.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(4.0);
        Timer reserve = this.registry.get("hephaestus.step.stop.duration")
            .tags("workflow", "order", "step", "reserve_inventory")
            .timer();
        assertThat(reserve.count()).isEqualTo(1);
        assertThat(reserve.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2.0);
        assertThat(tagsOf("hephaestus.step.stop.duration")).containsOnly(
                List.of(Tag.of("step", "charge_payment"), Tag.of("workflow", "order")),
                List.of(Tag.of("step", "reserve_inventory"), Tag.of("workflow", "order")));
    }

    @Test
    void stepExceptionCounterIsTaggedWithTheFailureKind() {
        HephaestusMeterBinder binder = bound();
        binder.onEvent(stepException(ORDER, "charge_payment", FailureKind.EXCEPTION));
        binder.onEvent(stepException(ORDER, "charge_payment", FailureKind.EXCEPTION));
        binder.onEvent(stepException(ORDER, "charge_payment", FailureKind.TIMEOUT));
        assertThat(this.registry.get("hephaestus.step.exception")
            .tags("workflow", "order", "step", "charge_payment", "kind", "exception")
            .counter()
            .count()).isEqualTo(2);
        assertThat(this.registry.get("hephaestus.step.exception")
            .tags("workflow", "order", "step", "charge_payment", "kind", "timeout")
            .counter()
            .count()).isEqualTo(1);
        assertThat(tagsOf("hephaestus.step.exception")).containsOnly(
                List.of(Tag.of("kind", "exception"), Tag.of("step", "charge_payment"), Tag.of("workflow", "order")),
                List.of(Tag.of("kind", "timeout"), Tag.of("step", "charge_payment"), Tag.of("workflow", "order")));
    }

    @Test
    void stepAsyncCounterCountsStepsThatStartedWaiting() {
        HephaestusMeterBinder binder = bound();
        binder.onEvent(stepAsync(ORDER, "charge_payment"));
        binder.onEvent(stepAsync(OTHER_ORDER, "charge_payment"));
        binder.onEvent(stepAsync(REFUND, "await_refund"));
        assertThat(this.registry.get("hephaestus.step.async")
            .tags("workflow", "order", "step", "charge_payment")
            .counter()
            .count()).isEqualTo(2);
        assertThat(this.registry.get("hephaestus.step.async")
            .tags("workflow", "refund", "step", "await_refund")
            .counter()
            .count()).isEqualTo(1);
        assertThat(tagsOf("hephaestus.step.async")).containsOnly(
                List.of(Tag.of("step", "charge_payment"), Tag.of("workflow", "order")),
                List.of(Tag.of("step", "await_refund"), Tag.of("workflow", "refund")));
    }

    @Test
    void stepResumeWaitDurationTimerIsTaggedWithTheSource() {
        HephaestusMeterBinder binder = bound();
        binder.onEvent(stepResume(ORDER, "charge_payment", ResumeSource.EXTERNAL, 3_000_000_000L));
        binder.onEvent(stepResume(OTHER_ORDER, "charge_payment", ResumeSource.EXTERNAL, 1_000_000_000L));
        binder.onEvent(stepResume(ORDER, "charge_payment", ResumeSource.TIMEOUT, 30_000_000_000L));
        Timer external = this.registry.get("hephaestus.step.resume.wait_duration")
            .tags("workflow", "order", "step", "charge_payment", "source", "external")
            .timer();
        assertThat(external.count()).isEqualTo(2);
        assertThat(external.totalTime(TimeUnit.SECONDS)).isEqualTo(4.0);
        Timer timeout = this.registry.get("hephaestus.step.resume.wait_duration")
            .tags("workflow", "order", "step", "charge_payment", "source", "timeout")
            .timer();
        assertThat(timeout.count()).isEqualTo(1);
        assertThat(timeout.totalTime(TimeUnit.SECONDS)).isEqualTo(30.0);
        assertThat(tagsOf("hephaestus.step.resume.wait_duration")).containsOnly(
                List.of(Tag.of("source", "external"), Tag.of("step", "charge_payment"), Tag.of("workflow", "order")),
                List.of(Tag.of("source", "timeout"), Tag.of("step", "charge_payment"), Tag.of("workflow", "order")));
    }

    @Test
    void activeStepsGaugeHoldsTheLatestValuePerWorkflow() {
        HephaestusMeterBinder binder = bound();
        binder.onEvent(engineAdvance(ORDER, 2));
        binder.onEvent(engineAdvance(OTHER_ORDER, 1));
        binder.onEvent(engineAdvance(REFUND, 3));
        assertThat(this.registry.get("hephaestus.engine.advance.active_steps_count")
            .tags("workflow", "order")
            .gauge()
            .value()).isEqualTo(1);
        assertThat(this.registry.get("hephaestus.engine.advance.active_steps_count")
            .tags("workflow", "refund")
            .gauge()
            .value()).isEqualTo(3);
        binder.onEvent(engineAdvance(ORDER, 0));
        assertThat(this.registry.get("hephaestus.engine.advance.active_steps_count")
            .tags("workflow", "order")
            .gauge()
            .value()).isZero();
        assertThat(tagsOf("hephaestus.engine.advance.active_steps_count"))
            .containsOnly(List.of(Tag.of("workflow", "order")), List.of(Tag.of("workflow", "refund")));
    }

    @Test
    void everyDefinitionHasOneMeterWithItsTagsAndDescriptionAndNoInstanceId() {
        HephaestusMeterBinder binder = bound();
        allEvents(ORDER).forEach(binder::onEvent);
        for (MetricDefinition definition : MetricDefinitions.all()) {
            List<Meter> meters = List.copyOf(this.registry.find(HephaestusMeterBinder.meterName(definition)).meters());
            assertThat(meters).as(definition.name()).hasSize(1);
            Meter.Id id = meters.get(0).getId();
            assertThat(id.getTags()).as(definition.name())
                .extracting(Tag::getKey)
                .containsExactlyInAnyOrderElementsOf(definition.tags());
            assertThat(id.getDescription()).as(definition.name()).isEqualTo(definition.description());
        }
        assertThat(this.registry.getMeters()).flatExtracting((meter) -> meter.getId().getTags())
            .extracting(Tag::getValue)
            .isNotEmpty()
            .doesNotContain(ORDER.instanceId());
    }

    @Test
    void meterNamesDropTheCountSuffixOfCountersOnly() {
        assertThat(MetricDefinitions.all()).extracting(HephaestusMeterBinder::meterName)
            .containsExactly("hephaestus.workflow.start", "hephaestus.workflow.stop", "hephaestus.workflow.exception",
                    "hephaestus.workflow.stop.duration", "hephaestus.step.stop.duration", "hephaestus.step.exception",
                    "hephaestus.step.async", "hephaestus.step.resume.wait_duration",
                    "hephaestus.engine.advance.active_steps_count");
    }

    @Test
    void metersHaveTheTypeOfTheirDefinition() {
        HephaestusMeterBinder binder = bound();
        allEvents(ORDER).forEach(binder::onEvent);
        for (MetricDefinition definition : MetricDefinitions.all()) {
            Meter.Type expected = switch (definition.type()) {
                case COUNTER -> Meter.Type.COUNTER;
                case DISTRIBUTION -> Meter.Type.TIMER;
                case LAST_VALUE -> Meter.Type.GAUGE;
            };
            assertThat(this.registry.get(HephaestusMeterBinder.meterName(definition)).meter().getId().getType())
                .as(definition.name())
                .isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(MetricScope.class)
    void scopeRegistersOnlyTheMetricsOfThatScope(MetricScope scope) {
        HephaestusMeterBinder binder = binder(scope);
        binder.bindTo(this.registry);
        allEvents(ORDER).forEach(binder::onEvent);
        Set<String> expected = MetricDefinitions.of(scope)
            .stream()
            .map(HephaestusMeterBinder::meterName)
            .collect(Collectors.toSet());
        assertThat(meterNames()).isEqualTo(expected);
        String prefix = switch (scope) {
            case ALL -> "hephaestus.";
            case WORKFLOW -> "hephaestus.workflow.";
            case STEP -> "hephaestus.step.";
            case ENGINE -> "hephaestus.engine.";
        };
        assertThat(expected).isNotEmpty().allMatch((name) -> name.startsWith(prefix));
        assertThat(binder.eventTypes()).allMatch((type) -> type.eventName().startsWith(prefix));
    }

    @Test
    void eventsBeforeBindToAreIgnored() {
        HephaestusMeterBinder binder = binder(MetricScope.ALL);
        allEvents(ORDER).forEach(binder::onEvent);
        binder.bindTo(this.registry);
        assertThat(meterNames()).isEmpty();
        binder.onEvent(workflowStart(ORDER));
        assertThat(this.registry.get("hephaestus.workflow.start").tags("workflow", "order").counter().count())
            .isEqualTo(1);
    }

    @Test
    void eventsWithoutMetricsRegisterNothing() {
        HephaestusMeterBinder binder = bound();
        binder.onEvent(new WorkflowCancel(ORDER, 1_000L, List.of("charge_payment"), "local"));
        binder.onEvent(new WorkflowTransition(ORDER, 1L, "validate_order", "valid", List.of("charge_payment")));
        binder.onEvent(new StepStart(ORDER, 1L, "ChargePayment", "charge_payment", false, 1, 1));
        binder.onEvent(new RunnerInit(1L, "hephaestus", "local", "in-memory", 42L));
        assertThat(meterNames()).isEmpty();
        assertThat(binder.eventTypes()).doesNotContain(TelemetryEventType.WORKFLOW_CANCEL,
                TelemetryEventType.WORKFLOW_TRANSITION, TelemetryEventType.STEP_START, TelemetryEventType.RUNNER_INIT);
    }

    @Test
    void bindingTheSameRegistryTwiceRecordsOnce() {
        HephaestusMeterBinder binder = bound();
        binder.bindTo(this.registry);
        binder.onEvent(workflowStart(ORDER));
        assertThat(this.registry.get("hephaestus.workflow.start").tags("workflow", "order").counter().count())
            .isEqualTo(1);
    }

    @Test
    void everyBoundRegistryRecordsEveryEvent() {
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        HephaestusMeterBinder binder = bound();
        binder.bindTo(other);
        binder.onEvent(workflowStart(ORDER));
        binder.onEvent(stepStop(ORDER, "charge_payment", 1_000_000L));
        for (SimpleMeterRegistry each : List.of(this.registry, other)) {
            assertThat(each.get("hephaestus.workflow.start").tags("workflow", "order").counter().count())
                .isEqualTo(1);
            assertThat(each.get("hephaestus.step.stop.duration").tags("step", "charge_payment").timer().count())
                .isEqualTo(1);
            assertThat(each.find(HephaestusMeterBinder.INSTANCES).gauges()).hasSize(12);
        }
    }

    @Test
    void instancesGaugeReadsStorageCountsPerWorkflowAndStatus() {
        bound();
        assertThat(this.registry.find(HephaestusMeterBinder.INSTANCES).gauges())
            .hasSize(this.workflows.names().size() * Status.values().length);
        this.storage.set("order", Status.RUNNING, 3);
        this.storage.set("order", Status.COMPLETED, 40);
        this.storage.set("refund", Status.FAILED, 2);
        assertThat(instances("order", "running")).isEqualTo(3);
        assertThat(instances("order", "completed")).isEqualTo(40);
        assertThat(instances("order", "failed")).isZero();
        assertThat(instances("refund", "failed")).isEqualTo(2);
        assertThat(instances("refund", "pending")).isZero();
        this.storage.set("order", Status.RUNNING, 1);
        assertThat(instances("order", "running")).isEqualTo(1);
        Meter.Id id = this.registry.get(HephaestusMeterBinder.INSTANCES).tags("workflow", "order", "status", "waiting")
            .gauge()
            .getId();
        assertThat(id.getTags()).extracting(Tag::getKey).containsExactly("status", "workflow");
        assertThat(id.getBaseUnit()).isEqualTo("instances");
        assertThat(id.getDescription()).isNotBlank();
    }

    @Test
    void instancesGaugesOfOneWorkflowShareOneStorageQueryPerScrape() {
        bound();
        this.storage.set("order", Status.WAITING, 5);
        for (Status status : Status.values()) {
            instances("order", status.value());
        }
        assertThat(this.storage.queries()).isEqualTo(1);
        this.storage.set("order", Status.WAITING, 6);
        assertThat(instances("order", "waiting")).as("a second read of a gauge queries again").isEqualTo(6);
        assertThat(this.storage.queries()).isEqualTo(2);
        instances("refund", "waiting");
        assertThat(this.storage.queries()).as("each workflow has its own query").isEqualTo(3);
    }

    @Test
    void instancesGaugeIsNaNWhenStorageFails() {
        bound();
        this.storage.set("order", Status.RUNNING, 3);
        this.storage.fail();
        assertThat(instances("order", "running")).isNaN();
    }

    @Test
    void timersPublishTheServiceLevelObjectivesAsHistogramBuckets() {
        HephaestusMeterBinder binder = bound();
        allEvents(ORDER).forEach(binder::onEvent);
        binder.onEvent(stepStop(ORDER, "validate_order", 7_000_000L));
        for (String name : List.of("hephaestus.workflow.stop.duration", "hephaestus.step.stop.duration",
                "hephaestus.step.resume.wait_duration")) {
            CountAtBucket[] buckets = this.registry.get(name).timer().takeSnapshot().histogramCounts();
            assertThat(buckets).as(name)
                .extracting((bucket) -> bucket.bucket(TimeUnit.MILLISECONDS))
                .containsExactly(5.0, 10.0, 50.0, 100.0, 250.0, 500.0, 1_000.0, 5_000.0, 30_000.0, 60_000.0,
                        300_000.0);
        }
        CountAtBucket[] validate = this.registry.get("hephaestus.step.stop.duration")
            .tags("step", "validate_order")
            .timer()
            .takeSnapshot()
            .histogramCounts();
        assertThat(validate[0].count()).isZero();
        assertThat(validate[1].count()).isEqualTo(1);
        assertThat(validate[10].count()).isEqualTo(1);
    }

    @Test
    void timersPublishNoBucketsWithoutServiceLevelObjectives() {
        HephaestusMeterBinder binder = new HephaestusMeterBinder(MetricDefinitions.all(), List.of(), this.storage,
                this.workflows);
        binder.bindTo(this.registry);
        binder.onEvent(stepStop(ORDER, "charge_payment", 1_000_000L));
        assertThat(this.registry.get("hephaestus.step.stop.duration").timer().takeSnapshot().histogramCounts())
            .isEmpty();
    }

    @Test
    void prometheusSeriesHaveTheDocumentedNamesAndTags() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HephaestusMeterBinder binder = binder(MetricScope.ALL);
        binder.bindTo(prometheus);
        allEvents(ORDER).forEach(binder::onEvent);
        this.storage.set("order", Status.WAITING, 5);
        String scrape = prometheus.scrape();
        assertThat(scrape).contains("hephaestus_workflow_start_total{workflow=\"order\"} 1.0",
                "hephaestus_workflow_stop_total{workflow=\"order\"} 1.0",
                "hephaestus_workflow_exception_total{failed_step=\"charge_payment\",workflow=\"order\"} 1.0",
                "hephaestus_workflow_stop_duration_seconds_bucket{workflow=\"order\",le=\"0.005\"} 0",
                "hephaestus_workflow_stop_duration_seconds_bucket{workflow=\"order\",le=\"0.05\"} 1",
                "hephaestus_workflow_stop_duration_seconds_bucket{workflow=\"order\",le=\"300.0\"} 1",
                "hephaestus_workflow_stop_duration_seconds_bucket{workflow=\"order\",le=\"+Inf\"} 1",
                "hephaestus_workflow_stop_duration_seconds_count{workflow=\"order\"} 1",
                "hephaestus_workflow_stop_duration_seconds_sum{workflow=\"order\"} 0.0159",
                "hephaestus_step_stop_duration_seconds_bucket{step=\"charge_payment\",workflow=\"order\",le=\"0.005\"} 1",
                "hephaestus_step_stop_duration_seconds_count{step=\"charge_payment\",workflow=\"order\"} 1",
                "hephaestus_step_stop_duration_seconds_sum{step=\"charge_payment\",workflow=\"order\"} 0.003",
                "hephaestus_step_exception_total{kind=\"exception\",step=\"charge_payment\",workflow=\"order\"} 1.0",
                "hephaestus_step_async_total{step=\"charge_payment\",workflow=\"order\"} 1.0",
                "hephaestus_step_resume_wait_duration_seconds_count{source=\"external\",step=\"charge_payment\","
                        + "workflow=\"order\"} 1",
                "hephaestus_step_resume_wait_duration_seconds_sum{source=\"external\",step=\"charge_payment\","
                        + "workflow=\"order\"} 3.0",
                "hephaestus_engine_advance_active_steps_count{workflow=\"order\"} 2.0",
                "hephaestus_instances{status=\"waiting\",workflow=\"order\"} 5.0",
                "hephaestus_instances{status=\"running\",workflow=\"refund\"} 0.0");
        long buckets = scrape.lines()
            .filter((line) -> line.startsWith("hephaestus_step_stop_duration_seconds_bucket{"))
            .count();
        assertThat(buckets).isEqualTo(SLO.size() + 1);
        assertThat(scrape).doesNotContain(ORDER.instanceId());
    }

    @Test
    void recordingInExistingMetersAllocatesNothing() {
        HephaestusMeterBinder binder = bound();
        List<TelemetryEvent> events = allEvents(ORDER);
        events.forEach(binder::onEvent);
        long allocated = allocatedBytes(() -> {
            for (int round = 0; round < 10_000; round++) {
                for (int i = 0; i < events.size(); i++) {
                    binder.onEvent(events.get(i));
                }
            }
        });
        // One object per event would be over a megabyte for these 80,000 events; the few hundred
        // bytes measured come from the JVM and the registry (compilation, histogram rotation).
        assertThat(allocated).isLessThan(16_000);
        assertThat(this.registry.get("hephaestus.workflow.start").counter().count()).isEqualTo(20_001);
    }

    @Test
    void constructorRejectsDuplicateDefinitionsAndNonPositiveBoundaries() {
        MetricDefinition start = MetricDefinitions.all().get(0);
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new HephaestusMeterBinder(List.of(start, start), SLO, this.storage, this.workflows))
            .withMessageContaining("hephaestus.workflow.start.count");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new HephaestusMeterBinder(MetricDefinitions.all(), List.of(Duration.ZERO),
                    this.storage, this.workflows))
            .withMessageContaining("positive");
    }

    private double instances(String workflow, String status) {
        return this.registry.get(HephaestusMeterBinder.INSTANCES)
            .tags("workflow", workflow, "status", status)
            .gauge()
            .value();
    }

    /**
     * Return the names of the meters of the telemetry metrics, without the instance gauges and the
     * histogram gauges the registry derives from the timers.
     */
    private Set<String> meterNames() {
        return this.registry.getMeters()
            .stream()
            .filter((meter) -> meter.getId().syntheticAssociation() == null)
            .map((meter) -> meter.getId().getName())
            .filter((name) -> !name.equals(HephaestusMeterBinder.INSTANCES))
            .collect(Collectors.toSet());
    }

    private List<List<Tag>> tagsOf(String name) {
        return this.registry.find(name).meters().stream().map((meter) -> meter.getId().getTags()).toList();
    }

    /** One event feeding each of the nine metrics. */
    private static List<TelemetryEvent> allEvents(InstanceScope scope) {
        List<TelemetryEvent> events = new ArrayList<>();
        events.add(workflowStart(scope));
        events.add(workflowStop(scope, 15_900_000L));
        events.add(workflowException(scope, "charge_payment"));
        events.add(stepStop(scope, "charge_payment", 3_000_000L));
        events.add(stepException(scope, "charge_payment", FailureKind.EXCEPTION));
        events.add(stepAsync(scope, "charge_payment"));
        events.add(stepResume(scope, "charge_payment", ResumeSource.EXTERNAL, 3_000_000_000L));
        events.add(engineAdvance(scope, 2));
        return events;
    }

    private static WorkflowStart workflowStart(InstanceScope scope) {
        return new WorkflowStart(scope, 1_700_000_000_000_000_000L, "validate_order", List.of("items"), "local", false);
    }

    private static WorkflowStop workflowStop(InstanceScope scope, long duration) {
        return new WorkflowStop(scope, duration, 3, 4, List.of("validate_order", "ship_order", "done"), "local");
    }

    private static WorkflowException workflowException(InstanceScope scope, String failedStep) {
        return new WorkflowException(scope, 7_000_000L, failedStep, FailureKind.EXCEPTION, "card declined",
                List.of(), 1, 2, "local");
    }

    private static StepStop stepStop(InstanceScope scope, String stepKey, long duration) {
        return new StepStop(scope, duration, "Step_" + stepKey, stepKey, "done", false, false, List.of("done"));
    }

    private static StepException stepException(InstanceScope scope, String stepKey, FailureKind kind) {
        return new StepException(scope, 1_000_000L, "Step_" + stepKey, stepKey, kind, "boom", List.of(), 1, false);
    }

    private static StepAsync stepAsync(InstanceScope scope, String stepKey) {
        return new StepAsync(scope, 500_000L, "Step_" + stepKey, stepKey, "waiting");
    }

    private static StepResume stepResume(InstanceScope scope, String stepKey, ResumeSource source, long waited) {
        return new StepResume(scope, 1_700_000_000_000_000_000L, waited, "Step_" + stepKey, stepKey, "confirmed",
                source);
    }

    private static EngineAdvance engineAdvance(InstanceScope scope, int activeSteps) {
        return new EngineAdvance(scope, 20_000L, activeSteps, 1, "running", "running", 1);
    }

    /**
     * Return the bytes the current thread allocated while running {@code action} (after a first,
     * warm-up run). Skips the test on JVMs that cannot tell.
     */
    private static long allocatedBytes(Runnable action) {
        assumeThat(ManagementFactory.getThreadMXBean()).isInstanceOf(com.sun.management.ThreadMXBean.class);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        long thread = Thread.currentThread().getId();
        action.run();
        long before = threads.getThreadAllocatedBytes(thread);
        action.run();
        return threads.getThreadAllocatedBytes(thread) - before;
    }
}
