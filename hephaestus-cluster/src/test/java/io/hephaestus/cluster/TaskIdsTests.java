package io.hephaestus.cluster;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.hephaestus.cluster.TaskIds.CheckTask;
import io.hephaestus.cluster.TaskIds.StepTask;
import io.hephaestus.cluster.TaskIds.TimerTask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The instance ids of the cluster runner's db-scheduler tasks.
 */
class TaskIdsTests {

    private static final String RUN = "0f8c2b1e-4d5a-4c3b-9a8e-7f6d5c4b3a21";

    @Test
    void stepTaskIdIsRunStepAndAttempt() {
        StepTask task = new StepTask(RUN, "charge_payment", 3);

        assertThat(task.id()).isEqualTo(RUN + "/charge_payment/3");
        assertThat(StepTask.parse(task.id())).isEqualTo(task);
    }

    @Test
    void timerTaskIdIsRunStepAndDueTimeInMilliseconds() {
        TimerTask task = TimerTask.of(RUN, "pause", Instant.ofEpochMilli(1_700_000_000_123L).plusNanos(456));

        assertThat(task.id()).isEqualTo(RUN + "/pause/1700000000123");
        assertThat(TimerTask.parse(task.id())).isEqualTo(task);
    }

    @Test
    void checkTaskIdIsRunAndTag() {
        CheckTask task = new CheckTask(RUN, "resume-00ff");

        assertThat(CheckTask.parse(task.id())).isEqualTo(task);
    }

    @Test
    void malformedIdsAreRejectedNamingTheTaskAndTheExpectedForm() {
        for (String id : List.of("", RUN, RUN + "/step", RUN + "/step/x", "/step/1", RUN + "//1", RUN + "/a/b/1")) {
            assertThatIllegalArgumentException().isThrownBy(() -> StepTask.parse(id))
                .withMessage("invalid instance id '" + id + "' of db-scheduler task hephaestus-step; expected"
                        + " <run id>/<step key>/<number>");
        }
        assertThatIllegalArgumentException().isThrownBy(() -> TimerTask.parse(RUN + "/pause/soon"))
            .withMessageContaining("hephaestus-timer");
        for (String id : List.of("", RUN, RUN + "/", "/start")) {
            assertThatIllegalArgumentException().isThrownBy(() -> CheckTask.parse(id))
                .withMessage("invalid instance id '" + id + "' of db-scheduler task hephaestus-check; expected"
                        + " <run id>/<tag>");
        }
    }
}
