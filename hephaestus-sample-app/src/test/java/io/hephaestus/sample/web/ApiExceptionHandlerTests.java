package io.hephaestus.sample.web;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import jakarta.servlet.RequestDispatcher;

import static io.hephaestus.sample.web.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks with MockMvc that Spring MVC's own errors, and what reaches the error page, are problem
 * details saying what was wrong: {@link ApiExceptionHandler} and {@link ProblemErrorController}.
 */
@SpringBootTest
@AutoConfigureMockMvc
class ApiExceptionHandlerTests {

    @Autowired
    private MockMvcTester mvc;

    @Test
    void unknownPathIsANotFoundProblem() {
        assertProblem(this.mvc.get().uri("/no/such/path").accept(MediaType.APPLICATION_JSON).exchange(), 404,
                "GET /no/such/path");
    }

    @Test
    void unsupportedMethodIsAMethodNotAllowedProblemWithAllow() {
        MvcTestResult result = this.mvc.put().uri("/orders/1").accept(MediaType.APPLICATION_JSON).exchange();

        assertProblem(result, 405, "PUT");
        assertThat(result.getResponse().getHeader("Allow")).contains("GET", "POST", "DELETE");
    }

    @Test
    void unsupportedMediaTypeIsAProblemNamingTheType() {
        assertProblem(this.mvc.post()
            .uri("/orders/1")
            .contentType(MediaType.TEXT_PLAIN)
            .content("items=1")
            .accept(MediaType.APPLICATION_JSON)
            .exchange(), 415, "text/plain");
    }

    @Test
    void malformedJsonIsABadRequestWithTheParserMessage() {
        assertProblem(this.mvc.post()
            .uri("/orders/1")
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"items\": ")
            .exchange(), 400, "the request body is not valid JSON: Unexpected end-of-input");
    }

    @Test
    void unacceptableMediaTypeIsAProblemNamingWhatTheEndpointAnswers() {
        assertThat(this.mvc.post()
            .uri("/orders/406")
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"items\": 1}")
            .exchange()).hasStatus(201);

        assertProblem(this.mvc.get().uri("/orders/406").accept(MediaType.APPLICATION_XML).exchange(), 406,
                "which the Accept header 'application/xml' does not allow");
    }

    @Test
    void errorPageAnswersAClientErrorWithItsMessage() {
        assertProblem(this.mvc.get()
            .uri("/error")
            .requestAttr(RequestDispatcher.ERROR_STATUS_CODE, 405)
            .requestAttr(RequestDispatcher.ERROR_REQUEST_URI, "/orders/1")
            .requestAttr(RequestDispatcher.ERROR_MESSAGE, "TRACE method is not allowed")
            .exchange(), 405, "TRACE method is not allowed");
    }

    @Test
    void errorPageNamesTheRequestWhenTheErrorHasNoMessage() {
        assertProblem(this.mvc.get()
            .uri("/error")
            .requestAttr(RequestDispatcher.ERROR_STATUS_CODE, 404)
            .requestAttr(RequestDispatcher.ERROR_REQUEST_URI, "/gone")
            .exchange(), 404, "there is no resource at GET /gone");
    }

    @Test
    void errorPageAnswersAServerErrorWithoutTheExceptionMessage() {
        MvcTestResult result = this.mvc.get()
            .uri("/error")
            .accept(MediaType.TEXT_HTML)
            .requestAttr(RequestDispatcher.ERROR_STATUS_CODE, 500)
            .requestAttr(RequestDispatcher.ERROR_REQUEST_URI, "/orders/1")
            .requestAttr(RequestDispatcher.ERROR_EXCEPTION, new IllegalStateException("secret"))
            .exchange();

        assertProblem(result, 500, "the server failed to handle GET /orders/1");
        assertThat(result).bodyText().doesNotContain("secret");
    }

    @Test
    void errorPageTurnsAnOversizeBodyInto413() {
        assertProblem(this.mvc.post()
            .uri("/error")
            .requestAttr(RequestDispatcher.ERROR_STATUS_CODE, 500)
            .requestAttr(RequestDispatcher.ERROR_REQUEST_URI, "/orders/1")
            .requestAttr(RequestDispatcher.ERROR_EXCEPTION,
                    new IllegalStateException(new BodyTooLargeException("the request body is too large")))
            .exchange(), 413, "the request body is too large");
    }

    @Test
    void errorPageRequestedDirectlyIsNotFound() {
        assertProblem(this.mvc.get().uri("/error").exchange(), 404, "GET /error");
    }
}
