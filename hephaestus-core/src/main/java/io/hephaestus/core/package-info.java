/**
 * Hephaestus core: the workflow engine without any framework.
 */
@NullMarked
package io.hephaestus.core;

import org.jspecify.annotations.NullMarked;
