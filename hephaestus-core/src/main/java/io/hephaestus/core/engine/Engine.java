package io.hephaestus.core.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.hephaestus.core.definition.Target;
import io.hephaestus.core.definition.Transition;
import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.internal.Frozen;
import io.hephaestus.core.internal.JsonValues;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Step;
import io.hephaestus.core.steps.StepInput;
import io.hephaestus.core.steps.StepResult;
import io.hephaestus.core.telemetry.FailureKind;
import io.hephaestus.core.telemetry.ResumeSource;

/**
 * {@link Engine} is the pure core of Hephaestus: functions from a workflow definition, an instance
 * snapshot and an input to the next snapshot and the {@link Effect effects} to perform. It reads no
 * clock (the time is an argument), performs no I/O, starts no thread and emits no telemetry.
 *
 * <p><strong>Joins are path-aware.</strong> When a step completes, the outgoing edges its transition
 * takes are marked taken and the others dead. A step is activated once every incoming edge is
 * decided (its source completed or was skipped) and at least one was taken; a step whose incoming
 * edges are all dead is skipped, and so are the edges leaving it. So a merge after exclusive
 * branches runs, a fan-in waits for every parallel branch, and {@code Done} runs exactly once. An
 * instance left with nothing to run before {@code Done} ran fails instead of completing silently.
 *
 * <p><strong>Terminal statuses are absorbing:</strong> every operation returns a completed, failed
 * or cancelled instance unchanged (or rejects the call), and results that arrive late are ignored.
 *
 * @since 0.1.0
 */
public final class Engine {

    private Engine() {
    }

    /**
     * Advance an instance: start a pending instance (activate its start step), settle a running one
     * that has nothing left to run, and leave any other unchanged.
     * @param workflow the instance's workflow version
     * @param instance the instance
     * @param now the current time
     * @return the next snapshot and its effects
     */
    public static Advance advance(Workflow workflow, Instance instance, Instant now) {
        if (instance.status().isTerminal()) {
            return Advance.unchanged(instance);
        }
        if (instance.status() == Status.PENDING) {
            Draft draft = new Draft(instance);
            draft.status = Status.RUNNING;
            Target start = workflow.start();
            draft.active = Frozen.plus(draft.active, start.step().key());
            if (!start.config().isEmpty()) {
                draft.configs = Frozen.put(draft.configs, start.step().key(), start.config());
            }
            return new Advance(draft.build(now),
                    List.of(new Effect.ExecuteStep(start.step().key(), 1, Duration.ZERO)));
        }
        if (instance.activeSteps().isEmpty()) {
            Draft draft = new Draft(instance);
            List<Effect> effects = new ArrayList<>();
            settle(draft, workflow.start().step().key(), now, effects);
            return new Advance(draft.build(now), effects);
        }
        return Advance.unchanged(instance);
    }

    /**
     * Return the input a step receives: the context, its config and the attempt number.
     * @param instance the instance
     * @param stepKey the step about to execute
     * @return the input
     */
    public static StepInput input(Instance instance, String stepKey) {
        return new StepInput(instance.runId(), instance.id(), instance.workflow(), instance.workflowVersion(),
                instance.context(), instance.stepConfigs().getOrDefault(stepKey, Map.of()), stepKey,
                instance.attempts().getOrDefault(stepKey, 0) + 1);
    }

    /**
     * Execute one active step against the instance and return its result. This is the only engine
     * operation with side effects: those of the step itself. Exceptions the step throws propagate.
     * @param workflow the instance's workflow version
     * @param instance the instance
     * @param stepKey the step to execute
     * @return the step's result
     * @throws InstanceStateException if the step is not active and runnable
     */
    public static StepResult execute(Workflow workflow, Instance instance, String stepKey) {
        if (!instance.activeSteps().contains(stepKey) || instance.waitingSteps().containsKey(stepKey)) {
            throw new InstanceStateException("step " + stepKey + " of instance " + instance.id()
                    + " is not runnable; active steps: " + instance.activeSteps() + ", waiting: "
                    + instance.waitingSteps().keySet());
        }
        return step(workflow, stepKey).execute(input(instance, stepKey));
    }

