/**
 * Implementation details shared across packages; not public API and not covered by compatibility promises.
 */
@NullMarked
package io.hephaestus.core.internal;

import org.jspecify.annotations.NullMarked;
