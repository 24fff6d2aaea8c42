/**
 * The {@code order} workflow: its steps, its definition and the REST API that drives it.
 */
@NullMarked
package io.hephaestus.sample.order;

import org.jspecify.annotations.NullMarked;
