package io.hephaestus.core.internal;

import org.jspecify.annotations.Nullable;

import io.hephaestus.core.engine.Advance;
import io.hephaestus.core.engine.Effect;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.steps.Done;

/**
 * When the built-in {@code Done} can be applied within the write of the change before it, as both
 * runners do to save a write per run. Not API.
 */
public final class DoneFolding {

    private DoneFolding() {
    }

    /**
     * Return the execution of {@code Done} if it is the only step an advance runs next, at once,
     * and nothing else of the instance is active, waiting or armed; else {@code null}. The runner
     * adds its own conditions (nothing in flight, still accepting work).
     * @param advance the advance just computed
     * @return the execution of {@code Done}, or {@code null}
     */
    public static Effect.@Nullable ExecuteStep soleDone(Advance advance) {
        Instance next = advance.instance();
        if (next.status() != Status.RUNNING || next.activeSteps().size() != 1 || !next.activeSteps().contains(Done.KEY)
                || !next.waitingSteps().isEmpty() || !next.timers().isEmpty()) {
            return null;
        }
        Effect.@Nullable ExecuteStep done = null;
        for (Effect effect : advance.effects()) {
            if (effect instanceof Effect.ExecuteStep execute) {
                if (done != null || !execute.step().equals(Done.KEY) || !execute.delay().isZero()) {
                    return null;
                }
                done = execute;
            }
        }
        return done;
    }
}