    /**
     * Apply the result of an executed step. A result for a step that is no longer runnable (the
     * instance was cancelled or failed meanwhile, or the attempt timed out) is ignored.
     * @param workflow the instance's workflow version
     * @param instance the instance
     * @param stepKey the step that executed
     * @param result its result
     * @param now the current time
     * @return the next snapshot and its effects
     */
    public static Advance apply(Workflow workflow, Instance instance, String stepKey, StepResult result, Instant now) {
        if (!isRunnable(instance, stepKey)) {
            return Advance.unchanged(instance);
        }
        if (result instanceof StepResult.Completed completed) {
            return complete(workflow, instance, stepKey, completed.event(), completed.updates(), completed.metadata(),
                    now);
        }
        if (result instanceof StepResult.Async) {
            return park(workflow, instance, stepKey, null, now);
        }
        if (result instanceof StepResult.Scheduled scheduled) {
            Step step = step(workflow, stepKey);
            if (!step.events().contains(scheduled.event())) {
                return fail(workflow, instance, stepKey, FailureKind.INVALID, "step " + stepKey
                        + " scheduled a resume with undeclared event '" + scheduled.event() + "'; declared: "
                        + new TreeSet<>(step.events()), now);
            }
            Instant dueAt;
            try {
                dueAt = now.plus(scheduled.delay());
            }
            catch (ArithmeticException | java.time.DateTimeException ex) {
                return fail(workflow, instance, stepKey, FailureKind.INVALID, "step " + stepKey
                        + " scheduled a resume too far in the future: " + scheduled.delay(), now);
            }
            return park(workflow, instance, stepKey, new Timer(dueAt, scheduled.event()), now);
        }
        if (result instanceof StepResult.Failed failed) {
            return failStep(workflow, instance, stepKey, FailureKind.ERROR, failed.reason(), now);
        }
        throw new AssertionError("unhandled step result " + result);
    }

    /**
     * Apply a failed attempt of a step: schedule a retry if its policy allows another attempt and
     * the failure is retryable, else fail the instance.
     * @param workflow the instance's workflow version
     * @param instance the instance
     * @param stepKey the step that failed
     * @param kind how it failed; {@link FailureKind#INVALID} is never retried
     * @param reason what went wrong
     * @param now the current time
     * @return the next snapshot and its effects
     */
    public static Advance failStep(Workflow workflow, Instance instance, String stepKey, FailureKind kind,
            String reason, Instant now) {
        return failStep(workflow, instance, stepKey, kind, reason, "", now);
    }

    /**
     * Apply a failed attempt of a step that threw: like
     * {@link #failStep(Workflow, Instance, String, FailureKind, String, Instant)}, keeping the
     * exception's stack trace with the failure.
     * @param workflow the instance's workflow version
     * @param instance the instance
     * @param stepKey the step that failed
     * @param kind how it failed; {@link FailureKind#INVALID} is never retried
     * @param reason what went wrong
     * @param stackTrace the bounded stack trace ({@link StackTraces#format}), or empty
     * @param now the current time
     * @return the next snapshot and its effects
     */
    public static Advance failStep(Workflow workflow, Instance instance, String stepKey, FailureKind kind,
            String reason, String stackTrace, Instant now) {
        if (!isRunnable(instance, stepKey)) {
            return Advance.unchanged(instance);
        }
        int attempt = instance.attempts().getOrDefault(stepKey, 0) + 1;
        Step step = step(workflow, stepKey);
        if (kind != FailureKind.INVALID && step.retryPolicy().allowsAnotherAttempt(attempt)) {
            Draft draft = new Draft(instance);
            draft.addFailure(new Failure(stepKey, attempt, kind, reason, stackTrace, now));
            draft.attempts = Frozen.put(draft.attempts, stepKey, attempt);
            Duration delay = step.retryPolicy().delayBeforeAttempt(attempt + 1);
            return new Advance(draft.build(now), List.of(new Effect.ExecuteStep(stepKey, attempt + 1, delay)));
        }
        return fail(instance, stepKey, kind, reason, stackTrace, now);
    }

