/**
 * The effectful shell: runner and storage contracts, the in-memory storage and the local runner.
 */
@NullMarked
package io.hephaestus.core.runtime;

import org.jspecify.annotations.NullMarked;
