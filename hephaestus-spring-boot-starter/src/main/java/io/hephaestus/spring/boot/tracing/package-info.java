/**
 * Tracing of step executions with Micrometer Observation (and Micrometer Tracing when present).
 */
@NullMarked
package io.hephaestus.spring.boot.tracing;

import org.jspecify.annotations.NullMarked;
