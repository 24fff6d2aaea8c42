package io.hephaestus.sample.order;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.hephaestus.core.InvalidValueException;
import io.hephaestus.core.ValueTooLargeException;
import io.hephaestus.core.engine.InstanceStateException;
import io.hephaestus.core.runtime.DuplicateInstanceException;
import io.hephaestus.core.runtime.InstanceNotFoundException;
import io.hephaestus.core.runtime.Runner;

/**
 * Maps the exceptions of {@link OrderController} to HTTP statuses, answering with a
 * {@link ProblemDetail} whose {@code detail} is the exception message (Hephaestus messages name the
 * offending value):
 * <ul>
 * <li>{@link InvalidValueException} (a bad order id or context value) and
 * {@link InvalidOrderRequestException} (a body that is not a JSON object, an unknown step in
 * {@code fail}): 400
 * <li>{@link ValueTooLargeException} (a context or event data larger, as JSON, than the runner
 * accepts): 413
 * <li>{@link InstanceNotFoundException}: 404
 * <li>{@link DuplicateInstanceException} (an active order holds the id): 409
 * <li>{@link InstanceStateException}, including
 * {@link io.hephaestus.core.engine.IllegalResumeException} (no step that waits or is still to run
 * accepts the event, a timer's own event such as {@code timeout}, the order has finished): 409
 * <li>{@link IllegalStateException} from a runner that is closed (the application is shutting
 * down): 503
 * </ul>
 * Errors Spring MVC raises itself are answered by the sample's global handler, which comes after
 * this one.
 */
@RestControllerAdvice(assignableTypes = OrderController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class OrderExceptionHandler {

    private static final Logger logger = LoggerFactory.getLogger(OrderExceptionHandler.class);

    private final Runner runner;

    OrderExceptionHandler(Runner runner) {
        this.runner = runner;
    }

    @ExceptionHandler({ InvalidValueException.class, InvalidOrderRequestException.class })
    ProblemDetail badRequest(RuntimeException ex) {
        return problem(HttpStatus.BAD_REQUEST, ex.getMessage());
    }

    @ExceptionHandler(ValueTooLargeException.class)
    ProblemDetail tooLarge(ValueTooLargeException ex) {
        return problem(HttpStatus.PAYLOAD_TOO_LARGE, ex.getMessage());
    }

    @ExceptionHandler(InstanceNotFoundException.class)
    ProblemDetail notFound(InstanceNotFoundException ex) {
        return problem(HttpStatus.NOT_FOUND, ex.getMessage());
    }

    @ExceptionHandler({ DuplicateInstanceException.class, InstanceStateException.class })
    ProblemDetail conflict(RuntimeException ex) {
        return problem(HttpStatus.CONFLICT, ex.getMessage());
    }

    @ExceptionHandler(IllegalStateException.class)
    ProblemDetail illegalState(IllegalStateException ex) {
        if (!this.runner.isAccepting()) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
        }
        logger.error("Order request failed", ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR,
                "the server failed to handle the request; the server log has the details");
    }

    private static ProblemDetail problem(HttpStatus status, String message) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
        problem.setTitle(status.getReasonPhrase());
        return problem;
    }
}
