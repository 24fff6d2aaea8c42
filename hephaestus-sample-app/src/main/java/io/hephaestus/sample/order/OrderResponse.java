package io.hephaestus.sample.order;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.hephaestus.core.definition.BusinessKey;
import io.hephaestus.core.engine.ExecutionEntry;
import io.hephaestus.core.engine.Failure;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.QueuedEvent;

/**
 * How the REST API shows one run of the order workflow.
 *
 * @param id the business id, {@code orderid::<orderId>}
 * @param orderId the order id from the URL
 * @param runId the unique id of this run
 * @param workflow the workflow name
 * @param version the workflow version the run executes
 * @param status the status in lower case: {@code pending}, {@code running}, {@code waiting},
 * {@code completed}, {@code failed} or {@code cancelled}
 * @param activeSteps the steps activated and not yet completed
 * @param waitingSteps the active steps parked on an external event or a timer
 * @param completedSteps the completed steps, in completion order
 * @param context the initial data ({@code initial}) and the results of completed steps
 * ({@code steps}, by step key)
 * @param queuedEvents events that arrived before the step that takes them waited, oldest first;
 * each is delivered as soon as such a step waits
 * @param history one entry per completed step, and per event left unconsumed when the run finished
 * @param failures every failed attempt; the last one is why a failed run failed
 * @param createdAt when the run was created (ISO-8601)
 * @param updatedAt when the run last changed (ISO-8601)
 */
record OrderResponse(String id, String orderId, String runId, String workflow, int version, String status,
        List<String> activeSteps, List<String> waitingSteps, List<String> completedSteps,
        Map<String, Object> context, List<QueuedEventEntry> queuedEvents, List<HistoryEntry> history,
        List<FailureEntry> failures, String createdAt, String updatedAt) {

    static OrderResponse of(Instance instance) {
        return new OrderResponse(instance.id(), BusinessKey.valueOf(instance.id()), instance.runId(),
                instance.workflow(), instance.workflowVersion(), instance.status().value(),
                List.copyOf(instance.activeSteps()), List.copyOf(instance.waitingSteps().keySet()),
                List.copyOf(instance.completedSteps()),
                context(instance), instance.queuedEvents().stream().map(QueuedEventEntry::of).toList(),
                instance.history().stream().map(HistoryEntry::of).toList(),
                instance.failures().stream().map(FailureEntry::of).toList(), instance.createdAt().toString(),
                instance.updatedAt().toString());
    }

    private static Map<String, Object> context(Instance instance) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("initial", instance.context().initial());
        context.put("steps", instance.context().steps());
        return Collections.unmodifiableMap(context);
    }

    /**
     * One completed step; the names are those of the core {@link ExecutionEntry} and of the
     * {@code workflows} actuator endpoint.
     *
     * @param step the step key (for an unconsumed event: the step it named, or empty)
     * @param event the event the step emitted or was resumed with, or the event left unconsumed
     * @param kind what the entry records: {@code completed} (a step completed), {@code unconsumed} (a
     * queued event no step took before the run finished) or {@code ignored} (a result that came after
     * the run was cancelled)
     * @param timestamp when it was applied or set aside (ISO-8601)
     * @param contextUpdates what the step stored in the context (for an unconsumed event: its data)
     */
    record HistoryEntry(String step, String event, String kind, String timestamp, Map<String, Object> contextUpdates) {

        static HistoryEntry of(ExecutionEntry entry) {
            return new HistoryEntry(entry.step(), entry.event(), entry.kind().name().toLowerCase(Locale.ROOT),
                    entry.timestamp().toString(), entry.contextUpdates());
        }
    }

    /**
     * One failed attempt of a step; the names are those of the core {@link Failure} and of the
     * {@code workflows} actuator endpoint.
     *
     * @param step the step key
     * @param attempt the attempt number
     * @param kind how it failed: {@code error}, {@code exception}, {@code timeout} or {@code invalid}
     * @param reason what went wrong
     * @param stackTrace the stack trace of the exception the step threw, bounded by the core, or empty
     * when it threw none
     * @param timestamp when the failure was applied (ISO-8601)
     */
    record FailureEntry(String step, int attempt, String kind, String reason, String stackTrace, String timestamp) {

        static FailureEntry of(Failure failure) {
            return new FailureEntry(failure.step(), failure.attempt(), failure.kind().value(), failure.reason(),
                    failure.stackTrace(), failure.timestamp().toString());
        }
    }

    /**
     * One event kept with the order until a step that takes it waits; the names are those of the
     * core {@link QueuedEvent}.
     *
     * @param event the event
     * @param step the step the sender named, or empty for whichever step takes the event first
     * @param data what the event brings
     * @param receivedAt when it was accepted (ISO-8601)
     */
    record QueuedEventEntry(String event, String step, Map<String, Object> data, String receivedAt) {

        static QueuedEventEntry of(QueuedEvent queued) {
            return new QueuedEventEntry(queued.event(), queued.step(), queued.data(), queued.receivedAt().toString());
        }
    }
}
