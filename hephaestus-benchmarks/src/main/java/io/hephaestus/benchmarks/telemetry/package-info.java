/**
 * Benchmarks of telemetry emission: the cost of each event type with no handler and with each kind of handler.
 */
@NullMarked
package io.hephaestus.benchmarks.telemetry;

import org.jspecify.annotations.NullMarked;