    /**
     * Fail the instance for good: it becomes {@link Status#FAILED}, every active step and timer is
     * dropped, and the failure is recorded. A terminal instance is returned unchanged.
     * @param workflow the instance's workflow version
     * @param instance the instance
     * @param stepKey the step blamed for the failure
     * @param kind how it failed
     * @param reason what went wrong
     * @param now the current time
     * @return the next snapshot and its effects
     */
    public static Advance fail(Workflow workflow, Instance instance, String stepKey, FailureKind kind, String reason,
            Instant now) {
        return fail(instance, stepKey, kind, reason, "", now);
    }

    private static Advance fail(Instance instance, String stepKey, FailureKind kind, String reason, String stackTrace,
            Instant now) {
        if (instance.status().isTerminal()) {
            return Advance.unchanged(instance);
        }
        Draft draft = new Draft(instance);
        List<Effect> effects = new ArrayList<>();
        int attempt = instance.attempts().getOrDefault(stepKey, 0) + 1;
        draft.addFailure(new Failure(stepKey, attempt, kind, reason, stackTrace, now));
        terminate(draft, Status.FAILED, now, effects);
        return new Advance(draft.build(now), effects);
    }

    /**
     * Record the result of a step that was still running when its instance failed or was
     * cancelled. After a failure a completed result is kept: the step counts as completed, its
     * updates go into the context and the history, and no transition is taken (an operator can see
     * that its side effect happened). After a cancel it is recorded in the history as
     * {@link ExecutionEntry.Kind#IGNORED ignored}, and the context is left alone. Any other result,
     * a step already recorded, or an active instance leaves the instance unchanged.
     * @param workflow the instance's workflow version
     * @param instance the instance, failed or cancelled
     * @param stepKey the step that was running
     * @param result its result
     * @param now the current time
     * @return the next snapshot (no effects)
     */
    public static Advance applyLate(Workflow workflow, Instance instance, String stepKey, StepResult result,
            Instant now) {
        if (!(result instanceof StepResult.Completed completed)
                || (instance.status() != Status.FAILED && instance.status() != Status.CANCELLED)
                || instance.completedSteps().contains(stepKey)
                || instance.history().stream().anyMatch((entry) -> entry.step().equals(stepKey))
                || !step(workflow, stepKey).events().contains(completed.event())) {
            return Advance.unchanged(instance);
        }
        Draft draft = new Draft(instance);
        if (instance.status() == Status.FAILED) {
            draft.completed = Frozen.plus(draft.completed, stepKey);
            draft.context = draft.context.withStep(stepKey, completed.updates());
            draft.history = Frozen.append(draft.history,
                    new ExecutionEntry(stepKey, completed.event(), now, completed.updates()));
        }
        else {
            draft.history = Frozen.append(draft.history, new ExecutionEntry(stepKey, completed.event(),
                    ExecutionEntry.Kind.IGNORED, now, completed.updates()));
        }
        return new Advance(draft.build(now), List.of());
    }

    /**
     * Cancel an active instance: it becomes {@link Status#CANCELLED} and every active step and
     * timer is dropped (the runner stops them).
     * @param instance the instance
     * @param now the current time
     * @return the next snapshot and its effects
     * @throws InstanceStateException if the instance is already completed, failed or cancelled
     */
    public static Advance cancel(Instance instance, Instant now) {
        if (instance.status().isTerminal()) {
            throw new InstanceStateException("instance " + instance.id() + " of workflow " + instance.workflow()
                    + " is " + instance.status().value() + "; only pending, running or waiting instances can be cancelled");
        }
        Draft draft = new Draft(instance);
        List<Effect> effects = new ArrayList<>();
        terminate(draft, Status.CANCELLED, now, effects);
        return new Advance(draft.build(now), effects);
    }

