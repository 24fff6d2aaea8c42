package io.hephaestus.core.telemetry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Builders for the maps returned by {@link TelemetryEvent#measurements()} and
 * {@link TelemetryEvent#metadata()}.
 */
final class EventMaps {

    private EventMaps() {
    }

    /**
     * Return an unmodifiable insertion-ordered map of the given pairs.
     * @param keysAndValues alternating keys and values
     * @return the map
     */
    static Map<String, Object> of(Object... keysAndValues) {
        return Collections.unmodifiableMap(pairs(keysAndValues, 0));
    }

    /**
     * Return the metadata of an instance-scoped event: the caller's entries whose key Hephaestus
     * does not write, then the given pairs, then the scope's fields.
     * @param scope the instance scope
     * @param keysAndValues alternating keys and values of the event's own fields
     * @return the map
     */
    static Map<String, @Nullable Object> metadata(InstanceScope scope, Object... keysAndValues) {
        Map<String, Object> own = pairs(keysAndValues, 3);
        own.put("instance_id", scope.instanceId());
        own.put("workflow", scope.workflow());
        own.put("workflow_version", scope.workflowVersion());
        Map<String, @Nullable Object> caller = scope.callerMetadata();
        // A LinkedHashMap keeps the first position of a key, so overridden caller keys are
        // skipped rather than overwritten to keep Hephaestus fields in their documented place.
        Map<String, @Nullable Object> metadata = new LinkedHashMap<>(capacity(caller.size() + own.size()));
        for (Map.Entry<String, @Nullable Object> entry : caller.entrySet()) {
            if (!own.containsKey(entry.getKey())) {
                metadata.put(entry.getKey(), entry.getValue());
            }
        }
        metadata.putAll(own);
        return Collections.unmodifiableMap(metadata);
    }

    private static Map<String, Object> pairs(Object[] keysAndValues, int extra) {
        Map<String, Object> map = new LinkedHashMap<>(capacity(keysAndValues.length / 2 + extra));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static int capacity(int entries) {
        return (int) Math.ceil(entries / 0.75);
    }
}
