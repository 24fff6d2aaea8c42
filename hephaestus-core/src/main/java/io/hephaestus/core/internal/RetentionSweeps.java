package io.hephaestus.core.internal;

import java.time.Instant;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hephaestus.core.runtime.Storage;

/**
 * The retention sweep of the runners: delete the instances that finished before a cutoff, in
 * batches, logging what was done. Not API.
 */
public final class RetentionSweeps {

    /** How many finished instances one storage call of a sweep deletes at most. */
    public static final int BATCH = 1_000;

    private static final Logger logger = LoggerFactory.getLogger("io.hephaestus.core.runtime.RetentionSweep");

    private RetentionSweeps() {
    }

    /**
     * Delete the instances that finished before {@code cutoff}, {@value #BATCH} per storage call,
     * while {@code running} says so.
     * @param storage the storage
     * @param cutoff instances that finished before it are deleted
     * @param runner the runner's name, for the log lines
     * @param running whether to go on with another batch
     * @return {@code false} if the storage cannot delete finished instances, so that sweeping again
     * is pointless; {@code true} otherwise, also when this sweep failed (the next one may succeed)
     */
    public static boolean sweep(Storage storage, Instant cutoff, String runner, BooleanSupplier running) {
        int total = 0;
        try {
            int deleted;
            do {
                deleted = storage.deleteFinishedBefore(cutoff, BATCH);
                total += deleted;
            }
            while (deleted == BATCH && running.getAsBoolean());
            logger.debug("Retention sweep of runner '{}' deleted {} instances that finished before {}", runner, total,
                    cutoff);
            return true;
        }
        catch (UnsupportedOperationException ex) {
            logger.warn("Storage '{}' cannot delete finished instances; runner '{}' keeps them: {}", storage.name(),
                    runner, ex.getMessage());
            return false;
        }
        catch (RuntimeException ex) {
            logger.warn("Retention sweep of runner '{}' failed after deleting {} instances: {}", runner, total,
                    ex.getMessage());
            return true;
        }
    }
}
