package io.hephaestus.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.engine.Timer;
import io.hephaestus.core.runtime.CreateResult;
import io.hephaestus.core.runtime.InstanceNotFoundException;
import io.hephaestus.core.runtime.InstanceQuery;
import io.hephaestus.core.runtime.StaleInstanceException;
import io.hephaestus.core.runtime.Storage;
import io.hephaestus.core.runtime.StorageException;
import io.hephaestus.core.runtime.StorageUnavailableException;

/**
 * {@link JdbcStorage} is a durable {@link Storage} on a relational database, PostgreSQL or H2, over
 * plain JDBC: instances survive restarts and can be shared by several runners on one database.
 *
 * <pre>{@code
 * JdbcSchema.apply(dataSource);                    // or Flyway/Liquibase, or Spring Boot's initializer
 * Storage storage = JdbcStorage.builder(dataSource).build();
 * }</pre>
 *
 * <p><strong>Table.</strong> One row per run, keyed by run id (see {@link JdbcSchema} for the
 * scripts): the snapshot of the instance as JSON ({@link InstanceJson}; {@code jsonb} on
 * PostgreSQL), and the columns queries use: business id, workflow, version, status, a creation
 * sequence ({@code seq}, which orders queries newest first), created and updated time, the due time
 * of the instance's soonest timer, the time it finished, its revision and its uniqueness key.
 *
 * <p><strong>Writes.</strong> {@link #update} is one {@code UPDATE … WHERE run_id = ? AND
 * revision = ?}: no row changed means a {@link StaleInstanceException} (or an
 * {@link InstanceNotFoundException} when the row is gone), never a lost write. {@link #create}
 * inserts only if no active run holds the business id in the scope, in one statement
 * ({@code INSERT … SELECT … WHERE NOT EXISTS}), after taking a lock on the business id: a
 * transaction-scoped advisory lock on PostgreSQL, sent with the insert in one round trip and one
 * implicit transaction, so concurrent starts on any number of nodes are serialized at the cost of
 * one round trip and one commit; and a lock in this JVM on H2. A unique index over the uniqueness key of active runs
 * (the id; the workflow and id; or the workflow, version and id, for the global, workflow and
 * version scopes) enforces each scope in the database as well; a start that still violates it gets
 * the run that holds the key.
 *
 * <p><strong>Reads.</strong> A query is a single statement, so it reads one consistent snapshot of
 * the table: each instance at most once, none that matched throughout missed. A query for several
 * statuses is a {@code UNION ALL} of one index range per status merged newest first, so each part
 * reads at most the limit from its index.
 *
 * <p><strong>Errors.</strong> A database that cannot be reached gives a
 * {@link StorageUnavailableException} whose message says so; any other database error a
 * {@link StorageException}, naming a missing table and the script that creates it. A value the
 * snapshot cannot hold is an {@link io.hephaestus.core.InvalidValueException} and nothing is
 * written. A stored snapshot that cannot be read is a {@code StorageException} naming the run.
 *
 * <p><strong>Threading.</strong> Thread-safe; every call borrows a connection from the data source
 * for its duration and may block on the database, so give the pool at least as many connections as
 * the runner has threads.
 *
 * @since 0.1.0
 */
public final class JdbcStorage implements Storage {

    private static final Logger logger = LoggerFactory.getLogger(JdbcStorage.class);

    private static final String ACTIVE = "('pending', 'running', 'waiting')";

    private static final String FINISHED = "('completed', 'failed', 'cancelled')";

    private static final String COLUMNS = "run_id, business_id, workflow, workflow_version, status, uniqueness_key, "
            + "revision, created_at, updated_at, next_timer_due, finished_at, snapshot";

    private static final int LOCAL_LOCK_STRIPES = 64;

    private static final int MAX_CREATE_ATTEMPTS = 10;

    /**
     * The default of {@link Builder#groupCommit(int)}: 1, every update in a transaction of its own.
     * Grouping is an option because it pays only when many updates are written at once, which takes
     * a runner with writer threads ({@code LocalRunner.Builder.writerThreads}), and it makes each
     * update wait for its group (see {@code docs/benchmarks.md}).
     */
    public static final int DEFAULT_GROUP_COMMIT = 1;

    /** The default of {@link Builder#concurrentGroups(int)}. */
    public static final int DEFAULT_CONCURRENT_GROUPS = 2;

    private static final Status[] STATUSES = Status.values();

    /** Lock stripes of embedded databases, by database URL and table, shared by every storage of this JVM. */
    private static final ConcurrentHashMap<String, Object[]> LOCAL_LOCKS = new ConcurrentHashMap<>();

    private final DataSource dataSource;

    private final JdbcDialect dialect;

    private final String table;

    private final Object @Nullable [] localLocks;

    private final String snapshotParameter;

    private final String insertSql;

    private final String updateSql;