    /**
     * Resume the one waiting step that accepts {@code event}.
     * @param workflow the instance's workflow version
     * @param instance the instance
     * @param event the event
     * @param source whether the resume comes from outside or from a timer
     * @param now the current time
     * @return the next snapshot and its effects
     * @throws IllegalResumeException if no step or several steps wait for this event
     */
    public static Advance resume(Workflow workflow, Instance instance, String event, ResumeSource source, Instant now) {
        return resume(workflow, instance, resumableStep(workflow, instance, event), event, source, now);
    }

    /**
     * Resume a named waiting step with {@code event}: the step completes with that event (and no
     * context updates) and its transition is applied.
     * @param workflow the instance's workflow version
     * @param instance the instance
     * @param stepKey the waiting step
     * @param event the event, one the step declares
     * @param source whether the resume comes from outside or from a timer
     * @param now the current time
     * @return the next snapshot and its effects
     * @throws IllegalResumeException if the instance is not active, the step is not waiting, or the
     * step does not declare the event
     */
    public static Advance resume(Workflow workflow, Instance instance, String stepKey, String event,
            ResumeSource source, Instant now) {
        return resume(workflow, instance, stepKey, event, Map.of(), source, now);
    }

    /**
     * Resume a named waiting step with {@code event} and data from outside: the step completes with
     * that event, {@code data} is stored under its key in the context (as a step's updates would be),
     * and its transition is applied.
     * @param workflow the instance's workflow version
     * @param instance the instance
     * @param stepKey the waiting step
     * @param event the event, one the step declares
     * @param data what the resume brings, JSON-safe, stored under the step's key
     * @param source whether the resume comes from outside or from a timer
     * @param now the current time
     * @return the next snapshot and its effects
     * @throws IllegalResumeException if the instance is not active, the step is not waiting, or the
     * step does not declare the event
     * @throws io.hephaestus.core.InvalidValueException if the data is not JSON-safe
     */
    public static Advance resume(Workflow workflow, Instance instance, String stepKey, String event,
            Map<String, ?> data, ResumeSource source, Instant now) {
        Map<String, Object> updates = JsonValues.freeze(data, "resume data");
        requireWaiting(instance);
        if (!instance.waitingSteps().containsKey(stepKey)) {
            throw new IllegalResumeException("step " + stepKey + " of instance " + instance.id() + " ("
                    + instance.workflow() + ") is not waiting; waiting steps: " + instance.waitingSteps().keySet());
        }
        Step step = step(workflow, stepKey);
        Set<String> accepted = (source == ResumeSource.EXTERNAL) ? step.externalEvents() : step.events();
        if (!accepted.contains(event)) {
            throw new IllegalResumeException("step " + stepKey + " of instance " + instance.id() + " ("
                    + instance.workflow() + ") does not accept event '" + event + "'"
                    + ((source == ResumeSource.EXTERNAL) ? " from callers" : "") + "; accepted: "
                    + new TreeSet<>(accepted));
        }
        Draft draft = new Draft(instance);
        List<Effect> effects = new ArrayList<>();
        Instant since = draft.waiting.get(stepKey);
        draft.waiting = Frozen.remove(draft.waiting, stepKey);
        boolean hadTimer = draft.timers.containsKey(stepKey);
        draft.timers = Frozen.remove(draft.timers, stepKey);
        if (hadTimer && source == ResumeSource.EXTERNAL) {
            effects.add(new Effect.CancelTimer(stepKey));
        }
        draft.status = Status.RUNNING;
        effects.add(new Effect.Resumed(stepKey, event, source, since));
        completeInto(workflow, draft, stepKey, event, updates, Map.of(), now, effects);
        return new Advance(draft.build(now), effects);
    }

