package io.hephaestus.spring.boot.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * {@link StepObservationConvention} names step observations and gives their key values; declare a
 * bean of this type to replace {@link DefaultStepObservationConvention}.
 *
 * @since 0.1.0
 */
public interface StepObservationConvention extends ObservationConvention<StepObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof StepObservationContext;
    }
}
