package io.hephaestus.sample.order;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.hephaestus.core.InvalidValueException;
import io.hephaestus.core.engine.InstanceStateException;
import io.hephaestus.core.runtime.DuplicateInstanceException;
import io.hephaestus.core.runtime.InstanceNotFoundException;

/**
 * Maps Hephaestus exceptions to HTTP statuses, answering with a {@link ProblemDetail} whose
 * {@code detail} is the exception message (Hephaestus messages name the offending value):
 * <ul>
 * <li>{@link InvalidValueException} (a bad order id or context value): 400
 * <li>{@link InstanceNotFoundException}: 404
 * <li>{@link DuplicateInstanceException} (an active order holds the id): 409
 * <li>{@link InstanceStateException}, including
 * {@link io.hephaestus.core.engine.IllegalResumeException} (not waiting, event not accepted,
 * already finished): 409
 * </ul>
 * A request body that is not a JSON object is a 400 as well.
 */
@RestControllerAdvice(assignableTypes = OrderController.class)
class OrderExceptionHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler(InvalidValueException.class)
    ProblemDetail invalidValue(InvalidValueException ex) {
        return problem(HttpStatus.BAD_REQUEST, ex);
    }

    @ExceptionHandler(InstanceNotFoundException.class)
    ProblemDetail notFound(InstanceNotFoundException ex) {
        return problem(HttpStatus.NOT_FOUND, ex);
    }

    @ExceptionHandler({ DuplicateInstanceException.class, InstanceStateException.class })
    ProblemDetail conflict(RuntimeException ex) {
        return problem(HttpStatus.CONFLICT, ex);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "the request body must be a JSON object (the order's initial context)");
        return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
    }

    private static ProblemDetail problem(HttpStatus status, RuntimeException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, String.valueOf(ex.getMessage()));
        problem.setTitle(status.getReasonPhrase());
        return problem;
    }
}