    /**
     * Accept an external event for an active instance. If a waiting step accepts it from callers
     * ({@link Step#externalEvents()}), that step is resumed as by
     * {@link #resume(Workflow, Instance, String, String, Map, ResumeSource, Instant)}. Otherwise, if a
     * step that has not completed or been skipped yet accepts it, the event is queued with the
     * instance (effect {@link Effect.Queued}) and delivered when such a step starts waiting, oldest
     * queued event first. Anything else is rejected, naming the events the instance accepts.
     * @param workflow the instance's workflow version
     * @param instance the instance
     * @param stepKey the step the event is for, or empty for whichever step accepts it
     * @param event the event
     * @param data what the event brings, JSON-safe, stored under the resumed step's key
     * @param now the current time
     * @return the next snapshot and its effects
     * @throws IllegalResumeException if the instance is not active, or no remaining step accepts the
     * event (or the named step does not), or several waiting steps accept it and none is named
     * @throws io.hephaestus.core.InvalidValueException if the data is not JSON-safe
     */
    public static Advance receive(Workflow workflow, Instance instance, String stepKey, String event,
            Map<String, ?> data, Instant now) {
        Map<String, Object> frozen = JsonValues.freeze(data, "resume data");
        requireActive(instance);
        String target = stepKey.isEmpty() ? waitingStepFor(workflow, instance, event) : stepKey;
        if (!target.isEmpty()) {
            Step step = workflow.step(target).orElseThrow(() -> new IllegalResumeException("workflow "
                    + workflow.name() + " v" + workflow.version() + " has no step '" + target + "'; steps: "
                    + workflow.steps().keySet()));
            if (instance.waitingSteps().containsKey(target) && step.externalEvents().contains(event)) {
                return resume(workflow, instance, target, event, frozen, ResumeSource.EXTERNAL, now);
            }
        }
        List<String> takers = remainingTakers(workflow, instance, stepKey, event);
        long alreadyQueued = instance.queuedEvents().stream()
            .filter((queued) -> queued.event().equals(event) && (stepKey.isEmpty() || queued.isFor(stepKey)))
            .count();
        if (takers.isEmpty() || alreadyQueued >= takers.size()) {
            throw new IllegalResumeException(rejection(workflow, instance, stepKey, event, !takers.isEmpty()));
        }
        QueuedEvent queued = new QueuedEvent(event, stepKey, frozen, now);
        Draft draft = new Draft(instance);
        draft.queued = Frozen.append(draft.queued, queued);
        return new Advance(draft.build(now), List.of(new Effect.Queued(queued)));
    }

    /**
     * Return the one waiting step that accepts the event from callers, or empty if none does.
     */
    private static String waitingStepFor(Workflow workflow, Instance instance, String event) {
        List<String> candidates = new ArrayList<>(1);
        for (String key : instance.waitingSteps().keySet()) {
            if (step(workflow, key).externalEvents().contains(event)) {
                candidates.add(key);
            }
        }
        if (candidates.size() > 1) {
            throw new IllegalResumeException("several waiting steps of instance " + instance.id() + " accept event '"
                    + event + "': " + String.join(", ", candidates) + "; name the step to resume");
        }
        return candidates.isEmpty() ? "" : candidates.get(0);
    }

    /**
     * Return the steps that have not waited yet and could take the event later: not completed, not
     * skipped, not waiting now, declaring it as an external event (only {@code stepKey} if named).
     */
    private static List<String> remainingTakers(Workflow workflow, Instance instance, String stepKey, String event) {
        List<String> takers = new ArrayList<>(1);
        for (Step step : workflow.steps().values()) {
            String key = step.key();
            if ((stepKey.isEmpty() || stepKey.equals(key)) && !instance.completedSteps().contains(key)
                    && !instance.skippedSteps().contains(key) && !instance.waitingSteps().containsKey(key)
                    && step.externalEvents().contains(event)) {
                takers.add(key);
            }
        }
        return takers;
    }

