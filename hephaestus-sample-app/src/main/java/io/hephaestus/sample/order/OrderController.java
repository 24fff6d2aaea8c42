package io.hephaestus.sample.order;

import java.net.URI;
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

import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.runtime.InstanceNotFoundException;
import io.hephaestus.core.runtime.ResumeRequest;
import io.hephaestus.core.runtime.Runner;
import io.hephaestus.core.runtime.StartRequest;

/**
 * REST API of the order workflow. Errors are answered by {@link OrderExceptionHandler}.
 *
 * <ul>
 * <li>{@code POST /orders/{orderId}} with a JSON object (the initial context): start an order, 201.
 * <li>{@code POST /orders/{orderId}/events/{event}}, optionally with a JSON object the event brings
 * (stored under the resumed step's key): deliver an external event, 202.
 * <li>{@code GET /orders/{orderId}}: the newest run of the order, 200.
 * <li>{@code DELETE /orders/{orderId}}: cancel an active order, 200 with the cancelled run.
 * </ul>
 */
@RestController
@RequestMapping("/orders")
class OrderController {

    private final Runner runner;

    OrderController(Runner runner) {
        this.runner = runner;
    }

    @PostMapping("/{orderId}")
    ResponseEntity<OrderResponse> start(@PathVariable String orderId,
            @RequestBody(required = false) @Nullable Map<String, Object> context) {
        Instance started = this.runner.start(StartRequest.of(OrderWorkflowConfiguration.ORDER, orderId)
            .context((context != null) ? context : Map.of()));
        return ResponseEntity.created(URI.create("/orders/" + orderId)).body(OrderResponse.of(started));
    }

    @PostMapping("/{orderId}/events/{event}")
    ResponseEntity<OrderResponse> resume(@PathVariable String orderId, @PathVariable String event,
            @RequestBody(required = false) @Nullable Map<String, Object> data) {
        Instance resumed = this.runner.resume(ResumeRequest.of(OrderWorkflowConfiguration.ORDER, id(orderId), event)
            .data((data != null) ? data : Map.of())).instance();
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(OrderResponse.of(resumed));
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
        return this.runner.registry().get(OrderWorkflowConfiguration.ORDER).businessKey().idFor(orderId);
    }
}
