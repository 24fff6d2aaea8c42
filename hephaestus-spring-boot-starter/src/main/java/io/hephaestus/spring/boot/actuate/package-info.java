/**
 * Actuator support for Hephaestus: the health indicator and the workflows endpoint.
 */
@NullMarked
package io.hephaestus.spring.boot.actuate;

import org.jspecify.annotations.NullMarked;
