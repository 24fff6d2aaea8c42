/**
 * The pure functional engine: immutable instances and the functions that advance them.
 */
@NullMarked
package io.hephaestus.core.engine;

import org.jspecify.annotations.NullMarked;
