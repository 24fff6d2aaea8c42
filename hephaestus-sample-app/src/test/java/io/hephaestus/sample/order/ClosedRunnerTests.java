package io.hephaestus.sample.order;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import io.hephaestus.core.runtime.Runner;

import static io.hephaestus.sample.web.ProblemAssert.assertProblem;

/**
 * Checks that the order API answers 503 with a problem detail once the runner is closed, as it is
 * while the application shuts down. The context is discarded afterwards.
 */
@SpringBootTest
@AutoConfigureMockMvc
@DirtiesContext
class ClosedRunnerTests {

    @Autowired
    private MockMvcTester mvc;

    @Autowired
    private Runner runner;

    @BeforeEach
    void closeRunner() {
        this.runner.close();
    }

    @Test
    void startOnAClosedRunnerIsServiceUnavailable() {
        assertProblem(this.mvc.post()
            .uri("/orders/1")
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"items\": 1}")
            .exchange(), 503, "closed");
    }

    @Test
    void resumeOnAClosedRunnerIsServiceUnavailable() {
        assertProblem(this.mvc.post().uri("/orders/1/events/payment_confirmed").exchange(), 503, "closed");
    }

    @Test
    void cancelOnAClosedRunnerIsServiceUnavailable() {
        assertProblem(this.mvc.delete().uri("/orders/1").exchange(), 503, "closed");
    }
}
