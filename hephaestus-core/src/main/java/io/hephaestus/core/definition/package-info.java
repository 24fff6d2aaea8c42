/**
 * What a workflow is: definitions, transitions, business keys, versions and their validation.
 */
@NullMarked
package io.hephaestus.core.definition;

import org.jspecify.annotations.NullMarked;
