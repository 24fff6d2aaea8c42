package io.hephaestus.sample.web;

import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers every error Spring MVC raises itself, on any path (an unknown path, a method or media
 * type the endpoint does not take, a body that is not JSON), with a problem detail whose
 * {@code detail} says what was wrong. Controllers' own exceptions are mapped by their own advice,
 * which comes first.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Optional<BodyTooLargeException> tooLarge = BodyTooLargeException.in(ex);
        if (tooLarge.isPresent()) {
            HttpHeaders close = new HttpHeaders();
            close.set(HttpHeaders.CONNECTION, "close");
            return handleExceptionInternal(ex,
                    ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE, tooLarge.get().getMessage()), close,
                    HttpStatus.PAYLOAD_TOO_LARGE, request);
        }
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "the request body is not valid JSON: " + firstLine(NestedExceptionUtils.getMostSpecificCause(ex)));
        return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(HttpMediaTypeNotAcceptableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String accept = Optional.ofNullable(request.getHeader(HttpHeaders.ACCEPT)).orElse("");
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, "this endpoint answers "
                + MediaType.toString(ex.getSupportedMediaTypes()) + ", which the Accept header '" + accept
                + "' does not allow");
        return handleExceptionInternal(ex, body, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        Object problem = body;
        if (problem == null) {
            problem = ProblemDetail.forStatusAndDetail(statusCode, firstLine(ex));
        }
        else if (problem instanceof ProblemDetail detail && (detail.getDetail() == null || detail.getDetail().isBlank())) {
            detail.setDetail(firstLine(ex));
        }
        return super.handleExceptionInternal(ex, problem, headers, statusCode, request);
    }

    /**
     * Return the first line of an exception's message: parser messages go on with the input's
     * location and excerpts that a detail does not need.
     */
    private static String firstLine(Throwable ex) {
        String message = ex.getMessage();
        if (message == null || message.isBlank()) {
            return ex.getClass().getSimpleName();
        }
        int end = message.indexOf('\n');
        return (end < 0) ? message.strip() : message.substring(0, end).strip();
    }
}
