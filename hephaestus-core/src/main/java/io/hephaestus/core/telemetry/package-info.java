/**
 * Telemetry: the typed events, the dispatcher, the log listener and the metric definitions.
 */
@NullMarked
package io.hephaestus.core.telemetry;

import org.jspecify.annotations.NullMarked;
