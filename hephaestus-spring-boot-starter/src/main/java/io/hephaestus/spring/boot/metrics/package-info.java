/**
 * Micrometer metrics for Hephaestus, driven by the core metric definitions.
 */
@NullMarked
package io.hephaestus.spring.boot.metrics;

import org.jspecify.annotations.NullMarked;
