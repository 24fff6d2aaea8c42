package io.hephaestus.spring.boot.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.Storage;
import io.hephaestus.core.telemetry.MetricDefinition;
import io.hephaestus.core.telemetry.MetricDefinitions;
import io.hephaestus.core.telemetry.MetricType;
import io.hephaestus.core.telemetry.TelemetryEvent;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.core.telemetry.TelemetryListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@link HephaestusMeterBinder} turns Hephaestus telemetry events into Micrometer meters, one
 * meter per {@link MetricDefinition} of the core (the single source of truth for names, tags
 * and values), plus a gauge of the stored instances per workflow and status.
 *
 * <p>Attach it to the {@link io.hephaestus.core.telemetry.Telemetry} dispatcher (the starter
 * does so for every {@link TelemetryListener} bean) and bind it to a registry (Spring Boot binds
 * every {@link MeterBinder} bean). Events that arrive before it is bound are ignored. With every
 * definition ({@link MetricDefinitions#all()}) it registers:
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>Definition</th><th>Meter</th><th>Tags</th><th>Prometheus series</th></tr>
 * <tr><td>{@code hephaestus.workflow.start.count}</td><td>counter {@code hephaestus.workflow.start}</td>
 * <td>{@code workflow}</td><td>{@code hephaestus_workflow_start_total}</td></tr>
 * <tr><td>{@code hephaestus.workflow.stop.count}</td><td>counter {@code hephaestus.workflow.stop}</td>
 * <td>{@code workflow}</td><td>{@code hephaestus_workflow_stop_total}</td></tr>
 * <tr><td>{@code hephaestus.workflow.exception.count}</td><td>counter {@code hephaestus.workflow.exception}</td>
 * <td>{@code workflow}, {@code failed_step}</td><td>{@code hephaestus_workflow_exception_total}</td></tr>
 * <tr><td>{@code hephaestus.workflow.stop.duration}</td><td>timer {@code hephaestus.workflow.stop.duration}</td>
 * <td>{@code workflow}</td><td>{@code hephaestus_workflow_stop_duration_seconds_{bucket,count,sum}}</td></tr>
 * <tr><td>{@code hephaestus.step.stop.duration}</td><td>timer {@code hephaestus.step.stop.duration}</td>
 * <td>{@code workflow}, {@code step}</td><td>{@code hephaestus_step_stop_duration_seconds_*}</td></tr>
 * <tr><td>{@code hephaestus.step.exception.count}</td><td>counter {@code hephaestus.step.exception}</td>
 * <td>{@code workflow}, {@code step}, {@code kind}</td><td>{@code hephaestus_step_exception_total}</td></tr>
 * <tr><td>{@code hephaestus.step.async.count}</td><td>counter {@code hephaestus.step.async}</td>
 * <td>{@code workflow}, {@code step}</td><td>{@code hephaestus_step_async_total}</td></tr>
 * <tr><td>{@code hephaestus.step.resume.wait_duration}</td><td>timer
 * {@code hephaestus.step.resume.wait_duration}</td><td>{@code workflow}, {@code step}, {@code source}</td>
 * <td>{@code hephaestus_step_resume_wait_duration_seconds_*}</td></tr>
 * <tr><td>{@code hephaestus.engine.advance.active_steps_count}</td><td>gauge
 * {@code hephaestus.engine.advance.active_steps_count}</td><td>{@code workflow}</td>
 * <td>{@code hephaestus_engine_advance_active_steps_count}</td></tr>
 * <tr><td>(storage)</td><td>gauge {@code hephaestus.instances}</td><td>{@code workflow}, {@code status}</td>
 * <td>{@code hephaestus_instances}</td></tr>
 * </table>
 *
 * <p>Counters drop the {@code .count} suffix of their definition (Micrometer names carry no unit
 * or {@code total}); timers and the gauge keep it. Tag values are the workflow name, the step key
 * ({@code step}, {@code failed_step}), the failure kind ({@code error}, {@code exception},
 * {@code timeout}, {@code invalid}), the resume source ({@code external}, {@code timeout}) and the
 * lower-case status; never an instance id. The active-steps gauge holds the value of the latest
 * engine advance of any instance of the workflow. The instance gauges are registered at binding
 * time for every workflow of the {@link WorkflowRegistry} and every {@link Status}; they read
 * {@link Storage#countByStatus(String)} when the registry is scraped, one query per workflow for
 * all its statuses (the counts of a query serve each status's gauge once, within a second), and
 * report {@code NaN} when storage cannot be read.
 *
 * <p>The timers publish a small fixed set of histogram buckets, the service-level objectives
 * given to the constructor (not a percentile histogram, whose many buckets would multiply the
 * series per workflow and step). They are set on the meter builder only, so meter filters (such
 * as Spring Boot's {@code management.metrics.distribution.*} properties) override them.
 *
 * <p><strong>Threading:</strong> {@link #onEvent(TelemetryEvent)} runs on the engine's threads
 * and is thread-safe and non-blocking. Once the meter of a tag combination exists, recording an
 * event looks nothing up in the registry and allocates nothing: meters are cached per tag value,
 * one {@link ConcurrentHashMap} level per tag.
 *
 * @since 0.1.0
 */
public final class HephaestusMeterBinder implements MeterBinder, TelemetryListener {

    /** The name of the gauge of stored instances per workflow and status. */
    public static final String INSTANCES = "hephaestus.instances";

    private static final Logger logger = LoggerFactory.getLogger(HephaestusMeterBinder.class);

    private static final String COUNT_SUFFIX = ".count";

    private static final Binding[] UNBOUND = {};

    private final List<MetricDefinition> definitions;

    private final Duration[] slo;

    private final Storage storage;

    private final WorkflowRegistry workflows;

    private final Object lock = new Object();

    /** The instance counts of each workflow, shared by the gauges of every bound registry. */
    private final Map<String, InstanceCounts> instanceCounts = new ConcurrentHashMap<>();

    /** One binding per registry, replaced (never mutated) under {@link #lock}. */
    private volatile Binding[] bindings = UNBOUND;

    /**
     * Create a binder.
     * @param definitions the metrics to register, such as {@code MetricDefinitions.of(scope)}
     * @param slo the histogram bucket boundaries of the timers, each positive; empty for none
     * @param storage the storage the instance gauges read
     * @param workflows the workflows that get instance gauges
     * @throws IllegalArgumentException if two definitions share a name or a boundary is not
     * positive
     */
    public HephaestusMeterBinder(List<MetricDefinition> definitions, List<Duration> slo, Storage storage,
            WorkflowRegistry workflows) {
        this.definitions = List.copyOf(Objects.requireNonNull(definitions, "definitions"));
        this.slo = List.copyOf(Objects.requireNonNull(slo, "slo")).toArray(Duration[]::new);
        this.storage = Objects.requireNonNull(storage, "storage");
        this.workflows = Objects.requireNonNull(workflows, "workflows");
        Set<String> names = new HashSet<>();
        for (MetricDefinition definition : this.definitions) {
            if (!names.add(definition.name())) {
                throw new IllegalArgumentException("metric '" + definition.name() + "' is defined twice");
            }
        }
        for (Duration boundary : this.slo) {
            if (boundary.isZero() || boundary.isNegative()) {
                throw new IllegalArgumentException("histogram boundaries must be positive, got " + boundary);
            }
        }
    }

    /**
     * Return the Micrometer name of the meter of a definition: the definition's name, without its
     * {@code .count} suffix for a counter.
     * @param definition the definition
     * @return the meter name, such as {@code hephaestus.workflow.start}
     */
    public static String meterName(MetricDefinition definition) {
        String name = definition.name();
        if (definition.type() == MetricType.COUNTER && name.endsWith(COUNT_SUFFIX)) {
            return name.substring(0, name.length() - COUNT_SUFFIX.length());
        }
        return name;
    }

    /**
     * Return the definitions this binder registers meters for.
     * @return an unmodifiable list of the definitions
     */
    public List<MetricDefinition> definitions() {
        return this.definitions;
    }

    /**
     * Return the event types that feed this binder's meters: a dispatcher that attaches it
     * ({@link io.hephaestus.core.telemetry.Telemetry#attach(String, TelemetryListener)}) builds no
     * other event for it.
     * @return the event types, possibly empty
     */
    @Override
    public Set<TelemetryEventType> eventTypes() {
        Set<TelemetryEventType> types = EnumSet.noneOf(TelemetryEventType.class);
        this.definitions.forEach((definition) -> types.add(definition.event()));
        return types;
    }

    /**
     * Register the instance gauges in {@code registry} and record the meters of the following
     * events there. Binding the same registry again changes nothing.
     * @param registry the registry
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        synchronized (this.lock) {
            Binding[] current = this.bindings;
            for (Binding binding : current) {
                if (binding.registry == registry) {
                    return;
                }
            }
            registerInstanceGauges(registry);
            Binding[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = new Binding(registry, this.definitions, this.slo);
            this.bindings = next;
        }
    }

    /**
     * Record an event in the meters of the definitions it feeds, in every bound registry.
     * @param event the event
     */
    @Override
    public void onEvent(TelemetryEvent event) {
        Binding[] current = this.bindings;
        int type = event.type().ordinal();
        for (int b = 0; b < current.length; b++) {
            Recorder<?>[] recorders = current[b].byType[type];
            for (int r = 0; r < recorders.length; r++) {
                recorders[r].record(event);
            }
        }
    }

    private void registerInstanceGauges(MeterRegistry registry) {
        for (String workflow : this.workflows.names()) {
            InstanceCounts counts = this.instanceCounts.computeIfAbsent(workflow,
                    (name) -> new InstanceCounts(this.storage, name));
            for (Status status : Status.values()) {
                Gauge.builder(INSTANCES, counts, (c) -> c.count(status))
                    .description("Workflow instances in storage, by workflow and status")
                    .baseUnit("instances")
                    .tags("workflow", workflow, "status", status.value())
                    .strongReference(true)
                    .register(registry);
            }
        }
    }

    /**
     * The stored instance counts of one workflow, read with one {@link Storage#countByStatus}
     * query for all the status gauges of a scrape instead of one query per status.
     *
     * <p>A scrape reads each gauge once; the counts of a query serve each status once, for at most
     * {@link #REUSE_NANOS}, so a second read of the same gauge (the next scrape, or another
     * registry) always queries again.
     */
    private static final class InstanceCounts {

        /** How long the counts of one query may serve the other statuses' gauges. */
        static final long REUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

        private final Storage storage;

        private final String workflow;

        private Map<Status, Long> counts = Map.of();

        private final EnumSet<Status> served = EnumSet.allOf(Status.class);

        private long readAt;

        InstanceCounts(Storage storage, String workflow) {
            this.storage = storage;
            this.workflow = workflow;
        }

        synchronized double count(Status status) {
            long now = System.nanoTime();
            if (this.served.contains(status) || now - this.readAt > REUSE_NANOS) {
                try {
                    this.counts = this.storage.countByStatus(this.workflow);
                }
                catch (RuntimeException ex) {
                    logger.debug("Could not count the instances of workflow '{}' in storage {}", this.workflow,
                            this.storage.name(), ex);
                    this.served.addAll(EnumSet.allOf(Status.class));
                    return Double.NaN;
                }
                this.readAt = System.nanoTime();
                this.served.clear();
            }
            this.served.add(status);
            Long count = this.counts.get(status);
            return (count != null) ? count : 0;
        }

    }

    /**
     * The recorders of one registry, indexed by {@link TelemetryEventType#ordinal()}.
     */
    private static final class Binding {

        private static final Recorder<?>[] NONE = {};

        final MeterRegistry registry;

        final Recorder<?>[][] byType;

        Binding(MeterRegistry registry, List<MetricDefinition> definitions, Duration[] slo) {
            this.registry = registry;
            TelemetryEventType[] types = TelemetryEventType.values();
            this.byType = new Recorder<?>[types.length][];
            for (TelemetryEventType type : types) {
                List<Recorder<?>> recorders = new ArrayList<>();
                for (MetricDefinition definition : definitions) {
                    if (definition.event() == type) {
                        recorders.add(recorder(registry, definition, slo));
                    }
                }
                this.byType[type.ordinal()] = recorders.isEmpty() ? NONE : recorders.toArray(NONE);
            }
        }

        private static Recorder<?> recorder(MeterRegistry registry, MetricDefinition definition, Duration[] slo) {
            return switch (definition.type()) {
                case COUNTER -> new CounterRecorder(registry, definition);
                case DISTRIBUTION -> new TimerRecorder(registry, definition, slo);
                case LAST_VALUE -> new GaugeRecorder(registry, definition);
            };
        }
    }

    /**
     * Records the events of one definition in one registry, creating each meter on the first event
     * with its tag values.
     *
     * @param <M> the type of the cached meter (or of the value a gauge reads)
     */
    private abstract static class Recorder<M> {

        final MeterRegistry registry;

        final MetricDefinition definition;

        final String name;

        /** Index of the last tag: the deepest level of {@link #meters}; -1 without tags. */
        private final int lastTag;

        /**
         * Meters by tag value, one nested level per tag: the maps of the inner levels hold maps,
         * the map of the last level holds the meters. The keys are the tag values the events
         * carry, so a lookup builds no key.
         */
        private final ConcurrentHashMap<String, Object> meters = new ConcurrentHashMap<>();

        Recorder(MeterRegistry registry, MetricDefinition definition) {
            this.registry = registry;
            this.definition = definition;
            this.name = meterName(definition);
            this.lastTag = definition.tags().size() - 1;
        }

        final void record(TelemetryEvent event) {
            record(meterFor(event), event);
        }

        /**
         * Register the meter of one tag combination.
         */
        abstract M register(Tags tags);

        abstract void record(M meter, TelemetryEvent event);

        @SuppressWarnings("unchecked")
        private M meterFor(TelemetryEvent event) {
            ConcurrentHashMap<String, Object> level = this.meters;
            for (int i = 0; i < this.lastTag; i++) {
                String value = this.definition.tagValue(event, i);
                Object next = level.get(value);
                if (next == null) {
                    next = level.computeIfAbsent(value, (key) -> new ConcurrentHashMap<String, Object>());
                }
                level = (ConcurrentHashMap<String, Object>) next;
            }
            String value = (this.lastTag < 0) ? "" : this.definition.tagValue(event, this.lastTag);
            Object meter = level.get(value);
            if (meter == null) {
                // Only the first event of a tag combination gets here, so only it allocates.
                meter = level.computeIfAbsent(value, (key) -> register(tagsOf(event)));
            }
            return (M) meter;
        }

        private Tags tagsOf(TelemetryEvent event) {
            List<String> tags = this.definition.tags();
            Tag[] result = new Tag[tags.size()];
            for (int i = 0; i < result.length; i++) {
                result[i] = Tag.of(tags.get(i), this.definition.tagValue(event, i));
            }
            return Tags.of(result);
        }
    }

    private static final class CounterRecorder extends Recorder<Counter> {

        CounterRecorder(MeterRegistry registry, MetricDefinition definition) {
            super(registry, definition);
        }

        @Override
        Counter register(Tags tags) {
            return Counter.builder(this.name).description(this.definition.description()).tags(tags)
                .register(this.registry);
        }

        @Override
        void record(Counter counter, TelemetryEvent event) {
            counter.increment(this.definition.measure(event));
        }
    }

    private static final class TimerRecorder extends Recorder<Timer> {

        private final Duration[] slo;

        TimerRecorder(MeterRegistry registry, MetricDefinition definition, Duration[] slo) {
            super(registry, definition);
            this.slo = slo;
        }

        @Override
        Timer register(Tags tags) {
            return Timer.builder(this.name).description(this.definition.description()).tags(tags)
                .serviceLevelObjectives(this.slo).register(this.registry);
        }

        @Override
        void record(Timer timer, TelemetryEvent event) {
            // Durations are measured in nanoseconds.
            timer.record((long) this.definition.measure(event), TimeUnit.NANOSECONDS);
        }
    }

    private static final class GaugeRecorder extends Recorder<AtomicLong> {

        GaugeRecorder(MeterRegistry registry, MetricDefinition definition) {
            super(registry, definition);
        }

        @Override
        AtomicLong register(Tags tags) {
            // The cache keeps the value strongly; the gauge only reads it.
            AtomicLong value = new AtomicLong();
            Gauge.builder(this.name, value, AtomicLong::doubleValue).description(this.definition.description())
                .tags(tags).strongReference(true).register(this.registry);
            return value;
        }

        @Override
        void record(AtomicLong value, TelemetryEvent event) {
            value.set((long) this.definition.measure(event));
        }
    }
}
