package io.hephaestus.spring.boot.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.LocalRunner;
import io.hephaestus.core.runtime.Runner;
import io.hephaestus.core.runtime.Storage;

/**
 * {@link HealthIndicator} for a Hephaestus {@link Runner} and its {@link Storage}.
 *
 * <ul>
 * <li>{@code UP} while the runner accepts work and its storage can be read. Details:
 * {@code runner} (the runner's name), the {@link HephaestusRunnerDetails} of the runner
 * ({@code type}: {@code local} or {@code cluster}; for the cluster runner also {@code node} and
 * {@code executor}, db-scheduler's {@code state} such as {@code started}, {@code paused} or
 * {@code shutting-down}, and its {@code running-executions}), {@code storage} (the storage's name, such as
 * {@code in-memory} or {@code jdbc-postgresql}), {@code durable} (whether instances outlive the
 * JVM), {@code instances} (the number of instances per status, keyed by the lower-case status) and
 * {@code workflows} (the number of registered workflow names). The counts come from the storage,
 * so for a JDBC storage an {@code UP} also says that the database answered.</li>
 * <li>{@code DOWN} once the runner no longer accepts work (it was closed, typically because the
 * application is shutting down). Details: {@code runner}, {@code storage}, {@code durable} and
 * {@code reason}.</li>
 * <li>{@code DOWN} when the storage cannot be read, such as a database that cannot be reached.
 * Details: {@code runner}, {@code storage}, {@code durable} and {@code error} (the exception's class
 * and message). How long a check waits for an unreachable database is up to the connection pool
 * (Hikari's {@code connectionTimeout}, 30 seconds by default).</li>
 * </ul>
 *
 * <p>To let the readiness probe depend on it, add it to the readiness group:
 * {@code management.endpoint.health.group.readiness.include=readinessState,hephaestus}.
 *
 * @since 0.1.0
 */
public final class HephaestusHealthIndicator implements HealthIndicator {

    private static final Logger logger = LoggerFactory.getLogger(HephaestusHealthIndicator.class);

    private final Runner runner;

    private final HephaestusRunnerDetails runnerDetails;

    /** Whether the last health check could not read the storage, so that an outage logs one WARN. */
    private volatile boolean storageFailing;

    /**
     * Create an indicator for the given runner, whose {@code type} is {@code local} for a
     * {@link LocalRunner} and the runner's class name otherwise.
     * @param runner the runner to report on
     */
    public HephaestusHealthIndicator(Runner runner) {
        this(runner, () -> Map.of("type", (runner instanceof LocalRunner) ? "local" : runner.getClass().getName()));
    }

    /**
     * Create an indicator for the given runner.
     * @param runner the runner to report on
     * @param runnerDetails the details of the kind of runner, including its {@code type}
     */
    public HephaestusHealthIndicator(Runner runner, HephaestusRunnerDetails runnerDetails) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.runnerDetails = Objects.requireNonNull(runnerDetails, "runnerDetails");
    }

    @Override
    public Health health() {
        Storage storage = this.runner.storage();
        if (!this.runner.isAccepting()) {
            return Health.down().withDetail("runner", this.runner.name())
                .withDetails(this.runnerDetails.details())
                .withDetail("storage", storage.name())
                .withDetail("durable", storage.isDurable())
                .withDetail("reason", "runner '" + this.runner.name() + "' no longer accepts work")
                .build();
        }
        Map<Status, Long> counts;
        try {
            counts = storage.countByStatus("");
        }
        catch (RuntimeException ex) {
            // One WARN when the storage becomes unreadable (health is polled, often every few seconds);
            // the stack trace, and the repeats, at DEBUG.
            if (!this.storageFailing) {
                this.storageFailing = true;
                logger.warn("Hephaestus health check failed: storage '{}' cannot be read: {}", storage.name(),
                        ex.getMessage());
            }
            logger.debug("Hephaestus health check failed: storage '{}' cannot be read", storage.name(), ex);
            return Health.down(ex)
                .withDetail("runner", this.runner.name())
                .withDetails(this.runnerDetails.details())
                .withDetail("storage", storage.name())
                .withDetail("durable", storage.isDurable())
                .build();
        }
        if (this.storageFailing) {
            this.storageFailing = false;
            logger.info("Hephaestus health check: storage '{}' can be read again", storage.name());
        }
        Map<String, Long> instances = new LinkedHashMap<>();
        for (Status status : Status.values()) {
            instances.put(status.value(), counts.getOrDefault(status, 0L));
        }
        return Health.up().withDetail("runner", this.runner.name())
            .withDetails(this.runnerDetails.details())
            .withDetail("storage", storage.name())
            .withDetail("durable", storage.isDurable())
            .withDetail("instances", instances)
            .withDetail("workflows", this.runner.registry().names().size())
            .build();
    }
}
