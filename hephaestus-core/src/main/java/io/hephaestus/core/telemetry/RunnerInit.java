package io.hephaestus.core.telemetry;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * {@link TelemetryEvent} emitted once when a runner finishes initialising.
 *
 * <p>It is the only event without an instance scope: its metadata has no {@code instance_id},
 * {@code workflow}, {@code workflow_version} or caller metadata.
 *
 * <p>Measurements: {@code system_time}. Metadata: {@code name}, {@code runner}, {@code storage},
 * {@code pid}.
 *
 * @param systemTime the wall-clock time of the initialisation, in nanoseconds since the Unix
 * epoch
 * @param runnerName the name the runner was given, written as the {@code name} metadata field
 * (the component is not called {@code name} so that it does not replace
 * {@link TelemetryEvent#name()})
 * @param runner the name of the runner type
 * @param storage the name of the storage type the runner uses
 * @param pid the identifier of the operating-system process
 * @since 0.1.0
 */
public record RunnerInit(long systemTime, String runnerName, String runner, String storage, long pid)
        implements TelemetryEvent {

    /**
     * Create the event.
     * @param systemTime the wall-clock time of the initialisation, in nanoseconds since the Unix
     * epoch
     * @param runnerName the name the runner was given, written as the {@code name} metadata field
     * (the component is not called {@code name} so that it does not replace
     * {@link TelemetryEvent#name()})
     * @param runner the name of the runner type
     * @param storage the name of the storage type the runner uses
     * @param pid the identifier of the operating-system process
     * @throws NullPointerException if a component is {@code null}
     */
    public RunnerInit {
        Objects.requireNonNull(runnerName, "runnerName");
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(storage, "storage");
    }

    @Override
    public TelemetryEventType type() {
        return TelemetryEventType.RUNNER_INIT;
    }

    @Override
    public Map<String, Object> measurements() {
        return EventMaps.of("system_time", this.systemTime);
    }

    @Override
    public Map<String, @Nullable Object> metadata() {
        return EventMaps.of("name", this.runnerName, "runner", this.runner, "storage", this.storage, "pid", this.pid);
    }
}
