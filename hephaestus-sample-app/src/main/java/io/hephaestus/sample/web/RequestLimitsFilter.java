package io.hephaestus.sample.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Servlet filter that rejects, before anything reads them, requests the sample never accepts:
 * <ul>
 * <li>a path with matrix parameters ({@code /orders/a;b=c}): 400, where Spring MVC would silently
 * drop everything after the {@code ;} and address order {@code a};
 * <li>a body larger than {@code sample.max-body-size}: 413. A declared {@code Content-Length} over
 * the limit is answered at once, unread; a chunked body is counted as it is read and fails the
 * read as soon as it passes the limit, so no body is ever buffered whole.
 * </ul>
 * Both answers are problem details.
 */
final class RequestLimitsFilter extends OncePerRequestFilter {

    /** The property that sets the limit, named in the 413 detail. */
    static final String PROPERTY = "sample.max-body-size";

    private final DataSize maxBodySize;

    RequestLimitsFilter(DataSize maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String uri = request.getRequestURI();
        if (uri.indexOf(';') >= 0) {
            Problems.write(response, HttpStatus.BAD_REQUEST, "the path " + uri
                    + " has matrix parameters (';'), which this API does not accept; percent-encode a ';' that is part of a value",
                    uri);
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > this.maxBodySize.toBytes()) {
            Problems.write(response, HttpStatus.PAYLOAD_TOO_LARGE,
                    "the request body has " + declared + " bytes, more than the " + limit() + " this server accepts", uri);
            return;
        }
        if (declared >= 0) {
            // Tomcat never reads past a declared length, so the body cannot grow past the limit.
            chain.doFilter(request, response);
            return;
        }
        LimitedRequest limited = new LimitedRequest(request, this.maxBodySize.toBytes(), limit());
        try {
            chain.doFilter(limited, response);
        }
        catch (IOException | ServletException | RuntimeException ex) {
            if (!limited.exceeded() || response.isCommitted()) {
                throw ex;
            }
            response.reset();
            Problems.write(response, HttpStatus.PAYLOAD_TOO_LARGE, limited.message(), uri);
        }
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return true;
    }

    private String limit() {
        return Problems.display(this.maxBodySize) + " (" + PROPERTY + ")";
    }

    /**
     * A request whose body stream counts the bytes read and fails once they pass the limit.
     */
    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long max;

        private final String message;

        private @Nullable LimitedInputStream stream;

        LimitedRequest(HttpServletRequest request, long max, String limit) {
            super(request);
            this.max = max;
            this.message = "the request body is larger than the " + limit + " this server accepts";
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (this.stream == null) {
                this.stream = new LimitedInputStream(super.getInputStream(), this.max, this.message);
            }
            return this.stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.UTF_8;
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        boolean exceeded() {
            return this.stream != null && this.stream.exceeded;
        }

        String message() {
            return this.message;
        }
    }

    /**
     * A body stream that counts the bytes it hands out.
     */
    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream delegate;

        private final long max;

        private final String message;

        private long count;

        private boolean exceeded;

        LimitedInputStream(ServletInputStream delegate, long max, String message) {
            this.delegate = delegate;
            this.max = max;
            this.message = message;
        }

        @Override
        public int read() throws IOException {
            int b = this.delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = this.delegate.read(buffer, offset, length);
            if (read > 0) {
                count(read);
            }
            return read;
        }

        private void count(int read) throws BodyTooLargeException {
            this.count += read;
            if (this.count > this.max) {
                this.exceeded = true;
                throw new BodyTooLargeException(this.message);
            }
        }

        @Override
        public boolean isFinished() {
            return this.delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return this.delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            this.delegate.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            this.delegate.close();
        }
    }
}
