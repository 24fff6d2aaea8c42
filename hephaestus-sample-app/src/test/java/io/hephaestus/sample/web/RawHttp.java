package io.hephaestus.sample.web;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal HTTP/1.1 client on a raw socket, for requests the JDK client refuses to send (a
 * malformed request line, a forbidden character in the URL) and for bodies that must be streamed
 * while the response is read. Every exchange is bounded by a read timeout.
 */
final class RawHttp {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private RawHttp() {
    }

    /**
     * Send a request head (request line and headers, ending with an empty line) and no body, then
     * read the response.
     * @param port the server port on localhost
     * @param head the request head, lines separated by CRLF
     * @return the response
     */
    static Response exchange(int port, String head) {
        return exchange(port, head, (out) -> {
        });
    }

    /**
     * Send a request head, then stream a body from another thread while the response is read on
     * this one; the body stops when the server closes the connection.
     * @param port the server port on localhost
     * @param head the request head
     * @param body writes the body
     * @return the response, with the number of body bytes written when it arrived
     */
    static Response exchange(int port, String head, Body body) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            CountingOutputStream counting = new CountingOutputStream(out);
            Thread writer = new Thread(() -> {
                try {
                    body.writeTo(counting);
                    counting.flush();
                }
                catch (IOException ex) {
                    // The server answered and closed the connection before the body was sent whole.
                }
            }, "raw-http-body");
            writer.setDaemon(true);
            writer.start();
            Response response = read(new BufferedInputStream(socket.getInputStream()), counting.count);
            socket.close();
            writer.join(TIMEOUT.toMillis());
            return response;
        }
        catch (IOException ex) {
            throw new IllegalStateException("exchange with localhost:" + port + " failed", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    private static Response read(InputStream in, AtomicLong bodyBytesSent) throws IOException {
        String statusLine = line(in);
        long sentWhenAnswered = bodyBytesSent.get();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        }
        else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        }
        else {
            body.write(in.readAllBytes());
        }
        return new Response(status, headers, body.toString(StandardCharsets.UTF_8), sentWhenAnswered);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed in the middle of a line: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes a request body.
     */
    @FunctionalInterface
    interface Body {

        /**
         * Write the body.
         * @param out the connection's output
         * @throws IOException when the server has closed the connection
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * One response.
     *
     * @param status the status code
     * @param headers the headers, names in lower case
     * @param body the body, decoded as UTF-8
     * @param bodyBytesSent how many body bytes had been written when the status line arrived
     */
    record Response(int status, Map<String, String> headers, String body, long bodyBytesSent) {

        String header(String name) {
            return this.headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    private static final class CountingOutputStream extends OutputStream {

        private final OutputStream delegate;

        private final AtomicLong count = new AtomicLong();

        CountingOutputStream(OutputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(int b) throws IOException {
            this.delegate.write(b);
            this.count.incrementAndGet();
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            this.delegate.write(bytes, offset, length);
            this.count.addAndGet(length);
        }

        @Override
        public void flush() throws IOException {
            this.delegate.flush();
        }
    }
}
