package io.hephaestus.sample.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

import jakarta.servlet.FilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link RequestLimitsFilter} with a small configured limit.
 */
class RequestLimitsFilterTests {

    private final RequestLimitsFilter filter = new RequestLimitsFilter(DataSize.ofBytes(10));

    @Test
    void declaredLengthOverTheLimitIsAnsweredWithoutCallingTheChain() throws Exception {
        MockHttpServletRequest request = post("/orders/1", "{\"items\": 12}");
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean called = new AtomicBoolean();

        this.filter.doFilter(request, response, (req, res) -> called.set(true));

        assertThat(called).isFalse();
        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("the request body has 13 bytes, more than the 10B")
            .contains("sample.max-body-size");
    }

    @Test
    void declaredLengthAtTheLimitPasses() throws Exception {
        MockHttpServletRequest request = post("/orders/1", "{\"a\": 123}");
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean called = new AtomicBoolean();

        this.filter.doFilter(request, response, (req, res) -> called.set(req.getInputStream().readAllBytes().length == 10));

        assertThat(called).isTrue();
        assertThat(response.getStatus()).isEqualTo(200);
    }

    @Test
    void bodyOfUnknownLengthFailsTheReadOncePastTheLimitAndIsAnswered413() throws Exception {
        MockHttpServletRequest request = chunked("/orders/1", "{\"items\": 12}");
        MockHttpServletResponse response = new MockHttpServletResponse();
        FilterChain reader = (req, res) -> req.getInputStream().readAllBytes();

        this.filter.doFilter(request, response, reader);

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentAsString()).contains("larger than the 10B (sample.max-body-size)");
    }

    @Test
    void readerOfABodyOfUnknownLengthSeesABodyTooLargeExceptionOncePastTheLimit() throws Exception {
        MockHttpServletRequest request = chunked("/orders/1", "{\"items\": 12}");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        char[] buffer = new char[100];
        FilterChain reader = (req, res) -> {
            try {
                req.getReader().read(buffer);
            }
            catch (IOException ex) {
                failure.set(ex);
            }
        };

        this.filter.doFilter(request, new MockHttpServletResponse(), reader);

        assertThat(failure.get()).isInstanceOf(BodyTooLargeException.class).hasMessageContaining("10B");
    }

    @Test
    void bodyOfUnknownLengthUnderTheLimitIsReadWhole() throws Exception {
        MockHttpServletRequest request = chunked("/orders/1", "{\"a\": 1}");
        AtomicReference<String> read = new AtomicReference<>();
        MockHttpServletResponse response = new MockHttpServletResponse();

        this.filter.doFilter(request, response,
                (req, res) -> read.set(new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8)));

        assertThat(read.get()).isEqualTo("{\"a\": 1}");
        assertThat(response.getStatus()).isEqualTo(200);
    }

    @Test
    void pathWithMatrixParametersIsABadRequest() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders/a;b=c");
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean called = new AtomicBoolean();

        this.filter.doFilter(request, response, (req, res) -> called.set(true));

        assertThat(called).isFalse();
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentAsString()).contains("/orders/a;b=c").contains("matrix parameters");
    }

    /**
     * Return a request whose length is unknown, as a chunked one's is.
     */
    private static MockHttpServletRequest chunked(String uri, String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", uri) {

            @Override
            public long getContentLengthLong() {
                return -1;
            }

            @Override
            public int getContentLength() {
                return -1;
            }
        };
        request.setContentType("application/json");
        request.addHeader("Transfer-Encoding", "chunked");
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        return request;
    }

    private static MockHttpServletRequest post(String uri, String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", uri);
        request.setContentType("application/json");
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        return request;
    }
}
