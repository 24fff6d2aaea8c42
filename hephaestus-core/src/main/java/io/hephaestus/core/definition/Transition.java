package io.hephaestus.core.definition;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.hephaestus.core.steps.Step;

/**
 * {@link Transition} maps a step and an event to the steps activated next. The set of kinds is
 * closed: a {@link Static} transition names its targets, a {@link Dynamic} one computes them from
 * the context among declared candidates.
 *
 * @since 0.1.0
 */
public sealed interface Transition {

    /**
     * Return the step this transition leaves.
     * @return the source step
     */
    Step from();

    /**
     * Return the event that selects this transition.
     * @return the event
     */
    String event();

    /**
     * Return every step this transition may activate: the graph edges it contributes.
     * @return the possible targets, in declaration order
     */
    Set<Step> possibleTargets();

    /**
     * A transition with fixed targets: one (a plain transition) or several (a fan-out, run in
     * parallel).
     *
     * @param from the source step
     * @param event the event
     * @param targets the targets, at least one
     */
    record Static(Step from, String event, List<Target> targets) implements Transition {

        /**
         * Validate and copy the components.
         */
        public Static {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(event, "event");
            targets = List.copyOf(targets);
        }

        @Override
        public Set<Step> possibleTargets() {
            Set<Step> steps = new LinkedHashSet<>();
            this.targets.forEach((target) -> steps.add(target.step()));
            return steps;
        }
    }

    /**
     * A transition whose targets a {@link Router} picks at run time among declared candidates.
     *
     * @param from the source step
     * @param event the event
     * @param candidates every step the router may return
     * @param router the function that picks the targets
     */
    record Dynamic(Step from, String event, Set<Step> candidates, Router router) implements Transition {

        /**
         * Validate and copy the components.
         */
        public Dynamic {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(event, "event");
            candidates = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(candidates));
            Objects.requireNonNull(router, "router");
        }

        @Override
        public Set<Step> possibleTargets() {
            return this.candidates;
        }
    }
}