    private static String rejection(Workflow workflow, Instance instance, String stepKey, String event,
            boolean queuedAlready) {
        String subject = (stepKey.isEmpty() ? "instance " : "step " + stepKey + " of instance ") + instance.id()
                + " (" + instance.workflow() + ")";
        if (queuedAlready) {
            return subject + " already holds queued '" + event + "' events for every step that can still take one";
        }
        Set<String> now = new TreeSet<>();
        Set<String> later = new TreeSet<>();
        for (Step step : workflow.steps().values()) {
            String key = step.key();
            if (!stepKey.isEmpty() && !stepKey.equals(key)) {
                continue;
            }
            if (instance.waitingSteps().containsKey(key)) {
                now.addAll(step.externalEvents());
            }
            else if (!instance.completedSteps().contains(key) && !instance.skippedSteps().contains(key)) {
                later.addAll(step.externalEvents());
            }
        }
        return subject + " does not accept event '" + event + "'; accepted now: " + now + ", later: " + later;
    }

    /**
     * Return which waiting step a resume with {@code event} is for.
     * @param workflow the instance's workflow version
     * @param instance the instance
     * @param event the event
     * @return the key of the only waiting step that declares the event
     * @throws IllegalResumeException if the instance is not waiting for it, or several steps are
     */
    public static String resumableStep(Workflow workflow, Instance instance, String event) {
        requireWaiting(instance);
        List<String> candidates = instance.waitingSteps().keySet().stream()
            .filter((key) -> step(workflow, key).events().contains(event))
            .collect(Collectors.toList());
        if (candidates.isEmpty()) {
            throw new IllegalResumeException("no waiting step of instance " + instance.id() + " ("
                    + instance.workflow() + ") accepts event '" + event + "'; waiting: " + describeWaiting(workflow, instance));
        }
        if (candidates.size() > 1) {
            throw new IllegalResumeException("several waiting steps of instance " + instance.id() + " accept event '"
                    + event + "': " + String.join(", ", candidates) + "; name the step to resume");
        }
        return candidates.get(0);
    }

    private static Advance complete(Workflow workflow, Instance instance, String stepKey, String event,
            Map<String, Object> updates, Map<String, Object> metadata, Instant now) {
        Step step = step(workflow, stepKey);
        if (!step.events().contains(event)) {
            return fail(workflow, instance, stepKey, FailureKind.INVALID, "step " + stepKey + " emitted undeclared event '"
                    + event + "'; declared: " + new TreeSet<>(step.events()), now);
        }
        Draft draft = new Draft(instance);
        List<Effect> effects = new ArrayList<>();
        completeInto(workflow, draft, stepKey, event, updates, metadata, now, effects);
        return new Advance(draft.build(now), effects);
    }

    private static void completeInto(Workflow workflow, Draft draft, String stepKey, String event,
            Map<String, Object> updates, Map<String, Object> metadata, Instant now, List<Effect> effects) {
        draft.active = Frozen.minus(draft.active, stepKey);
        draft.completed = Frozen.plus(draft.completed, stepKey);
        draft.configs = Frozen.remove(draft.configs, stepKey);
        draft.attempts = Frozen.remove(draft.attempts, stepKey);
        draft.context = draft.context.withStep(stepKey, updates);
        if (!metadata.isEmpty()) {
            Map<String, Object> merged = new LinkedHashMap<>(draft.runtimeMetadata);
            merged.putAll(metadata);
            draft.runtimeMetadata = JsonValues.freeze(merged, "runtime metadata");
        }
        draft.history = Frozen.append(draft.history, new ExecutionEntry(stepKey, event, now, updates));
        List<Target> targets;
        try {
            targets = targets(workflow, draft, stepKey, event);
        }
        catch (InvalidRoute ex) {
            draft.addFailure(new Failure(stepKey, 1, ex.kind, ex.getMessage(), now));
            terminate(draft, Status.FAILED, now, effects);
            return;
        }
        List<String> activated = activate(workflow, draft, stepKey, targets);
        effects.add(new Effect.Transitioned(stepKey, event, activated));
        for (String key : activated) {
            effects.add(new Effect.ExecuteStep(key, 1, Duration.ZERO));
        }
        settle(draft, stepKey, now, effects);
    }

