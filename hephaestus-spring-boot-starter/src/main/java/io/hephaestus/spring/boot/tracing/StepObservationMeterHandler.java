package io.hephaestus.spring.boot.tracing;

import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;

/**
 * {@link StepObservationMeterHandler} claims step observations for the meter handlers and makes no
 * meter of them: Spring Boot registers meter handlers as a first-matching group, so with this one
 * first, its {@code DefaultMeterObservationHandler} never turns {@code hephaestus.step} into a
 * timer that would duplicate the documented {@code hephaestus.step.*} meters.
 *
 * @since 0.1.0
 */
public final class StepObservationMeterHandler implements MeterObservationHandler<StepObservationContext> {

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof StepObservationContext;
    }
}
