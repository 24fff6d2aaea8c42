package io.hephaestus.spring.boot.autoconfigure;

import io.hephaestus.core.runtime.LocalRunner;

/**
 * Callback to customize the {@link LocalRunner.Builder} before the auto-configured runner is
 * built, for settings that have no property (an executor, a scheduler, a clock).
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface HephaestusRunnerCustomizer {

    /**
     * Customize the builder.
     * @param builder the runner builder
     */
    void customize(LocalRunner.Builder builder);
}