    private static List<Target> targets(Workflow workflow, Draft draft, String stepKey, String event) {
        Transition transition = workflow.transition(stepKey, event).orElse(null);
        if (transition == null) {
            return List.of();
        }
        if (transition instanceof Transition.Static s) {
            return s.targets();
        }
        if (transition instanceof Transition.Dynamic d) {
            List<Target> routed;
            try {
                routed = d.router().route(draft.context);
            }
            catch (RuntimeException ex) {
                throw new InvalidRoute(FailureKind.EXCEPTION, "router of transition (" + stepKey + ", " + event
                        + ") threw " + ex);
            }
            if (routed == null) {
                throw new InvalidRoute(FailureKind.INVALID, "router of transition (" + stepKey + ", " + event
                        + ") returned null");
            }
            Set<String> allowed = new LinkedHashSet<>();
            d.candidates().forEach((candidate) -> allowed.add(candidate.key()));
            for (Target target : routed) {
                if (target == null || !allowed.contains(target.step().key())) {
                    throw new InvalidRoute(FailureKind.INVALID, "router of transition (" + stepKey + ", " + event
                            + ") returned undeclared target " + (target == null ? "null" : target.step().key())
                            + "; declared: " + allowed);
                }
            }
            return routed;
        }
        throw new AssertionError("unhandled transition " + transition);
    }

    private static List<String> activate(Workflow workflow, Draft draft, String from, List<Target> targets) {
        for (Target target : targets) {
            String key = target.step().key();
            draft.addArrival(key, from);
            if (!target.config().isEmpty()) {
                draft.configs = Frozen.put(draft.configs, key, target.config());
            }
        }
        // Deciding a step twice is harmless: once active or skipped, it is left alone.
        List<String> activated = new ArrayList<>(targets.size());
        for (Target target : targets) {
            decide(workflow, draft, target.step().key(), activated);
        }
        for (String successor : workflow.successors(from)) {
            decide(workflow, draft, successor, activated);
        }
        return activated;
    }

    private static void decide(Workflow workflow, Draft draft, String key, List<String> activated) {
        if (draft.active.contains(key) || draft.completed.contains(key) || draft.skipped.contains(key)) {
            return;
        }
        for (String predecessor : workflow.predecessors(key)) {
            if (!draft.completed.contains(predecessor) && !draft.skipped.contains(predecessor)) {
                return;
            }
        }
        Set<String> arrived = draft.takeArrivals(key);
        if (!arrived.isEmpty()) {
            draft.active = Frozen.plus(draft.active, key);
            activated.add(key);
            return;
        }
        draft.skipped = Frozen.plus(draft.skipped, key);
        draft.configs = Frozen.remove(draft.configs, key);
        for (String successor : workflow.successors(key)) {
            decide(workflow, draft, successor, activated);
        }
    }

    private static Advance park(Workflow workflow, Instance instance, String stepKey, Timer timer, Instant now) {
        Draft draft = new Draft(instance);
        List<Effect> effects = new ArrayList<>();
        draft.attempts = Frozen.remove(draft.attempts, stepKey);
        QueuedEvent early = firstQueuedFor(workflow, draft, stepKey);
        if (early != null) {
            // The event came before the step waited: deliver it now, no timer needed.
            draft.queued = Frozen.minus(draft.queued, early);
            effects.add(new Effect.Resumed(stepKey, early.event(), ResumeSource.EXTERNAL, now));
            completeInto(workflow, draft, stepKey, early.event(), early.data(), Map.of(), now, effects);
            return new Advance(draft.build(now), effects);
        }
        draft.waiting = Frozen.put(draft.waiting, stepKey, now);
        if (timer != null) {
            draft.timers = Frozen.put(draft.timers, stepKey, timer);
            effects.add(new Effect.ScheduleTimer(stepKey, timer));
        }
        settle(draft, stepKey, now, effects);
        return new Advance(draft.build(now), effects);
    }

