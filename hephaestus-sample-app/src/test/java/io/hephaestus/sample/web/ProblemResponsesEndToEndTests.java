package io.hephaestus.sample.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the sample on a random port and checks, over raw sockets, that every error a JSON client
 * can meet is a problem detail: the ones Tomcat raises before Spring MVC sees the request, the
 * ones the error page answers, unknown paths, matrix parameters, and bodies over
 * {@code sample.max-body-size} (1MB by default), which are refused before they are read whole.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(ProblemResponsesEndToEndTests.FailingController.class)
class ProblemResponsesEndToEndTests {

    private static final int MB = 1024 * 1024;

    private static final String HEADERS = "Host: localhost\r\nAccept: application/json\r\nConnection: close\r\n";

    private final JsonMapper json = new JsonMapper();

    @LocalServerPort
    private int port;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "/orders/a b", "/orders/a{b}", "/orders/a|b", "/orders/a%2Fb", "/orders/a%ZZ",
            "/orders/a%00b", "/orders/../../etc" })
    void requestTargetTomcatRejectsIsAProblemNotAnHtmlPage(String target) {
        RawHttp.Response response = RawHttp.exchange(this.port, "GET " + target + " HTTP/1.1\r\n" + HEADERS + "\r\n");

        assertProblem(response, 400, "the server rejected the request before it reached the application");
        assertThat(response.body()).doesNotContain("<html");
    }

    @Test
    void malformedHeaderTomcatRejectsIsAProblemNamingTheHeader() {
        RawHttp.Response response = RawHttp.exchange(this.port,
                "GET /orders/1 HTTP/1.1\r\n" + HEADERS + "Not a header\r\n\r\n");

        assertProblem(response, 400, "Not a header");
    }

    @Test
    void traceThatTomcatRefusesIsAProblemFromTheErrorPage() {
        RawHttp.Response response = RawHttp.exchange(this.port, "TRACE /orders/1 HTTP/1.1\r\n" + HEADERS + "\r\n");

        assertProblem(response, 405, "TRACE");
    }

    @Test
    void unknownPathIsANotFoundProblem() {
        RawHttp.Response response = RawHttp.exchange(this.port, "GET /nothing/here HTTP/1.1\r\n" + HEADERS + "\r\n");

        assertProblem(response, 404, "GET /nothing/here");
    }

    @Test
    void unhandledExceptionIsAServerErrorProblemThatKeepsItsMessageInTheLog() {
        RawHttp.Response response = RawHttp.exchange(this.port, "GET /test/fail HTTP/1.1\r\n" + HEADERS + "\r\n");

        assertProblem(response, 500, "the server failed to handle GET /test/fail");
        assertThat(response.body()).doesNotContain(FailingController.SECRET);
    }

    @Test
    void pathWithMatrixParametersIsABadRequestNotAnOrder() {
        RawHttp.Response response = RawHttp.exchange(this.port, "GET /orders/a;b=c HTTP/1.1\r\n" + HEADERS + "\r\n");

        assertProblem(response, 400, "matrix parameters");
    }

    @ParameterizedTest(name = "{0} MB")
    @ValueSource(ints = { 10, 100 })
    void declaredBodyOverTheLimitIsRefusedBeforeItIsSent(int megabytes) {
        // Only the head is sent: the answer comes without the server waiting for the body.
        RawHttp.Response response = RawHttp.exchange(this.port, "POST /orders/big HTTP/1.1\r\n" + HEADERS
                + "Content-Type: application/json\r\nContent-Length: " + ((long) megabytes * MB) + "\r\n\r\n");

        assertProblem(response, 413, "more than the 1MB (sample.max-body-size)");
        assertThat(detail(response)).contains(String.valueOf((long) megabytes * MB));
    }

    @ParameterizedTest(name = "{0} MB")
    @ValueSource(ints = { 10, 100 })
    void chunkedBodyOverTheLimitIsRefusedWhileItIsSent(int megabytes) {
        long total = (long) megabytes * MB;
        RawHttp.Response response = RawHttp.exchange(this.port, "POST /orders/big HTTP/1.1\r\n" + HEADERS
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                (out) -> chunkedJsonObject(out, total));

        assertProblem(response, 413, "larger than the 1MB (sample.max-body-size)");
        assertThat(response.bodyBytesSent()).as("body bytes sent before the answer").isLessThan(total);
    }

    @Test
    void chunkedBodyUnderTheLimitIsRead() {
        RawHttp.Response response = RawHttp.exchange(this.port, "POST /orders/fits HTTP/1.1\r\n" + HEADERS
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                (out) -> chunkedJsonObject(out, MB / 2));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.body()).contains("\"orderId\":\"fits\"");
    }

    /**
     * Write, chunked, a JSON object with an {@code items} count and a padding string of about the
     * given size.
     */
    private static void chunkedJsonObject(OutputStream out, long padding) throws IOException {
        chunk(out, "{\"items\": 1, \"padding\": \"".getBytes(StandardCharsets.US_ASCII));
        byte[] block = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        for (long sent = 0; sent < padding; sent += block.length) {
            chunk(out, block);
        }
        chunk(out, "\"}".getBytes(StandardCharsets.US_ASCII));
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static void chunk(OutputStream out, byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private void assertProblem(RawHttp.Response response, int status, String detail) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        Map<?, ?> problem = this.json.readValue(response.body(), Map.class);
        assertThat(problem.get("status")).isEqualTo(status);
        assertThat(problem.get("title")).isNotNull();
        assertThat((String) problem.get("detail")).contains(detail);
    }

    private String detail(RawHttp.Response response) {
        return (String) this.json.readValue(response.body(), Map.class).get("detail");
    }

    /**
     * A controller that fails the way a bug would, with a message meant for the log only.
     */
    @RestController
    static class FailingController {

        static final String SECRET = "database password is hunter2";

        @GetMapping("/test/fail")
        String fail() {
            throw new IllegalStateException(SECRET);
        }
    }
}
