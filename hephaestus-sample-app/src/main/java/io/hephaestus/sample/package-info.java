/**
 * The Hephaestus sample application: an order workflow behind a small REST API.
 */
@NullMarked
package io.hephaestus.sample;

import org.jspecify.annotations.NullMarked;
