package io.hephaestus.cluster;

import java.time.InstantSource;
import java.util.List;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.engine.Effect;
import io.hephaestus.core.engine.Failure;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.StackTraces;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.internal.Frozen;
import io.hephaestus.core.internal.InstantSources;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.telemetry.EngineAdvance;
import io.hephaestus.core.telemetry.FailureKind;
import io.hephaestus.core.telemetry.InstanceScope;
import io.hephaestus.core.telemetry.StepAsync;
import io.hephaestus.core.telemetry.StepException;
import io.hephaestus.core.telemetry.StepResume;
import io.hephaestus.core.telemetry.StepStart;
import io.hephaestus.core.telemetry.StepStop;
import io.hephaestus.core.telemetry.Telemetry;
import io.hephaestus.core.telemetry.TelemetryEventType;
import io.hephaestus.core.telemetry.WorkflowCancel;
import io.hephaestus.core.telemetry.WorkflowException;
import io.hephaestus.core.telemetry.WorkflowStart;
import io.hephaestus.core.telemetry.WorkflowStop;
import io.hephaestus.core.telemetry.WorkflowTransition;

/**
 * Emits the telemetry of the changes this node makes, with the events and metadata of the local
 * runner. What spans nodes comes from the stored instance: workflow durations from its stored
 * creation and update times, and the advance count from its storage revision (every stored change
 * is one advance, on whichever node made it).
 */
final class ClusterTelemetry {

    private final Telemetry telemetry;

    private final InstantSource clock;

    ClusterTelemetry(Telemetry telemetry, InstantSource clock) {
        this.telemetry = telemetry;
        this.clock = clock;
    }

    boolean isEnabled(TelemetryEventType type) {
        return this.telemetry.isEnabled(type);
    }

    static InstanceScope scope(Instance instance) {
        return new InstanceScope(instance.id(), instance.workflow(), instance.workflowVersion(),
                instance.telemetryMetadata());
    }

    void workflowStart(Workflow workflow, Instance instance) {
        if (this.telemetry.isEnabled(TelemetryEventType.WORKFLOW_START)) {
            this.telemetry.emit(new WorkflowStart(scope(instance), epochNanos(), workflow.start().step().key(),
                    Frozen.keys(instance.context().initial()), ClusterRunner.RUNNER, false));
        }
    }

    void stepStart(Step step, Instance snapshot, int attempt) {
        if (this.telemetry.isEnabled(TelemetryEventType.STEP_START)) {
            this.telemetry.emit(new StepStart(scope(snapshot), epochNanos(), step.name(), step.key(),
                    snapshot.runnableSteps().size() > 1, snapshot.activeSteps().size(), attempt));
        }
    }

    /**
     * Report a stored change: resumes, transitions, the engine advance, and the end of the workflow
     * if this change ended it.
     */
    void change(Workflow workflow, Instance before, Instance after, List<Effect> effects, long engineNanos) {
        change(workflow, before, after, effects, engineNanos, 0);
    }

    /**
     * Report a stored change, counting {@code folded} more advances than its revision says: a
     * change stored in one write with the built-in {@code Done} folded in stands for two advances.
     */
    void change(Workflow workflow, Instance before, Instance after, List<Effect> effects, long engineNanos,
            int folded) {
        InstanceScope scope = scope(after);
        int advances = (int) Math.min(Integer.MAX_VALUE, (long) advances(after) + folded);
        if (this.telemetry.isEnabled(TelemetryEventType.STEP_RESUME)) {
            for (Effect effect : effects) {
                if (effect instanceof Effect.Resumed resumed) {
                    long waited = InstantSources.nanosBetween(resumed.waitingSince(), after.updatedAt());
                    this.telemetry.emit(new StepResume(scope, epochNanos(), waited, stepName(workflow, resumed.step()),
                            resumed.step(), resumed.event(), resumed.source()));
                }
            }
        }
        if (this.telemetry.isEnabled(TelemetryEventType.WORKFLOW_TRANSITION)) {
            for (Effect effect : effects) {
                if (effect instanceof Effect.Transitioned transitioned) {
                    this.telemetry.emit(new WorkflowTransition(scope, epochNanos(), transitioned.from(),
                            stepName(workflow, transitioned.from()), transitioned.event(), transitioned.targets(),
                            transitioned.targets().stream().map((key) -> stepName(workflow, key)).toList()));
                }
            }
        }
        if (this.telemetry.isEnabled(TelemetryEventType.ENGINE_ADVANCE)) {
            this.telemetry.emit(new EngineAdvance(scope, engineNanos, after.activeSteps().size(),
                    after.completedSteps().size() - before.completedSteps().size(), before.status().value(),
                    after.status().value(), advances));
        }
        if (before.status() == after.status()) {
            return;
        }
        long lifetime = InstantSources.nanosBetween(after.createdAt(), after.updatedAt());
        if (after.status() == Status.COMPLETED && this.telemetry.isEnabled(TelemetryEventType.WORKFLOW_STOP)) {
            this.telemetry.emit(new WorkflowStop(scope, lifetime, after.completedSteps().size(), advances,
                    Frozen.elements(after.completedSteps()), ClusterRunner.RUNNER));
        }
        else if (after.status() == Status.FAILED && this.telemetry.isEnabled(TelemetryEventType.WORKFLOW_EXCEPTION)) {
            Failure failure = after.failure().orElseThrow();
            this.telemetry.emit(new WorkflowException(scope, lifetime, failure.step(), stepName(workflow, failure.step()),
                    failure.kind(), failure.reason(), StackTraces.frames(failure.stackTrace()),
                    after.completedSteps().size(), advances, ClusterRunner.RUNNER));
        }
        else if (after.status() == Status.CANCELLED && this.telemetry.isEnabled(TelemetryEventType.WORKFLOW_CANCEL)) {
            this.telemetry.emit(new WorkflowCancel(scope, lifetime, Frozen.elements(before.activeSteps()),
                    ClusterRunner.RUNNER));
        }
    }

