package io.hephaestus.core.telemetry;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * {@link TelemetryListener} that writes one human-readable SLF4J log line per event.
 *
 * <p>Attach it with {@link #attachTo(Telemetry)} (under {@link #DEFAULT_ID}) and detach it with
 * {@code telemetry.detach(LogTelemetryListener.DEFAULT_ID)}. By default it logs every event type
 * at the level of {@link #defaultLevel(TelemetryEventType)} to the logger named
 * {@value #DEFAULT_LOGGER_NAME}; the {@link #builder() builder} overrides levels, restricts the
 * event types, or sets another logger.
 *
 * <p>Instance-scoped lines start with {@code [<instance_id>] }. {@code <ms>} is a duration in
 * whole milliseconds, truncated:
 * <table>
 * <caption>Log lines by event</caption>
 * <tr><th>Event</th><th>Message</th></tr>
 * <tr><td>workflow.start</td><td>{@code Workflow started}, or {@code Workflow recovered} for a
 * recovered instance</td></tr>
 * <tr><td>workflow.stop</td><td>{@code Workflow completed in <ms>ms}</td></tr>
 * <tr><td>workflow.exception</td><td>{@code Workflow failed at <failed step name>: <reason>}</td></tr>
 * <tr><td>workflow.cancel</td><td>{@code Workflow cancelled after <ms>ms}</td></tr>
 * <tr><td>workflow.transition</td><td>{@code Transition: <from step name> → <t1 name>, <t2 name>}; with no
 * target the line ends with {@code "→ "}, trailing space included, as in the original
 * engine</td></tr>
 * <tr><td>step.start</td><td>{@code Step <step> started}</td></tr>
 * <tr><td>step.stop</td><td>{@code Step <step> completed in <ms>ms → <event>}</td></tr>
 * <tr><td>step.exception</td><td>{@code Step <step> failed: <reason>}, followed, when the step threw,
 * by the frames of its stack trace on their own lines ({@code \tat <frame>}): a thrown exception's
 * trace is logged once, here, and kept with the instance's failure</td></tr>
 * <tr><td>step.async</td><td>{@code Step <step> waiting for async event}</td></tr>
 * <tr><td>step.resume</td><td>{@code Step <step> resumed with <resume_event> (waited <ms>ms)},
 * from {@code wait_duration}</td></tr>
 * <tr><td>engine.advance</td><td>{@code Engine advance #<iteration> (<ms>ms)}</td></tr>
 * <tr><td>runner.init</td><td>{@code Hephaestus runner initialized: <name>}, without
 * prefix</td></tr>
 * </table>
 *
 * <p>While it logs, the listener puts {@code instance_id}, {@code workflow} and, for step events,
 * {@code step} (the display name) into the SLF4J {@link MDC}, and restores the previous values
 * afterwards. It checks the logger's level first, so an event whose level is off costs no
 * formatting. Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class LogTelemetryListener implements TelemetryListener {

    /** The id {@link #attachTo(Telemetry)} attaches the listener under. */
    public static final String DEFAULT_ID = "hephaestus-default-log-handler";

    /** The name of the logger the listener writes to unless told otherwise. */
    public static final String DEFAULT_LOGGER_NAME = "io.hephaestus.telemetry";

    private static final String INSTANCE_ID_KEY = "instance_id";

    private static final String WORKFLOW_KEY = "workflow";

    private static final String STEP_KEY = "step";

    private final Logger logger;

    private final Set<TelemetryEventType> events;

    /** Whether each event type, by ordinal, is logged. */
    private final boolean[] enabled;

    /** The level of each event type, by ordinal. */
    private final Level[] levels;

    private LogTelemetryListener(Builder builder) {
        this.logger = (builder.logger != null) ? builder.logger : LoggerFactory.getLogger(DEFAULT_LOGGER_NAME);
        this.events = Collections.unmodifiableSet(EnumSet.copyOf(builder.events));
        TelemetryEventType[] types = TelemetryEventType.values();
        this.enabled = new boolean[types.length];
        this.levels = new Level[types.length];
        for (TelemetryEventType type : types) {
            this.enabled[type.ordinal()] = this.events.contains(type);
            this.levels[type.ordinal()] = builder.levels.getOrDefault(type, defaultLevel(type));
        }
    }

    /**
     * Return a listener for every event type, at the default levels, writing to
     * {@value #DEFAULT_LOGGER_NAME}.
     * @return the listener
     */
    public static LogTelemetryListener create() {
        return builder().build();
    }

    /**
     * Return a builder starting from the defaults of {@link #create()}.
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Return the level an event type is logged at unless overridden: {@code ERROR} for
     * exceptions, {@code WARN} for step.async, {@code DEBUG} for workflow.transition and
     * engine.advance, {@code INFO} for the others.
     * @param type the event type
     * @return the default level
     */
    public static Level defaultLevel(TelemetryEventType type) {
        return switch (type) {
            case WORKFLOW_EXCEPTION, STEP_EXCEPTION -> Level.ERROR;
            case STEP_ASYNC -> Level.WARN;
            case WORKFLOW_TRANSITION, ENGINE_ADVANCE -> Level.DEBUG;
            case WORKFLOW_START, WORKFLOW_STOP, WORKFLOW_CANCEL, STEP_START, STEP_STOP, STEP_RESUME, RUNNER_INIT ->
                Level.INFO;
        };
    }

    /**
     * Return the event types this listener logs.
     * @return an unmodifiable set of the types
     */
    public Set<TelemetryEventType> events() {
        return this.events;
    }

    /**
     * Return the event types this listener logs, the same as {@link #events()}.
     * @return an unmodifiable set of the types
     */
    @Override
    public Set<TelemetryEventType> eventTypes() {
        return this.events;
    }

    /**
     * Return the level an event type is logged at by this listener.
     * @param type the event type
     * @return the overridden level, or the default one
     */
    public Level level(TelemetryEventType type) {
        return this.levels[type.ordinal()];
    }

    /**
     * Attach this listener to a dispatcher under {@link #DEFAULT_ID}, for {@link #events()}.
     * @param telemetry the dispatcher
     * @throws IllegalStateException if a listener is already attached under {@link #DEFAULT_ID}
     */
    public void attachTo(Telemetry telemetry) {
        telemetry.attach(DEFAULT_ID, this.events, this);
    }

    /**
     * Log the event, if its type is one of {@link #events()} and its level is enabled.
     * @param event the event
     */
    @Override
    public void onEvent(TelemetryEvent event) {
        int ordinal = event.type().ordinal();
        if (!this.enabled[ordinal]) {
            return;
        }
        Level level = this.levels[ordinal];
        if (!this.logger.isEnabledForLevel(level)) {
            return;
        }
        InstanceScope scope = Events.scopeOf(event);
        if (scope == null) {
            log(level, message(event, null));
            return;
        }
        String step = Events.stepOf(event);
        String previousInstanceId = MDC.get(INSTANCE_ID_KEY);
        String previousWorkflow = MDC.get(WORKFLOW_KEY);
        String previousStep = MDC.get(STEP_KEY);
        try {
            MDC.put(INSTANCE_ID_KEY, scope.instanceId());
            MDC.put(WORKFLOW_KEY, scope.workflow());
            if (step != null) {
                MDC.put(STEP_KEY, step);
            }
            log(level, message(event, scope));
        }
        finally {
            restore(INSTANCE_ID_KEY, previousInstanceId);
            restore(WORKFLOW_KEY, previousWorkflow);
            if (step != null) {
                restore(STEP_KEY, previousStep);
            }
        }
    }

    private void log(Level level, String message) {
        switch (level) {
            case ERROR -> this.logger.error(message);
            case WARN -> this.logger.warn(message);
            case INFO -> this.logger.info(message);
            case DEBUG -> this.logger.debug(message);
            case TRACE -> this.logger.trace(message);
        }
    }

    private static void restore(String key, @Nullable String previous) {
        if (previous == null) {
            MDC.remove(key);
        }
        else {
            MDC.put(key, previous);
        }
    }

    /**
     * Return the log message of an event.
     * @param event the event
     * @param scope the event's scope, {@code null} for {@link RunnerInit}
     * @return the message
     */
    private static String message(TelemetryEvent event, @Nullable InstanceScope scope) {
        StringBuilder message = new StringBuilder(64);
        if (scope != null) {
            message.append('[').append(scope.instanceId()).append("] ");
        }
        if (event instanceof WorkflowStart e) {
            message.append(e.recovered() ? "Workflow recovered" : "Workflow started");
        }
        else if (event instanceof WorkflowStop e) {
            message.append("Workflow completed in ").append(millis(e.duration())).append("ms");
        }
        else if (event instanceof WorkflowException e) {
            message.append("Workflow failed at ").append(e.failedStepName()).append(": ").append(e.reason());
        }
        else if (event instanceof WorkflowCancel e) {
            message.append("Workflow cancelled after ").append(millis(e.duration())).append("ms");
        }
        else if (event instanceof WorkflowTransition e) {
            message.append("Transition: ").append(e.fromStepName()).append(" → ");
            appendJoined(message, e.targetNames());
        }
        else if (event instanceof StepStart e) {
            message.append("Step ").append(e.step()).append(" started");
        }
        else if (event instanceof StepStop e) {
            message.append("Step ").append(e.step()).append(" completed in ").append(millis(e.duration()))
                .append("ms → ").append(e.event());
        }
        else if (event instanceof StepException e) {
            message.append("Step ").append(e.step()).append(" failed: ").append(e.reason());
            for (String frame : e.stacktrace()) {
                message.append("\n\tat ").append(frame);
            }
        }
        else if (event instanceof StepAsync e) {
            message.append("Step ").append(e.step()).append(" waiting for async event");
        }
        else if (event instanceof StepResume e) {
            message.append("Step ").append(e.step()).append(" resumed with ").append(e.resumeEvent())
                .append(" (waited ").append(millis(e.waitDuration())).append("ms)");
        }
        else if (event instanceof EngineAdvance e) {
            message.append("Engine advance #").append(e.iteration()).append(" (").append(millis(e.duration()))
                .append("ms)");
        }
        else if (event instanceof RunnerInit e) {
            message.append("Hephaestus runner initialized: ").append(e.runnerName());
        }
        else {
            throw new AssertionError(event);
        }
        return message.toString();
    }

    private static void appendJoined(StringBuilder message, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                message.append(", ");
            }
            message.append(values.get(i));
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /**
     * Builder of a {@link LogTelemetryListener}. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private final Map<TelemetryEventType, Level> levels = new EnumMap<>(TelemetryEventType.class);

        private Set<TelemetryEventType> events = EnumSet.allOf(TelemetryEventType.class);

        private @Nullable Logger logger;

        private Builder() {
        }

        /**
         * Log an event type at the given level instead of its default one.
         * @param type the event type
         * @param level the level
         * @return this builder
         */
        public Builder level(TelemetryEventType type, Level level) {
            this.levels.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(level, "level"));
            return this;
        }

        /**
         * Log only the given event types, instead of all of them.
         * @param events the event types
         * @return this builder
         * @throws IllegalArgumentException if {@code events} is empty
         */
        public Builder events(Set<TelemetryEventType> events) {
            Objects.requireNonNull(events, "events");
            if (events.isEmpty()) {
                throw new IllegalArgumentException("the log listener must log at least one event type");
            }
            this.events = EnumSet.copyOf(events);
            return this;
        }

        /**
         * Write to the given logger instead of {@value LogTelemetryListener#DEFAULT_LOGGER_NAME}.
         * @param logger the logger
         * @return this builder
         */
        public Builder logger(Logger logger) {
            this.logger = Objects.requireNonNull(logger, "logger");
            return this;
        }

        /**
         * Return a listener with the options of this builder.
         * @return the listener
         */
        public LogTelemetryListener build() {
            return new LogTelemetryListener(this);
        }
    }
}
