package io.hephaestus.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.kagkarlsson.scheduler.task.Execution;

/**
 * The rows of step task executions whose run has ended, removed from db-scheduler's table in
 * batches (one round trip for many) rather than one by one when each execution ends.
 *
 * <p>Until it is removed, such a row stays picked by this node without heartbeats. No task of an
 * ended run is scheduled again (its run id is never reused), so the row keeps nothing from
 * running; if this node dies first, db-scheduler runs the execution again on another node after
 * the dead-execution window, which finds the run ended and does nothing, and removes the row.
 * A row is removed only at the version its execution had, as db-scheduler removes it. If a batch
 * removes no row at all, or the table cannot be found, the table is not the scheduler's (a
 * {@code tableName} that names another table): removals stop, with a warning, and db-scheduler
 * removes each row again; the rows of that batch are run again after the dead-execution window
 * and removed then.
 */
final class DeferredRemovals {

    private static final Logger logger = LoggerFactory.getLogger(DeferredRemovals.class);

    /** How many rows one statement batch removes at most. */
    private static final int BATCH = 500;

    /** How many rows may wait at most; beyond that, executions remove their rows themselves. */
    private static final int MAX_PENDING = 50_000;

    private final DataSource dataSource;

    private final String delete;

    private final ConcurrentLinkedQueue<Execution> pending = new ConcurrentLinkedQueue<>();

    private final AtomicInteger size = new AtomicInteger();

    private volatile boolean open = true;

    /** Whether the last flush failed (the database is down): later failures are logged at debug level. */
    private volatile boolean failing;

    DeferredRemovals(DataSource dataSource, String tableName) {
        this.dataSource = dataSource;
        this.delete = "DELETE FROM " + ClusterSchema.requireValidTableName(tableName)
                + " WHERE task_name = ? AND task_instance = ? AND version = ?";
    }

    /**
     * Queue the removal of an execution's row.
     * @return false if it is not queued (closed, or too many wait): the caller removes it
     */
    boolean offer(Execution execution) {
        if (!this.open || this.size.get() >= MAX_PENDING) {
            return false;
        }
        this.pending.add(execution);
        this.size.incrementAndGet();
        return true;
    }

    /**
     * Remove the queued rows, in batches. Rows that could not be removed (the database is down)
     * wait for the next flush.
     */
    void flush() {
        while (true) {
            List<Execution> batch = new ArrayList<>();
            for (Execution execution; batch.size() < BATCH && (execution = this.pending.poll()) != null;) {
                batch.add(execution);
            }
            if (batch.isEmpty()) {
                return;
            }
            this.size.addAndGet(-batch.size());
            int removed;
            try {
                removed = remove(batch);
            }
            catch (SQLException ex) {
                if (ex.getSQLState() != null && ex.getSQLState().startsWith("42")) {
                    stop("cannot delete from it (" + ex.getMessage() + ")");
                    return;
                }
                failed(batch, ex);
                return;
            }
            catch (RuntimeException ex) {
                failed(batch, ex);
                return;
            }
            if (this.failing) {
                this.failing = false;
                logger.info("Rows of finished step tasks are removed again");
            }
            if (removed == 0) {
                stop("a batch of " + batch.size() + " rows of finished step tasks removed none");
                return;
            }
        }
    }

    /**
     * Remove what is queued, and queue nothing more.
     */
    void close() {
        this.open = false;
        flush();
    }

    /**
     * Return how many rows wait for removal.
     */
    int pending() {
        return this.size.get();
    }

    private void failed(List<Execution> batch, Exception ex) {
        if (!this.failing) {
            this.failing = true;
            logger.warn("Could not remove {} rows of finished step tasks: {}; trying again every flush", batch.size(),
                    ex.getMessage());
        }
        else {
            logger.debug("Could not remove {} rows of finished step tasks: {}", batch.size(), ex.getMessage());
        }
        if (this.open) {
            batch.forEach(this::offer);
        }
    }

    private void stop(String why) {
        this.open = false;
        this.pending.clear();
        this.size.set(0);
        logger.warn("Removing the rows of finished step tasks in batches stops: {}; is the runner's tableName the table of "
                + "its db-scheduler Scheduler? db-scheduler removes each row from now on; rows left are run again after "
                + "the dead-execution window and removed then", why);
    }

    /**
     * Return whether rows are still removed in batches.
     */
    boolean isOpen() {
        return this.open;
    }

    /**
     * Delete the rows of a batch.
     * @return how many rows were deleted, or a positive number when the driver does not tell
     */
    private int remove(List<Execution> batch) throws SQLException {
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(this.delete)) {
            for (Execution execution : batch) {
                statement.setString(1, execution.getTaskName());
                statement.setString(2, execution.getId());
                statement.setLong(3, execution.version);
                statement.addBatch();
            }
            int[] counts = statement.executeBatch();
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            int removed = 0;
            for (int count : counts) {
                if (count == Statement.SUCCESS_NO_INFO) {
                    return batch.size();
                }
                removed += Math.max(0, count);
            }
            return removed;
        }
    }
}
