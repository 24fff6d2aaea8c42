package io.hephaestus.cluster;

import java.time.Instant;

/**
 * The ids of the cluster runner's db-scheduler task instances. Run ids and step keys contain no
 * {@code /} (run ids are UUIDs or similar, step keys are {@code [a-z0-9_]+}), so the parts are
 * separated by it.
 */
final class TaskIds {

    private TaskIds() {
    }

    /**
     * One attempt of one step of one run: {@code <run id>/<step key>/<attempt>}.
     */
    record StepTask(String runId, String step, int attempt) {

        String id() {
            return this.runId + '/' + this.step + '/' + this.attempt;
        }

        static StepTask parse(String id) {
            String[] parts = split(id, ClusterTasks.STEP_TASK);
            try {
                return new StepTask(parts[0], parts[1], Integer.parseInt(parts[2]));
            }
            catch (NumberFormatException ex) {
                throw invalid(id, ClusterTasks.STEP_TASK);
            }
        }
    }

    /**
     * The timer of one waiting step of one run: {@code <run id>/<step key>/<due time in epoch milliseconds>}.
     */
    record TimerTask(String runId, String step, long dueMillis) {

        static TimerTask of(String runId, String step, Instant dueAt) {
            return new TimerTask(runId, step, dueAt.toEpochMilli());
        }

        String id() {
            return this.runId + '/' + this.step + '/' + this.dueMillis;
        }

        static TimerTask parse(String id) {
            String[] parts = split(id, ClusterTasks.TIMER_TASK);
            try {
                return new TimerTask(parts[0], parts[1], Long.parseLong(parts[2]));
            }
            catch (NumberFormatException ex) {
                throw invalid(id, ClusterTasks.TIMER_TASK);
            }
        }
    }

    /**
     * A check of one run, scheduled before a change a caller asked for: {@code <run id>/<tag>}.
     */
    record CheckTask(String runId, String tag) {

        String id() {
            return this.runId + '/' + this.tag;
        }

        static CheckTask parse(String id) {
            int slash = id.lastIndexOf('/');
            if (slash <= 0 || slash == id.length() - 1) {
                throw invalid(id, ClusterTasks.CHECK_TASK);
            }
            return new CheckTask(id.substring(0, slash), id.substring(slash + 1));
        }
    }

    private static String[] split(String id, String task) {
        String[] parts = id.split("/", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw invalid(id, task);
        }
        return parts;
    }

    private static IllegalArgumentException invalid(String id, String task) {
        String expected = task.equals(ClusterTasks.CHECK_TASK) ? "<run id>/<tag>" : "<run id>/<step key>/<number>";
        return new IllegalArgumentException("invalid instance id '" + id + "' of db-scheduler task " + task
                + "; expected " + expected);
    }
}
