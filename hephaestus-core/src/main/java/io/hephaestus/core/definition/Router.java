package io.hephaestus.core.definition;

import java.util.List;

import io.hephaestus.core.engine.Context;

/**
 * {@link Router} picks the targets of a dynamic transition from the instance context.
 *
 * <p>A router must return only steps it was declared with; anything else fails the instance with a
 * clear error. Returning an empty list rules out every declared target. It runs on the engine's
 * thread: keep it fast and free of side effects. An exception it throws fails the instance.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Router {

    /**
     * Return the targets to activate.
     * @param context the instance context, including the result of the step that just completed
     * @return the targets, in activation order
     */
    List<Target> route(Context context);
}
