/**
 * The step contract, the sealed step result and the built-in steps.
 */
@NullMarked
package io.hephaestus.core.steps;

import org.jspecify.annotations.NullMarked;
