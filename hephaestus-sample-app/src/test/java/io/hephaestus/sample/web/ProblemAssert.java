package io.hephaestus.sample.web;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asserts that a MockMvc result is a problem detail with a given status and detail.
 */
public final class ProblemAssert {

    private ProblemAssert() {
    }

    /**
     * Assert that a result is an {@code application/problem+json} problem detail.
     * @param result the result
     * @param status the expected status
     * @param detail text the {@code detail} must contain
     */
    public static void assertProblem(MvcTestResult result, int status, String detail) {
        assertThat(result).hasStatus(status).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(status);
        assertThat(result).bodyJson().extractingPath("$.title").asString().isNotBlank();
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains(detail);
    }
}
