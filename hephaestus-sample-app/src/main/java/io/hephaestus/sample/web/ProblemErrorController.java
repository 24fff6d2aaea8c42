package io.hephaestus.sample.web;

import java.net.URI;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.ServletWebRequest;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Replaces Boot's {@code BasicErrorController}: what reaches the servlet container's error page (a
 * status sent with {@code sendError}, an exception no handler took, Tomcat's own rejections of a
 * request it mapped) is answered with a problem detail, whatever the client accepts, instead of
 * Boot's {@code {timestamp,status,error,path}} JSON or its HTML page.
 *
 * <p>A 4xx detail is the error message when there is one, else it names the request; a 5xx
 * detail never repeats an exception's message, which is for the server log.
 */
@RestController
@RequestMapping("${server.error.path:${error.path:/error}}")
class ProblemErrorController implements ErrorController {

    private final ErrorAttributes errorAttributes;

    ProblemErrorController(ErrorAttributes errorAttributes) {
        this.errorAttributes = errorAttributes;
    }

    @RequestMapping
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Throwable error = this.errorAttributes.getError(new ServletWebRequest(request));
        String path = Optional.ofNullable((String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI))
            .orElse(request.getRequestURI());
        Optional<BodyTooLargeException> tooLarge = BodyTooLargeException.in(error);
        int status = tooLarge.isPresent() ? HttpStatus.PAYLOAD_TOO_LARGE.value() : status(request);
        String detail = tooLarge.isPresent() ? tooLarge.get().getMessage()
                : detail(status, request.getMethod(), path, (String) request.getAttribute(RequestDispatcher.ERROR_MESSAGE));
        ProblemDetail problem = ProblemDetail.forStatus(status);
        problem.setTitle(Problems.title(status));
        problem.setDetail(detail);
        instance(path).ifPresent(problem::setInstance);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static int status(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // No status: /error was requested directly, which is no resource of this API.
        return (status instanceof Integer code && code >= 400) ? code : HttpStatus.NOT_FOUND.value();
    }

    private static String detail(int status, String method, String path, @Nullable String message) {
        String request = method + " " + path;
        if (status >= 500) {
            return "the server failed to handle " + request + " (" + Problems.title(status)
                    + "); the server log has the details";
        }
        if (message != null && !message.isBlank()) {
            return message;
        }
        return switch (status) {
            case 400 -> "the request " + request + " is malformed";
            case 404 -> "there is no resource at " + request;
            case 405 -> "the method " + method + " is not allowed on " + path;
            case 413 -> "the request body of " + request + " is too large";
            default -> Problems.title(status) + ": " + request;
        };
    }

    private static Optional<URI> instance(String path) {
        try {
            return Optional.of(URI.create(path));
        }
        catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }
}
