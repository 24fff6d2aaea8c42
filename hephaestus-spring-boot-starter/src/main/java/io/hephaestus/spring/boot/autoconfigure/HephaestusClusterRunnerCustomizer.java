package io.hephaestus.spring.boot.autoconfigure;

import io.hephaestus.cluster.ClusterRunner;

/**
 * Callback to customize the {@link ClusterRunner.Builder} before the auto-configured cluster
 * runner is built ({@code hephaestus.runner.type=cluster}), for settings that have no property
 * (a clock, a run id generator).
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface HephaestusClusterRunnerCustomizer {

    /**
     * Customize the builder.
     * @param builder the cluster runner builder
     */
    void customize(ClusterRunner.Builder builder);
}
