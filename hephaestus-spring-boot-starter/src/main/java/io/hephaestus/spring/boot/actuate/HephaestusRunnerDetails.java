package io.hephaestus.spring.boot.actuate;

import java.util.Map;

/**
 * What {@link HephaestusHealthIndicator} reports about the kind of runner: at least its
 * {@code type}, such as {@code local} or {@code cluster}, and whatever else tells its state (the
 * cluster runner adds its node and the state of its db-scheduler executor). The auto-configured
 * cluster runner comes with one; a bean of this type replaces the default of a local runner.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface HephaestusRunnerDetails {

    /**
     * Return the details, read at every health check; the map must contain {@code type}.
     * @return the details, such as {@code type: local}
     */
    Map<String, Object> details();
}
