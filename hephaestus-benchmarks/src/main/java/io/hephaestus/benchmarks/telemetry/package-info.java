/**
 * Benchmarks of telemetry emission (the cost of each event type with no handler and with each kind of
 * handler) and of the step interceptor hook that tracing uses.
 */
@NullMarked
package io.hephaestus.benchmarks.telemetry;

import org.jspecify.annotations.NullMarked;
