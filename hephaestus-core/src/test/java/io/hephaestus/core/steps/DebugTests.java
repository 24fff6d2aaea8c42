package io.hephaestus.core.steps;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import io.hephaestus.core.engine.Context;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import static org.assertj.core.api.Assertions.assertThat;

class DebugTests {

    private final Logger logger = (Logger) LoggerFactory.getLogger(Debug.class);

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private Level level;

    @BeforeEach
    void captureLogs() {
        this.level = this.logger.getLevel();
        this.logger.setLevel(Level.DEBUG);
        this.appender.start();
        this.logger.addAppender(this.appender);
    }

    @AfterEach
    void releaseLogs() {
        this.logger.detachAppender(this.appender);
        this.logger.setLevel(this.level);
    }

    @Test
    void debugCompletesWithCompleted() {
        StepResult result = Debug.create().execute(input());

        assertThat(result).isEqualTo(new StepResult.Completed("completed", Map.of(), Map.of()));
    }

    @Test
    void debugLogsTheContextAtDebugLevel() {
        Debug.create().execute(input());

        assertThat(this.appender.list).singleElement().satisfies((event) -> {
            assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(event.getFormattedMessage())
                .isEqualTo("Debug step instance=orderid::1 initial={amount=10} steps={validate={ok=true}}");
        });
    }

    @Test
    void debugHasKeyDebugUnlessGivenOne() {
        assertThat(Debug.create().key()).isEqualTo("debug");
        assertThat(Debug.of("trace_order").key()).isEqualTo("trace_order");
        assertThat(Debug.create().name()).isEqualTo("Debug");
        assertThat(Debug.create().events()).containsExactly(Debug.COMPLETED);
    }

    private static StepInput input() {
        Context context = Context.of(Map.of("amount", 10)).withStep("validate", Map.of("ok", true));
        return new StepInput("run-1", "orderid::1", "order", 1, context, Map.of(), "step", 1);
    }
}
