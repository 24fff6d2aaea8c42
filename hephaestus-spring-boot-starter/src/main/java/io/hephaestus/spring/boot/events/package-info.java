/**
 * Bridge from Hephaestus telemetry to Spring application events.
 */
@NullMarked
package io.hephaestus.spring.boot.events;

import org.jspecify.annotations.NullMarked;