    /** The most updates written in one transaction; 1 writes each update by itself. */
    private final int maxGroupSize;

    /** Updates waiting to be written in a group, oldest first; also the lock of the grouping. */
    private final ArrayDeque<GroupedUpdate> group = new ArrayDeque<>();

    /** The most groups written at once. */
    private final int maxGroupWriters;

    /** How many threads are writing a group now (guarded by {@link #group}). */
    private int groupWriters;

    /** The statement of {@link #insertUnlessConflict} for each scope but {@code NONE}. */
    private final Map<UniquenessScope, String> createSql = new EnumMap<>(UniquenessScope.class);

    private JdbcStorage(DataSource dataSource, JdbcDialect dialect, String table, @Nullable String url,
            int maxGroupSize, int maxGroupWriters) {
        this.dataSource = dataSource;
        this.maxGroupSize = maxGroupSize;
        this.maxGroupWriters = maxGroupWriters;
        this.dialect = dialect;
        this.table = table;
        this.localLocks = (dialect == JdbcDialect.POSTGRESQL || url == null) ? null
                : LOCAL_LOCKS.computeIfAbsent(url + "|" + table, (key) -> newStripes());
        this.snapshotParameter = (dialect == JdbcDialect.POSTGRESQL) ? "CAST(? AS JSONB)" : "?";
        this.insertSql = "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + this.snapshotParameter + ")";
        this.updateSql = "UPDATE " + table + " SET status = ?, revision = ?, updated_at = ?, next_timer_due = ?, "
                + "finished_at = ?, snapshot = " + this.snapshotParameter + ", "
                + "uniqueness_key = CASE WHEN ? THEN uniqueness_key ELSE NULL END "
                + "WHERE run_id = ? AND revision = ? AND business_id = ? AND workflow = ? AND workflow_version = ?";
        String lock = (dialect == JdbcDialect.POSTGRESQL) ? "SELECT pg_advisory_xact_lock(?); " : "";
        for (UniquenessScope scope : UniquenessScope.values()) {
            if (scope != UniquenessScope.NONE) {
                this.createSql.put(scope, lock + insertUnlessConflictSql(scope));
            }
        }
    }

    /**
     * Return a builder of a storage on the given database.
     * @param dataSource the database, PostgreSQL or H2; pooled in production
     * @return a new builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * Return the dialect of the database.
     * @return the dialect
     */
    public JdbcDialect dialect() {
        return this.dialect;
    }

    /**
     * Return the table the instances are stored in.
     * @return the table name, as configured
     */
    public String tableName() {
        return this.table;
    }

    /**
     * Return {@code jdbc-postgresql} or {@code jdbc-h2}.
     * @return the name
     */
    @Override
    public String name() {
        return "jdbc-" + this.dialect.platform();
    }

    /**
     * {@inheritDoc}
     * @throws IllegalArgumentException if the revision is not 0, or the run id is already stored
     * @throws io.hephaestus.core.InvalidValueException if a value of the instance cannot be stored
     */
    @Override
    public CreateResult create(Instance instance, UniquenessScope scope) {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(scope, "scope");
        if (instance.revision() != 0) {
            throw new IllegalArgumentException("a new instance must have revision 0, run " + instance.runId()
                    + " has revision " + instance.revision());
        }
        Instance stored = instance.withRevision(1);
        String snapshot = InstanceJson.write(stored);
        if (scope == UniquenessScope.NONE) {
            return createWithoutUniqueness(stored, snapshot);
        }
        Object[] stripes = this.localLocks;
        if (stripes == null) {
            return createUnique(stored, scope, snapshot);
        }
        synchronized (stripes[Math.floorMod(instance.id().hashCode(), stripes.length)]) {
            return createUnique(stored, scope, snapshot);
        }
    }

    private CreateResult createWithoutUniqueness(Instance stored, String snapshot) {
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(this.insertSql)) {
            bindRow(insert, 1, stored, null, snapshot);
            insert.executeUpdate();
            return new CreateResult.Created(stored);
        }
        catch (SQLException ex) {
            if (JdbcErrors.isUniqueViolation(ex)) {
                throw duplicateRunId(stored);
            }
            throw failure("creating run " + stored.runId(), ex);
        }
    }

    private CreateResult createUnique(Instance stored, UniquenessScope scope, String snapshot) {
        String key = uniquenessKey(stored, scope);
        for (int attempt = 1; attempt <= MAX_CREATE_ATTEMPTS; attempt++) {
            CreateResult result;
            try (Connection connection = this.dataSource.getConnection()) {
                result = insertUnlessConflict(connection, stored, scope, key, snapshot);
            }
            catch (SQLException ex) {
                if (!JdbcErrors.isUniqueViolation(ex)) {
                    throw failure("creating run " + stored.runId(), ex);
                }
                // The run id is taken, or a start that did not take our lock holds the key.
                if (get(stored.runId()).isPresent()) {
                    throw duplicateRunId(stored);
                }
                result = activeHolderOf(key).map(CreateResult.Conflict::new).orElse(null);
            }
            if (result != null) {
                return result;
            }
            // The run that held the id finished between the insert and the read: try again.
        }
        throw new StorageException("JDBC storage could not create run " + stored.runId() + " of " + stored.id()
                + ": the active run holding its id kept changing in " + MAX_CREATE_ATTEMPTS + " attempts");
    }

    /**
     * Insert unless an active run holds the business id in the scope, in one round trip and in
     * auto-commit: on PostgreSQL the statement is preceded, in the same implicit transaction, by a
     * transaction-scoped advisory lock on the business id, so the {@code NOT EXISTS} of the insert
     * (which takes its snapshot after the lock) sees every start of the id in any scope that
     * committed before; on H2 the caller holds this JVM's lock. Return what happened, or null if the
     * conflicting run finished before it could be read.
     */
    private @Nullable CreateResult insertUnlessConflict(Connection connection, Instance stored,
            UniquenessScope scope, String key, String snapshot) throws SQLException {
        int inserted;
        try (PreparedStatement insert = connection.prepareStatement(this.createSql.get(scope))) {
            int next = 1;
            if (this.dialect == JdbcDialect.POSTGRESQL) {
                insert.setLong(next++, lockKey(this.table, stored.id()));
            }
            next = bindRow(insert, next, stored, key, snapshot);
            bindConflict(insert, next, stored, scope);
            inserted = insert.execute() ? updateCountAfterLock(insert) : insert.getUpdateCount();
        }
        if (inserted == 1) {
            return new CreateResult.Created(stored);
        }
        if (read(connection, "SELECT snapshot FROM " + this.table + " WHERE run_id = ?", stored.runId()).isPresent()) {
            throw duplicateRunId(stored);
        }
        return readConflict(connection, stored, scope).map(CreateResult.Conflict::new).orElse(null);
    }

    /**
     * Return the update count of the insert that follows the lock's result set.
     */
    private static int updateCountAfterLock(PreparedStatement statement) throws SQLException {
        while (statement.getMoreResults() || statement.getUpdateCount() != -1) {
            int count = statement.getUpdateCount();
            if (count != -1) {
                return count;
            }
        }
        throw new SQLException("the insert of a new run returned no update count");
    }

    private String insertUnlessConflictSql(UniquenessScope scope) {
        String json = (this.dialect == JdbcDialect.POSTGRESQL) ? "JSONB" : "CHARACTER LARGE OBJECT";
        return "INSERT INTO " + this.table + " (" + COLUMNS + ") SELECT CAST(? AS VARCHAR), CAST(? AS VARCHAR), "
                + "CAST(? AS VARCHAR), CAST(? AS INTEGER), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BIGINT), "
                + "CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS TIMESTAMP WITH TIME ZONE), "
                + "CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS " + json + ") "
                + "WHERE NOT EXISTS (SELECT 1 FROM " + this.table + " WHERE " + conflictCondition(scope) + ")";
    }

    private static String conflictCondition(UniquenessScope scope) {
        String condition = "business_id = ? AND status IN " + ACTIVE;
        return switch (scope) {
            case GLOBAL -> condition;
            case WORKFLOW -> condition + " AND workflow = ?";
            case VERSION -> condition + " AND workflow = ? AND workflow_version = ?";
            case NONE -> throw new IllegalArgumentException("the NONE scope has no conflicts");
        };
    }

    private static void bindConflict(PreparedStatement statement, int first, Instance instance, UniquenessScope scope)
            throws SQLException {
        statement.setString(first, instance.id());
        if (scope != UniquenessScope.GLOBAL) {
            statement.setString(first + 1, instance.workflow());
        }
        if (scope == UniquenessScope.VERSION) {
            statement.setInt(first + 2, instance.workflowVersion());
        }
    }

    private Optional<Instance> readConflict(Connection connection, Instance instance, UniquenessScope scope)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT snapshot FROM " + this.table + " WHERE "
                + conflictCondition(scope) + " ORDER BY seq DESC LIMIT 1")) {
            bindConflict(select, 1, instance, scope);
            return readOne(select);
        }
    }

    private Optional<Instance> activeHolderOf(String key) {
        try (Connection connection = this.dataSource.getConnection()) {
            return read(connection, "SELECT snapshot FROM " + this.table + " WHERE uniqueness_key = ? AND status IN "
                    + ACTIVE, key);
        }
        catch (SQLException ex) {
            throw failure("reading the run that holds uniqueness key " + key, ex);
        }
    }

    /**
     * {@inheritDoc}
     * @throws IllegalArgumentException if the snapshot changes the business id, workflow or version of
     * its run
     * @throws io.hephaestus.core.InvalidValueException if a value of the instance cannot be stored
     */
    @Override
    public Instance update(Instance instance) {
        Objects.requireNonNull(instance, "instance");
        Instance next = instance.withRevision(instance.revision() + 1);
        String snapshot = InstanceJson.write(next);
        if (this.maxGroupSize <= 1) {
            return updateAlone(instance, next, snapshot);
        }
        GroupedUpdate update = new GroupedUpdate(instance, next, snapshot);
        boolean lead;
        synchronized (this.group) {
            lead = this.groupWriters < this.maxGroupWriters;
            if (lead) {
                this.groupWriters++;
            }
            else {
                this.group.add(update);
            }
        }
        if (lead || update.awaitTurn() == GroupedUpdate.LEAD) {
            writeGroup(update);
        }
        return update.outcome(this);
    }

    /**
     * Return how many updates wait to be written in a group now (for tests).
     */
    int queuedUpdates() {
        synchronized (this.group) {
            return this.group.size();
        }
    }

    private Instance updateAlone(Instance instance, Instance next, String snapshot) {
        try (Connection connection = this.dataSource.getConnection()) {
            int updated;
            try (PreparedStatement update = connection.prepareStatement(this.updateSql)) {
                bindUpdate(update, instance, next, snapshot);
                updated = update.executeUpdate();
            }
            if (updated == 1) {
                return next;
            }
            throw whyNotUpdated(connection, instance);
        }
        catch (SQLException ex) {
            throw failure("updating run " + instance.runId(), ex);
        }
    }

    private void bindUpdate(PreparedStatement update, Instance instance, Instance next, String snapshot)
            throws SQLException {
        update.setString(1, next.status().value());
        update.setLong(2, next.revision());
        bindTime(update, 3, next.updatedAt());
        bindTime(update, 4, nextTimerDue(next));
        bindTime(update, 5, finishedAt(next));
        update.setString(6, snapshot);
        update.setBoolean(7, next.status().isActive());
        update.setString(8, next.runId());
        update.setLong(9, instance.revision());
        update.setString(10, next.id());
        update.setString(11, next.workflow());
        update.setInt(12, next.workflowVersion());
    }

    /**
     * Write an update and those queued so far, up to the group size, as one JDBC batch in one
     * transaction; then hand the writing to the oldest update still queued, if any (its thread writes
     * the next group), and wake every caller of the group.
     */
    private void writeGroup(GroupedUpdate own) {
        List<GroupedUpdate> batch = new ArrayList<>();
        batch.add(own);
        synchronized (this.group) {
            while (batch.size() < this.maxGroupSize && !this.group.isEmpty()) {
                batch.add(this.group.poll());
            }
        }
        try {
            if (batch.size() == 1) {
                GroupedUpdate only = batch.get(0);
                try (Connection connection = this.dataSource.getConnection();
                        PreparedStatement update = connection.prepareStatement(this.updateSql)) {
                    bindUpdate(update, only.instance, only.next, only.snapshot);
                    only.count = update.executeUpdate();
                }
            }
            else {
                writeBatch(batch);
            }
        }
        catch (SQLException | RuntimeException ex) {
            StorageException failure = (ex instanceof SQLException sql) ? failure("updating " + batch.size()
                    + " runs in one transaction (run " + batch.get(0).instance.runId() + " first)", sql)
                    : new StorageException("JDBC storage failed while updating " + batch.size()
                            + " runs in one transaction: " + ex, ex);
            for (GroupedUpdate update : batch) {
                update.failure = failure;
            }
        }
        finally {
            synchronized (this.group) {
                GroupedUpdate next = this.group.poll();
                if (next == null) {
                    this.groupWriters--;
                }
                else {
                    // Its thread writes the next group, its own update first.
                    next.wake(GroupedUpdate.LEAD);
                }
            }
            for (GroupedUpdate update : batch) {
                update.wake(GroupedUpdate.DONE);
            }
        }
    }

    private void writeBatch(List<GroupedUpdate> batch) throws SQLException {
        try (Connection connection = this.dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                int[] counts;
                try (PreparedStatement update = connection.prepareStatement(this.updateSql)) {
                    for (GroupedUpdate grouped : batch) {
                        bindUpdate(update, grouped.instance, grouped.next, grouped.snapshot);
                        update.addBatch();
                    }
                    counts = update.executeBatch();
                }
                if (counts.length != batch.size()) {
                    throw new SQLException("the driver returned " + counts.length + " update counts for a batch of "
                            + batch.size() + " updates");
                }
                connection.commit();
                // Acknowledged only now that the transaction is committed.
                for (int i = 0; i < counts.length; i++) {
                    batch.get(i).count = counts[i];
                }
            }
            catch (SQLException | RuntimeException ex) {
                rollback(connection);
                throw ex;
            }
            finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private RuntimeException whyNotUpdated(Connection connection, Instance instance) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT business_id, workflow, workflow_version, "
                + "revision FROM " + this.table + " WHERE run_id = ?")) {
            select.setString(1, instance.runId());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return new InstanceNotFoundException("no instance with run id " + instance.runId());
                }
                String id = row.getString(1);
                String workflow = row.getString(2);
                int version = row.getInt(3);
                long revision = row.getLong(4);
                if (!id.equals(instance.id()) || !workflow.equals(instance.workflow())
                        || version != instance.workflowVersion()) {
                    return new IllegalArgumentException("run " + instance.runId() + " cannot change its id, workflow "
                            + "or version: stored id " + id + " of " + workflow + " v" + version + ", given id "
                            + instance.id() + " of " + instance.workflow() + " v" + instance.workflowVersion());
                }
                return new StaleInstanceException("instance " + instance.id() + " (run " + instance.runId()
                        + ") is stale: expected revision " + instance.revision() + " but the stored revision is "
                        + revision);
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Optional<Instance> get(String runId) {
        Objects.requireNonNull(runId, "runId");
        try (Connection connection = this.dataSource.getConnection()) {
            return read(connection, "SELECT snapshot FROM " + this.table + " WHERE run_id = ?", runId);
        }
        catch (SQLException ex) {
            throw failure("reading run " + runId, ex);
        }
    }

    /**
     * {@inheritDoc}
     * <p>The list is unmodifiable.
     */
    @Override
    public List<Instance> query(InstanceQuery query) {
        Objects.requireNonNull(query, "query");
        Sql sql = querySql(query);
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql.text())) {
            sql.bind(select);
            List<Instance> result = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    result.add(decode(rows.getString(1)));
                }
            }
            return Collections.unmodifiableList(result);
        }
        catch (SQLException ex) {
            throw failure("querying instances", ex);
        }
    }

    /**
     * Return the statement of a query and its parameters.
     */
    Sql querySql(InstanceQuery query) {
        List<Object> parameters = new ArrayList<>();
        if (!query.id().isEmpty()) {
            StringBuilder text = new StringBuilder("SELECT snapshot FROM ").append(this.table)
                .append(" WHERE business_id = ?");
            parameters.add(query.id());
            appendWorkflowAndVersion(text, parameters, query, " AND ");
            if (!query.statuses().isEmpty()) {
                text.append(" AND status IN ").append(literals(query.statuses()));
            }
            text.append(" ORDER BY seq DESC LIMIT ?");
            parameters.add(query.limit());
            return new Sql(text.toString(), parameters);
        }
        if (query.statuses().size() == 1 || this.dialect == JdbcDialect.H2) {
            // H2 keeps the first LIMIT of a cached statement in UNION branches, and is small anyway.
            StringBuilder text = new StringBuilder("SELECT snapshot FROM ").append(this.table).append(" WHERE ");
            if (query.statuses().size() == 1) {
                appendStatusRange(text, parameters, query, query.statuses().iterator().next());
            }
            else {
                text.append(query.statuses().isEmpty() ? "1 = 1" : "status IN " + literals(query.statuses()));
                appendWorkflowAndVersion(text, parameters, query, " AND ");
            }
            return new Sql(text.append(" ORDER BY seq DESC LIMIT ?").toString(), append(parameters, query.limit()));
        }
        // One index range per status, each cut at the limit, merged newest first.
        StringBuilder text = new StringBuilder("SELECT snapshot FROM (");
        String separator = "";
        for (Status status : STATUSES) {
            if (query.statuses().isEmpty() || query.statuses().contains(status)) {
                text.append(separator).append("(SELECT seq, snapshot FROM ").append(this.table).append(" WHERE ");
                appendStatusRange(text, parameters, query, status);
                text.append(" ORDER BY seq DESC LIMIT ?)");
                parameters.add(query.limit());
                separator = " UNION ALL ";
            }
        }
        text.append(") runs ORDER BY seq DESC LIMIT ?");
        return new Sql(text.toString(), append(parameters, query.limit()));
    }

    private static void appendStatusRange(StringBuilder text, List<Object> parameters, InstanceQuery query,
            Status status) {
        if (!query.workflow().isEmpty()) {
            text.append("workflow = ? AND ");
            parameters.add(query.workflow());
        }
        text.append("status = '").append(status.value()).append('\'');
        if (query.version() != 0) {
            text.append(" AND workflow_version = ?");
            parameters.add(query.version());
        }
    }

    private static void appendWorkflowAndVersion(StringBuilder text, List<Object> parameters, InstanceQuery query,
            String and) {
        if (!query.workflow().isEmpty()) {
            text.append(and).append("workflow = ?");
            parameters.add(query.workflow());
        }
        if (query.version() != 0) {
            text.append(and).append("workflow_version = ?");
            parameters.add(query.version());
        }
    }

    private static List<Object> append(List<Object> parameters, Object parameter) {
        parameters.add(parameter);
        return parameters;
    }

    private static String literals(Set<Status> statuses) {
        StringBuilder list = new StringBuilder("(");
        for (Status status : STATUSES) {
            if (statuses.contains(status)) {
                list.append((list.length() > 1) ? ", '" : "'").append(status.value()).append('\'');
            }
        }
        return list.append(')').toString();
    }

    /**
     * {@inheritDoc}
     * <p>One {@code GROUP BY} over the status index of the workflow (or of every workflow), which
     * PostgreSQL reads with an index-only scan.
     */
    @Override
    public Map<Status, Long> countByStatus(String workflow) {
        Sql sql = countSql(workflow);
        Map<Status, Long> counts = new EnumMap<>(Status.class);
        for (Status status : STATUSES) {
            counts.put(status, 0L);
        }
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql.text())) {
            sql.bind(select);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.put(Status.parse(rows.getString(1)), rows.getLong(2));
                }
            }
        }
        catch (SQLException ex) {
            throw failure("counting instances", ex);
        }
        return Collections.unmodifiableMap(counts);
    }

    /**
     * Return the statement that counts instances by status, and its parameters.
     */
    Sql countSql(String workflow) {
        Objects.requireNonNull(workflow, "workflow");
        if (workflow.isEmpty()) {
            return new Sql("SELECT status, COUNT(*) FROM " + this.table + " GROUP BY status", List.of());
        }
        return new Sql("SELECT status, COUNT(*) FROM " + this.table + " WHERE workflow = ? GROUP BY status",
                List.of(workflow));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean delete(String runId) {
        Objects.requireNonNull(runId, "runId");
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM " + this.table
                        + " WHERE run_id = ?")) {
            delete.setString(1, runId);
            return delete.executeUpdate() > 0;
        }
        catch (SQLException ex) {
            throw failure("deleting run " + runId, ex);
        }
    }

    /**
     * {@inheritDoc}
     * <p>One statement that deletes the oldest rows of the index of finished runs; on PostgreSQL it
     * skips rows another sweep has locked ({@code FOR UPDATE SKIP LOCKED}) instead of waiting.
     */
    @Override
    public int deleteFinishedBefore(Instant cutoff, int limit) {
        Objects.requireNonNull(cutoff, "cutoff");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        String sql = "DELETE FROM " + this.table + " WHERE run_id IN (SELECT run_id FROM " + this.table
                + " WHERE finished_at < ? AND status IN " + FINISHED + " ORDER BY finished_at LIMIT ?"
                + ((this.dialect == JdbcDialect.POSTGRESQL) ? " FOR UPDATE SKIP LOCKED)" : ")");
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(sql)) {
            setInstant(delete, 1, clamp(cutoff));
            delete.setInt(2, limit);
            int deleted = delete.executeUpdate();
            if (deleted > 0) {
                logger.debug("Deleted {} instances that finished before {} from {}", deleted, cutoff, this.table);
            }
            return deleted;
        }
        catch (SQLException ex) {
            throw failure("deleting instances finished before " + cutoff, ex);
        }
    }

    /**
     * Bind the columns of {@link #COLUMNS} from {@code first}; return the next parameter index.
     */
    private int bindRow(PreparedStatement statement, int first, Instance instance, @Nullable String key,
            String snapshot) throws SQLException {
        int i = first;
        statement.setString(i++, instance.runId());
        statement.setString(i++, instance.id());
        statement.setString(i++, instance.workflow());
        statement.setInt(i++, instance.workflowVersion());
        statement.setString(i++, instance.status().value());
        if (key != null && instance.status().isActive()) {
            statement.setString(i++, key);
        }
        else {
            statement.setNull(i++, Types.VARCHAR);
        }
        statement.setLong(i++, instance.revision());
        bindTime(statement, i++, instance.createdAt());
        bindTime(statement, i++, instance.updatedAt());
        bindTime(statement, i++, nextTimerDue(instance));
        bindTime(statement, i++, finishedAt(instance));
        statement.setString(i++, snapshot);
        return i;
    }

    /**
     * Bind a timestamp of a row. On PostgreSQL it is sent as text of unspecified type, which the
     * server reads as the column's {@code timestamptz}: the driver's own binding of an
     * {@code OffsetDateTime} formats it through {@code java.time.format}, a tenth of the JVM's CPU
     * time of a write.
     */
    private void bindTime(PreparedStatement statement, int index, @Nullable Instant instant) throws SQLException {
        String text = (instant != null && this.dialect == JdbcDialect.POSTGRESQL) ? Timestamps.postgresql(instant)
                : null;
        if (text != null) {
            statement.setObject(index, text, Types.OTHER);
        }
        else {
            setInstant(statement, index, instant);
        }
    }

    private static void setInstant(PreparedStatement statement, int index, @Nullable Instant instant)
            throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        }
        else {
            statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
    }

    /** Keep an instant within the range of SQL timestamps (such as {@link Instant#MAX} as a cutoff). */
    private static Instant clamp(Instant instant) {
        Instant min = Instant.parse("-4712-01-01T00:00:00Z");
        Instant max = Instant.parse("9999-12-31T23:59:59Z");
        return instant.isBefore(min) ? min : instant.isAfter(max) ? max : instant;
    }

    /**
     * Return the due time of the soonest timer of an instance, or null without timers.
     * @param instance the instance
     * @return the value of the {@code next_timer_due} column
     */
    static @Nullable Instant nextTimerDue(Instance instance) {
        Instant soonest = null;
        for (Timer timer : instance.timers().values()) {
            if (soonest == null || timer.dueAt().isBefore(soonest)) {
                soonest = timer.dueAt();
            }
        }
        return soonest;
    }

    /**
     * Return when an instance finished (its last update, once terminal), or null while active.
     * @param instance the instance
     * @return the value of the {@code finished_at} column
     */
    static @Nullable Instant finishedAt(Instance instance) {
        return instance.status().isTerminal() ? instance.updatedAt() : null;
    }

    /**
     * Return the uniqueness key of an instance in a scope: the values that must not be shared by two
     * active runs, each prefixed so that keys of different scopes never collide.
     * @param instance the instance
     * @param scope any scope but {@code NONE}
     * @return the key
     */
    static String uniquenessKey(Instance instance, UniquenessScope scope) {
        return switch (scope) {
            case GLOBAL -> "g:" + instance.id();
            case WORKFLOW -> "w:" + instance.workflow().length() + ":" + instance.workflow() + ":" + instance.id();
            case VERSION -> "v:" + instance.workflow().length() + ":" + instance.workflow() + ":"
                    + instance.workflowVersion() + ":" + instance.id();
            case NONE -> throw new IllegalArgumentException("the NONE scope has no uniqueness key");
        };
    }

    /**
     * Return the PostgreSQL advisory lock key for a value in a namespace: 64-bit FNV-1a of both.
     * Two values that share a key only wait for each other.
     */
    static long lockKey(String namespace, String value) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : (namespace + '\u0000' + value).getBytes(StandardCharsets.UTF_8)) {
            hash ^= (b & 0xff);
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    private Optional<Instance> read(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, parameter);
            return readOne(select);
        }
    }

    private Optional<Instance> readOne(PreparedStatement select) throws SQLException {
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? Optional.of(decode(row.getString(1))) : Optional.empty();
        }
    }

    private Instance decode(String snapshot) {
        try {
            return InstanceJson.read(snapshot);
        }
        catch (IllegalArgumentException ex) {
            throw new StorageException("JDBC storage cannot read a stored instance of table " + this.table + ": "
                    + ex.getMessage(), ex);
        }
    }

    private StorageException failure(String action, SQLException ex) {
        return JdbcErrors.translate(action, this.table, this.dialect, ex);
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        }
        catch (SQLException ex) {
            logger.debug("Rollback failed after an error; the connection is closed next", ex);
        }
    }

    private static IllegalArgumentException duplicateRunId(Instance instance) {
        return new IllegalArgumentException("an instance with run id " + instance.runId() + " already exists");
    }

    private static Object[] newStripes() {
        Object[] stripes = new Object[LOCAL_LOCK_STRIPES];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
        return stripes;
    }

    /**
     * Return the dialect and URL of a database, from one connection's metadata.
     */
    static Detected detect(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            return new Detected(JdbcDialect.fromProductName(metaData.getDatabaseProductName()), metaData.getURL());
        }
        catch (SQLException ex) {
            throw JdbcErrors.translate("detecting the database type", ex);
        }
    }

    /**
     * One update waiting to be written in a group, and what became of it. The thread that queued
     * it parks until the writer of its group wakes it ({@link #DONE}) or hands it the writing of the
     * next group ({@link #LEAD}).
     */
    private static final class GroupedUpdate {

        static final int WAITING = 0;

        static final int LEAD = 1;

        static final int DONE = 2;

        final Instance instance;

        final Instance next;

        final String snapshot;

        final Thread owner = Thread.currentThread();

        volatile int state = WAITING;

        /** The update count, once committed; -1 while unknown. Published by {@link #state}. */
        int count = -1;

        @Nullable StorageException failure;

        GroupedUpdate(Instance instance, Instance next, String snapshot) {
            this.instance = instance;
            this.next = next;
            this.snapshot = snapshot;
        }

        /**
         * Park until woken as the next writer or with the outcome; an interrupt does not end the
         * wait (the write may commit), it is kept for the caller.
         */
        int awaitTurn() {
            boolean interrupted = false;
            int current;
            while ((current = this.state) == WAITING) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                this.owner.interrupt();
            }
            if (current == LEAD) {
                this.state = WAITING;
            }
            return current;
        }

        void wake(int next) {
            this.state = next;
            if (this.owner != Thread.currentThread()) {
                LockSupport.unpark(this.owner);
            }
        }

        Instance outcome(JdbcStorage storage) {
            if (this.state != DONE) {
                awaitTurn();
            }
            if (this.failure != null) {
                throw this.failure;
            }
            if (this.count == 1) {
                return this.next;
            }
            if (this.count == 0) {
                try (Connection connection = storage.dataSource.getConnection()) {
                    throw storage.whyNotUpdated(connection, this.instance);
                }
                catch (SQLException ex) {
                    throw storage.failure("updating run " + this.instance.runId(), ex);
                }
            }
            throw new StorageException("JDBC storage could not tell whether run " + this.instance.runId()
                    + " was updated: the driver returned update count " + this.count);
        }
    }

    /**
     * What a connection's metadata says about a database.
     */
    record Detected(JdbcDialect dialect, @Nullable String url) {
    }

    /**
     * An SQL statement and its parameters, in order.
     */
    record Sql(String text, List<Object> parameters) {

        void bind(PreparedStatement statement) throws SQLException {
            for (int i = 0; i < this.parameters.size(); i++) {
                statement.setObject(i + 1, this.parameters.get(i));
            }
        }
    }

    /**
     * {@link Builder} sets the options of a {@link JdbcStorage}.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private final DataSource dataSource;

        private String tableName = JdbcSchema.DEFAULT_TABLE_NAME;

        private @Nullable JdbcDialect dialect;

        private int groupCommit = DEFAULT_GROUP_COMMIT;

        private int concurrentGroups = DEFAULT_CONCURRENT_GROUPS;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * Set the table (default {@value JdbcSchema#DEFAULT_TABLE_NAME}).
         * @param tableName lower case, optionally qualified by a schema: {@code [schema.]table}
         * @return this builder
         * @throws IllegalArgumentException if the name is not valid
         */
        public Builder tableName(String tableName) {
            this.tableName = JdbcSchema.requireValidTableName(tableName);
            return this;
        }

        /**
         * Set how many updates of different instances may share one transaction (default
         * {@value JdbcStorage#DEFAULT_GROUP_COMMIT}, which writes every update in a transaction of
         * its own; 16 to 64 is a sensible value to turn grouping on, with a runner that has about as
         * many writer threads, {@code LocalRunner.Builder.writerThreads}, so that many updates are
         * written at once). An update that arrives while
         * {@link #concurrentGroups(int) the most groups} are being written waits, and is written
         * with the others that arrived meanwhile, up to this many, as one JDBC batch and one commit;
         * an update that arrives when fewer groups are being written is written at once. Each
         * update keeps its revision check and is acknowledged only once its transaction is
         * committed; a group whose transaction fails fails each of its updates with a
         * {@link StorageException}.
         * @param maxUpdates the most updates per transaction, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code maxUpdates} is less than 1
         */
        public Builder groupCommit(int maxUpdates) {
            if (maxUpdates < 1) {
                throw new IllegalArgumentException("groupCommit must be at least 1 (1 turns grouping off), got "
                        + maxUpdates);
            }
            this.groupCommit = maxUpdates;
            return this;
        }

        /**
         * Set how many groups of updates (see {@link #groupCommit(int)}) may be written at once, each
         * on its own connection (default {@value JdbcStorage#DEFAULT_CONCURRENT_GROUPS}). Updates
         * are grouped only while this many groups are being written; below that, an update is
         * written at once.
         * @param groups the most groups in flight, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code groups} is less than 1
         */
        public Builder concurrentGroups(int groups) {
            if (groups < 1) {
                throw new IllegalArgumentException("concurrentGroups must be at least 1, got " + groups);
            }
            this.concurrentGroups = groups;
            return this;
        }

        /**
         * Set the dialect instead of detecting it from the database's metadata at {@link #build()}.
         * @param dialect the dialect
         * @return this builder
         */
        public Builder dialect(JdbcDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * Return the storage. Unless a PostgreSQL dialect was set, this opens one connection to
         * detect the database (and, for H2, which database it is).
         * @return the storage
         * @throws IllegalArgumentException if the database is neither PostgreSQL nor H2
         * @throws StorageUnavailableException if the database cannot be reached to detect it
         */
        public JdbcStorage build() {
            if (this.dialect == JdbcDialect.POSTGRESQL) {
                return new JdbcStorage(this.dataSource, this.dialect, this.tableName, null, this.groupCommit,
                        this.concurrentGroups);
            }
            Detected detected = detect(this.dataSource);
            JdbcDialect chosen = (this.dialect != null) ? this.dialect : detected.dialect();
            logger.debug("Hephaestus JDBC storage on {} ({}), table {}", chosen.platform(), detected.url(),
                    this.tableName);
            return new JdbcStorage(this.dataSource, chosen, this.tableName,
                    (detected.url() != null) ? detected.url() : "datasource@" + System.identityHashCode(this.dataSource),
                    this.groupCommit, this.concurrentGroups);
        }
    }
}
