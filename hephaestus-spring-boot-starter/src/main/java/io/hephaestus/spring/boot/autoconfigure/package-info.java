/**
 * Auto-configuration of Hephaestus: properties, storage, telemetry and the runner.
 */
@NullMarked
package io.hephaestus.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
