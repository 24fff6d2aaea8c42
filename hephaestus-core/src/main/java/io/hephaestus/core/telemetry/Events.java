package io.hephaestus.core.telemetry;

import org.jspecify.annotations.Nullable;

/**
 * Typed access to the fields several event records share, without allocating.
 */
final class Events {

    private Events() {
    }

    /**
     * Return the instance scope of an event.
     * @param event the event
     * @return the scope, or {@code null} for {@link RunnerInit}
     */
    static @Nullable InstanceScope scopeOf(TelemetryEvent event) {
        if (event instanceof WorkflowStart e) {
            return e.scope();
        }
        if (event instanceof WorkflowStop e) {
            return e.scope();
        }
        if (event instanceof WorkflowException e) {
            return e.scope();
        }
        if (event instanceof WorkflowCancel e) {
            return e.scope();
        }
        if (event instanceof WorkflowTransition e) {
            return e.scope();
        }
        if (event instanceof StepStart e) {
            return e.scope();
        }
        if (event instanceof StepStop e) {
            return e.scope();
        }
        if (event instanceof StepException e) {
            return e.scope();
        }
        if (event instanceof StepAsync e) {
            return e.scope();
        }
        if (event instanceof StepResume e) {
            return e.scope();
        }
        if (event instanceof EngineAdvance e) {
            return e.scope();
        }
        if (event instanceof RunnerInit) {
            return null;
        }
        throw new AssertionError(event);
    }

    /**
     * Return the display name of the step a step event is about.
     * @param event the event
     * @return the step's display name, or {@code null} if the event is not a step event
     */
    static @Nullable String stepOf(TelemetryEvent event) {
        if (event instanceof StepStart e) {
            return e.step();
        }
        if (event instanceof StepStop e) {
            return e.step();
        }
        if (event instanceof StepException e) {
            return e.step();
        }
        if (event instanceof StepAsync e) {
            return e.step();
        }
        if (event instanceof StepResume e) {
            return e.step();
        }
        return null;
    }

    /**
     * Return the context key of the step a step event is about.
     * @param event the event
     * @return the step's key, or {@code null} if the event is not a step event
     */
    static @Nullable String stepKeyOf(TelemetryEvent event) {
        if (event instanceof StepStart e) {
            return e.stepKey();
        }
        if (event instanceof StepStop e) {
            return e.stepKey();
        }
        if (event instanceof StepException e) {
            return e.stepKey();
        }
        if (event instanceof StepAsync e) {
            return e.stepKey();
        }
        if (event instanceof StepResume e) {
            return e.stepKey();
        }
        return null;
    }
}