    /**
     * Report how a step's result was applied: stopped, failed (retrying or not) or went async.
     */
    void outcome(Step step, Instance after, long duration, StepResult result, int attempt, List<Effect> effects) {
        if (result instanceof StepResult.Completed completed) {
            if (!step.events().contains(completed.event())) {
                Failure failure = after.failure().orElseThrow();
                stepException(after, step, duration, FailureKind.INVALID, failure.reason(), List.of(), attempt, effects);
            }
            else {
                stepStop(after, step, duration, completed, effects);
            }
        }
        else if (result instanceof StepResult.Async || result instanceof StepResult.Scheduled) {
            if (after.status() == Status.FAILED && !resumedAtOnce(step.key(), effects)) {
                Failure failure = after.failure().orElseThrow();
                stepException(after, step, duration, failure.kind(), failure.reason(), List.of(), attempt, effects);
            }
            else if (this.telemetry.isEnabled(TelemetryEventType.STEP_ASYNC)) {
                this.telemetry.emit(new StepAsync(scope(after), duration, step.name(), step.key(),
                        after.status().value()));
            }
        }
        else if (result instanceof StepResult.Failed failed) {
            stepException(after, step, duration, FailureKind.ERROR, failed.reason(), List.of(), attempt, effects);
        }
        else {
            throw new AssertionError("unhandled step result " + result);
        }
    }

    void stepStop(Instance instance, Step step, long duration, StepResult.Completed completed, List<Effect> effects) {
        if (this.telemetry.isEnabled(TelemetryEventType.STEP_STOP)) {
            this.telemetry.emit(new StepStop(scope(instance), duration, step.name(), step.key(), completed.event(),
                    !completed.updates().isEmpty(), !completed.metadata().isEmpty(), targetsOf(step.key(), effects)));
        }
    }

    void stepException(Instance instance, Step step, long duration, FailureKind kind, String reason,
            List<String> stacktrace, int attempt, List<Effect> effects) {
        if (this.telemetry.isEnabled(TelemetryEventType.STEP_EXCEPTION)) {
            boolean willRetry = effects.stream().anyMatch((effect) -> effect instanceof Effect.ExecuteStep execute
                    && execute.step().equals(step.key()));
            this.telemetry.emit(new StepException(scope(instance), duration, step.name(), step.key(), kind, reason,
                    stacktrace, attempt, willRetry));
        }
    }

    /**
     * Return the number of engine advances of a stored instance: its creation (revision 1) stores
     * the first advance, as a start inserts the run already advanced, and every later write one more.
     * So the first {@code engine.advance} has iteration 1, as on the local runner.
     */
    static int advances(Instance stored) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, stored.revision()));
    }

    long epochNanos() {
        return InstantSources.epochNanos(this.clock);
    }


    private static boolean resumedAtOnce(String stepKey, List<Effect> effects) {
        for (Effect effect : effects) {
            if (effect instanceof Effect.Resumed resumed && resumed.step().equals(stepKey)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> targetsOf(String stepKey, List<Effect> effects) {
        for (Effect effect : effects) {
            if (effect instanceof Effect.Transitioned transitioned && transitioned.from().equals(stepKey)) {
                return transitioned.targets();
            }
        }
        return List.of();
    }

    static String stepName(Workflow workflow, String stepKey) {
        return workflow.step(stepKey).map(Step::name).orElse(stepKey);
    }
}
