package io.hephaestus.sample.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;

/**
 * Tomcat {@link ErrorReportValve} that answers with a problem detail instead of Tomcat's HTML error
 * page. It reports what Tomcat rejects before the request reaches the application (a malformed
 * request line, characters or escapes it refuses in the URL, an encoded {@code /} in the path), and
 * anything the application's error page did not answer.
 *
 * <p>Public, with a no-argument constructor, because Tomcat instantiates the host's error report
 * valve by class name.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    /**
     * Create the valve.
     */
    public ProblemErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, @Nullable Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean();
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String json = Problems.json(status, detail(status, response.getMessage(), throwable), path(request));
        try {
            response.setContentType(Problems.CONTENT_TYPE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(json);
                response.finishResponse();
            }
        }
        catch (IOException | IllegalStateException ex) {
            // The client went away or the response was committed meanwhile: nothing left to tell it.
        }
    }

    private static String detail(int status, @Nullable String message, @Nullable Throwable throwable) {
        String reason = firstLine(message);
        if (reason.isEmpty() && throwable != null && status < 500) {
            reason = firstLine(throwable.getMessage());
        }
        if (status >= 500) {
            return "the server failed to handle the request (" + Problems.title(status)
                    + "); the server log has the details";
        }
        String rejected = "the server rejected the request before it reached the application";
        if (!reason.isEmpty()) {
            return rejected + ": " + reason;
        }
        if (status == 400) {
            return rejected + ": its request line, a header or its URL is malformed (for example a space, '{', '|',"
                    + " an invalid %-escape or an encoded '/' in the path)";
        }
        return rejected + " (" + Problems.title(status) + ")";
    }

    private static String firstLine(@Nullable String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return ((end < 0) ? text : text.substring(0, end)).strip();
    }

    private static @Nullable String path(Request request) {
        try {
            return request.getRequestURI();
        }
        catch (RuntimeException ex) {
            // A request line Tomcat could not parse may leave no URI to show.
            return null;
        }
    }
}