    private static QueuedEvent firstQueuedFor(Workflow workflow, Draft draft, String stepKey) {
        if (draft.queued.isEmpty()) {
            return null;
        }
        Set<String> accepted = step(workflow, stepKey).externalEvents();
        for (QueuedEvent queued : draft.queued) {
            if (queued.isFor(stepKey) && accepted.contains(queued.event())) {
                return queued;
            }
        }
        return null;
    }

    private static void settle(Draft draft, String lastStep, Instant now, List<Effect> effects) {
        if (draft.status.isTerminal()) {
            return;
        }
        if (draft.active.isEmpty()) {
            if (draft.completed.contains(Done.KEY)) {
                draft.status = Status.COMPLETED;
                draft.arrivals = Map.of();
                setAsideQueued(draft, now);
                return;
            }
            draft.addFailure(new Failure(lastStep, 1, FailureKind.INVALID,
                    "instance can make no progress: no step is left to run and Done was never reached (skipped: "
                            + draft.skipped + ")", now));
            terminate(draft, Status.FAILED, now, effects);
            return;
        }
        draft.status = (draft.waiting.size() == draft.active.size()) ? Status.WAITING : Status.RUNNING;
    }

    /**
     * Move the events nobody took into the history, as unconsumed.
     */
    private static void setAsideQueued(Draft draft, Instant now) {
        for (QueuedEvent queued : draft.queued) {
            draft.history = Frozen.append(draft.history, new ExecutionEntry(queued.step(), queued.event(),
                    ExecutionEntry.Kind.UNCONSUMED, now, queued.data()));
        }
        draft.queued = List.of();
    }

    private static void terminate(Draft draft, Status status, Instant now, List<Effect> effects) {
        setAsideQueued(draft, now);
        draft.timers.keySet().forEach((key) -> effects.add(new Effect.CancelTimer(key)));
        draft.status = status;
        draft.active = Set.of();
        draft.waiting = Map.of();
        draft.timers = Map.of();
        draft.arrivals = Map.of();
        draft.configs = Map.of();
        draft.attempts = Map.of();
    }

    private static boolean isRunnable(Instance instance, String stepKey) {
        return instance.status().isActive() && instance.activeSteps().contains(stepKey)
                && !instance.waitingSteps().containsKey(stepKey);
    }

    private static void requireActive(Instance instance) {
        if (!instance.status().isActive()) {
            throw new IllegalResumeException("instance " + instance.id() + " (" + instance.workflow() + ") is "
                    + instance.status().value() + "; only pending, running or waiting instances accept events");
        }
    }

    private static void requireWaiting(Instance instance) {
        if (!instance.status().isActive()) {
            throw new IllegalResumeException("instance " + instance.id() + " (" + instance.workflow() + ") is "
                    + instance.status().value() + ", not waiting");
        }
        if (instance.waitingSteps().isEmpty()) {
            throw new IllegalResumeException("instance " + instance.id() + " (" + instance.workflow() + ") is "
                    + instance.status().value() + ", not waiting: no step waits for an event");
        }
    }

    private static String describeWaiting(Workflow workflow, Instance instance) {
        return instance.waitingSteps().keySet().stream()
            .map((key) -> key + " (accepts " + new TreeSet<>(step(workflow, key).events()) + ")")
            .collect(Collectors.joining(", "));
    }

    private static Step step(Workflow workflow, String stepKey) {
        return workflow.step(stepKey).orElseThrow(() -> new InstanceStateException("workflow " + workflow.name()
                + " v" + workflow.version() + " has no step '" + stepKey + "'"));
    }

    /**
     * A dynamic route that failed or returned an undeclared target.
     */
    private static final class InvalidRoute extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient FailureKind kind;

        InvalidRoute(FailureKind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }
}
