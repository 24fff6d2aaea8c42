package io.hephaestus.sample.order;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.runtime.InstanceNotFoundException;
import io.hephaestus.core.runtime.ResumeRequest;
import io.hephaestus.core.runtime.ResumeResult;
import io.hephaestus.core.runtime.Runner;
import io.hephaestus.core.runtime.StartRequest;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * REST API of the order workflow. Errors are answered by {@link OrderExceptionHandler}.
 *
 * <ul>
 * <li>{@code POST /orders/{orderId}} with a JSON object (the initial context): start an order, 201.
 * <li>{@code POST /orders/{orderId}/events/{event}}, optionally with a JSON object the event brings
 * (stored under the resumed step's key): deliver an external event to the step waiting for it, 200;
 * or, when the step that takes it has not started waiting yet (a webhook that comes early), keep it
 * with the order until that step waits, 202 with {@code "queued": true}.
 * <li>{@code GET /orders/{orderId}}: the newest run of the order, 200.
 * <li>{@code DELETE /orders/{orderId}}: cancel an active order, 200 with the cancelled run.
 * </ul>
 *
 * Bodies are read as JSON trees so that a missing body, a JSON {@code null} and an array can each
 * be told apart and refused with their own message.
 */
@RestController
@RequestMapping("/orders")
class OrderController {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final Runner runner;

    private final JsonMapper json;

    OrderController(Runner runner, JsonMapper json) {
        this.runner = runner;
        this.json = json;
    }

    @PostMapping("/{orderId}")
    ResponseEntity<OrderResponse> start(@PathVariable String orderId, @RequestBody(required = false) @Nullable JsonNode body) {
        if (body == null) {
            throw new InvalidOrderRequestException(
                    "the request body is missing: send a JSON object, the order's initial context, such as {\"items\": 2}");
        }
        Map<String, Object> context = object(body, "the request body (the order's initial context)");
        requireKnownFailStep(context);
        Instance started = this.runner.start(StartRequest.of(OrderWorkflowConfiguration.ORDER, orderId).context(context));
        return ResponseEntity.created(URI.create("/orders/" + orderId)).body(OrderResponse.of(started));
    }

    @PostMapping("/{orderId}/events/{event}")
    ResponseEntity<ResumeResponse> resume(@PathVariable String orderId, @PathVariable String event,
            @RequestBody(required = false) @Nullable JsonNode body) {
        Map<String, Object> data = (body != null) ? object(body, "the request body (the event's data)") : Map.of();
        ResumeResult result = this.runner
            .resume(ResumeRequest.of(OrderWorkflowConfiguration.ORDER, id(orderId), event).data(data));
        return ResponseEntity.status(result.isQueued() ? HttpStatus.ACCEPTED : HttpStatus.OK)
            .body(ResumeResponse.of(result));
    }

    @GetMapping("/{orderId}")
    OrderResponse get(@PathVariable String orderId) {
        String id = id(orderId);
        return this.runner.get(OrderWorkflowConfiguration.ORDER, id)
            .map(OrderResponse::of)
            .orElseThrow(() -> new InstanceNotFoundException(
                    "no instance of workflow '" + OrderWorkflowConfiguration.ORDER + "' has id " + id));
    }

    @DeleteMapping("/{orderId}")
    OrderResponse cancel(@PathVariable String orderId) {
        return OrderResponse.of(this.runner.cancel(OrderWorkflowConfiguration.ORDER, id(orderId)));
    }

    private String id(String orderId) {
        return workflow().businessKey().idFor(orderId);
    }

    private Workflow workflow() {
        return this.runner.registry().get(OrderWorkflowConfiguration.ORDER);
    }

    private Map<String, Object> object(JsonNode body, String what) {
        if (!body.isObject()) {
            throw new InvalidOrderRequestException(what + " must be a JSON object, got " + kind(body));
        }
        return this.json.convertValue(body, OBJECT);
    }

    private static String kind(JsonNode body) {
        return switch (body.getNodeType()) {
            case NULL -> "null";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> body.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Refuse a {@code fail} entry that names no step that can fail: such an order would run as if
     * the entry were absent, which is not what its sender asked for.
     */
    private void requireKnownFailStep(Map<String, Object> context) {
        if (!context.containsKey(OrderStep.FAIL)) {
            return;
        }
        Object step = context.get(OrderStep.FAIL);
        List<String> failable = OrderStep.keys(workflow());
        if (!(step instanceof String key) || !failable.contains(key)) {
            String got = (step instanceof String) ? "'" + step + "'" : String.valueOf(step);
            throw new InvalidOrderRequestException("'" + OrderStep.FAIL
                    + "' must name a step of the order workflow that can fail, one of " + failable + "; got " + got);
        }
    }
}
