/**
 * Benchmarks of the pure engine: the cost of one transition of an immutable instance.
 */
@NullMarked
package io.hephaestus.benchmarks.engine;

import org.jspecify.annotations.NullMarked;
