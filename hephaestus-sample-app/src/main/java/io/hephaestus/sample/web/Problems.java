package io.hephaestus.sample.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes RFC 9457 problem details where Spring MVC does not: in a servlet filter and in Tomcat's
 * error report valve. The JSON has the members Spring MVC's {@link org.springframework.http.ProblemDetail}
 * has, so a client sees one format whichever layer answered.
 */
final class Problems {

    /** The problem details media type, {@code application/problem+json}. */
    static final String CONTENT_TYPE = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    /**
     * Return a problem as JSON.
     * @param status the HTTP status
     * @param detail what was wrong
     * @param instance the request path, or {@code null} if there is none
     * @return the JSON text
     */
    static String json(int status, String detail, @Nullable String instance) {
        // In the order Spring MVC writes a ProblemDetail in (Jackson 3 sorts properties by name).
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("detail", detail);
        if (instance != null && !instance.isEmpty()) {
            problem.put("instance", instance);
        }
        problem.put("status", status);
        problem.put("title", title(status));
        return JSON.writeValueAsString(problem);
    }

    /**
     * Answer a request with a problem. The response must not be committed.
     * @param response the response
     * @param status the HTTP status
     * @param detail what was wrong
     * @param instance the request path
     * @throws IOException if the body cannot be written
     */
    static void write(HttpServletResponse response, HttpStatus status, String detail, String instance)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(CONTENT_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(json(status.value(), detail, instance));
        response.flushBuffer();
    }

    /**
     * Return a size as people write it: {@code 1MB}, {@code 512KB}, {@code 1000B}.
     * @param size the size
     * @return the size in the largest unit that divides it
     */
    static String display(DataSize size) {
        long bytes = size.toBytes();
        List<String> units = List.of("TB", "GB", "MB", "KB");
        for (int i = 0; i < units.size(); i++) {
            long unitBytes = 1L << (10 * (units.size() - i));
            if (bytes > 0 && bytes % unitBytes == 0) {
                return (bytes / unitBytes) + units.get(i);
            }
        }
        return bytes + "B";
    }

    /**
     * Return the title of a status: its reason phrase.
     * @param status the HTTP status
     * @return the reason phrase, or {@code Error} for a status Spring does not know
     */
    static String title(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return (known != null) ? known.getReasonPhrase() : "Error";
    }
}
