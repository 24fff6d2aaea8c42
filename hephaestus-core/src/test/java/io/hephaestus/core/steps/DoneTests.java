package io.hephaestus.core.steps;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hephaestus.core.engine.Context;

import static org.assertj.core.api.Assertions.assertThat;

class DoneTests {

    @Test
    void doneIsASingletonWithKeyAndEventDone() {
        Done done = Done.step();

        assertThat(Done.step()).isSameAs(done);
        assertThat(done.key()).isEqualTo(Done.KEY).isEqualTo("done");
        assertThat(done.name()).isEqualTo("Done");
        assertThat(done.events()).containsExactly(Done.EVENT);
        assertThat(Done.EVENT).isEqualTo("done");
    }

    @Test
    void doneCompletesWithDoneAndNoUpdatesWhateverItsConfig() {
        StepInput input = new StepInput("run-1", "orderid::1", "order", 1, Context.of(Map.of("a", 1)),
                Map.of("ignored", true), "done", 1);

        StepResult result = Done.step().execute(input);

        assertThat(result).isEqualTo(new StepResult.Completed("done", Map.of(), Map.of()));
    }

    @Test
    void doneIsNotRetried() {
        assertThat(Done.step().retryPolicy()).isEqualTo(RetryPolicy.none());
        assertThat(Done.step().timeout()).isEmpty();
    }
}
