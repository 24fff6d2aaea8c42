package io.hephaestus.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.hephaestus.core.InvalidValueException;
import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.CreateResult;
import io.hephaestus.core.runtime.InstanceQuery;
import io.hephaestus.core.runtime.Instances;
import io.hephaestus.core.runtime.StaleInstanceException;
import io.hephaestus.core.runtime.Storage;
import io.hephaestus.core.runtime.StorageContract;
import io.hephaestus.core.runtime.StorageException;
import io.hephaestus.jdbc.testing.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link JdbcStorageContract} runs the {@link StorageContract} on a {@link JdbcStorage}, plus what is
 * particular to a database: snapshots read back exactly, the query columns, values that cannot be
 * stored, missing tables and unreadable rows. Each subclass gives one database and one table, which
 * is emptied before every test.
 */
abstract class JdbcStorageContract extends StorageContract {

    private JdbcStorage storage;

    /**
     * Return the database of the test class.
     */
    protected abstract DataSource dataSource();

    /**
     * Return the table of the test class, created with {@link JdbcSchema}.
     */
    protected abstract String table();

    @Override
    protected Storage createStorage() {
        TestDatabases.execute(dataSource(), "DELETE FROM " + table());
        this.storage = configure(JdbcStorage.builder(dataSource()).tableName(table())).build();
        return this.storage;
    }

    /**
     * Set the options of the storage under test; none by default.
     */
    protected JdbcStorage.Builder configure(JdbcStorage.Builder builder) {
        return builder;
    }

    @Test
    void everyComponentAndValueIsReadBackEqual() {
        Instance full = SampleInstances.full("run-1", "orderid::42");

        CreateResult created = this.storage.create(full, UniquenessScope.WORKFLOW);
        Instance read = this.storage.get("run-1").orElseThrow();

        assertThat(created).isEqualTo(new CreateResult.Created(full.withRevision(1)));
        assertThat(read).isEqualTo(full.withRevision(1));
        assertThat(read.context().initial()).isEqualTo(SampleInstances.everyKindOfValue());
        read.context().initial().forEach((key, value) -> {
            if (value instanceof Number) {
                assertThat(value).as(key).isInstanceOf(SampleInstances.everyKindOfValue().get(key).getClass());
            }
        });
        assertThat(this.storage.update(read)).isEqualTo(full.withRevision(2));
        assertThat(this.storage.query(InstanceQuery.all().id("orderid::42"))).containsExactly(full.withRevision(2));
    }

    @Test
    void updatesThatArriveWhileAGroupIsWrittenShareOneTransactionAndAStaleOneFailsAlone() throws Exception {
        GatedDataSource gated = new GatedDataSource(dataSource());
        JdbcStorage grouped = GatedDataSource.builder(gated).tableName(table()).groupCommit(8).concurrentGroups(1).build();
        List<Instance> runs = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            runs.add(created(Instances.pending("run-" + i, "order::" + i, "order", 1)));
        }
        gated.holdNextConnection();
        ExecutorService threads = Executors.newFixedThreadPool(5);
        try {
            Future<Instance> first = threads.submit(() -> grouped.update(runs.get(0)));
            gated.awaitHeld();
            List<Future<Instance>> group = new ArrayList<>();
            group.add(threads.submit(() -> grouped.update(runs.get(1))));
            group.add(threads.submit(() -> grouped.update(runs.get(2))));
            group.add(threads.submit(() -> grouped.update(runs.get(3).withRevision(7))));
            group.add(threads.submit(() -> grouped.update(runs.get(4))));
            awaitQueued(grouped, 4);
            gated.release();

            assertThat(first.get(10, TimeUnit.SECONDS).revision()).isEqualTo(2);
            assertThat(group.get(0).get(10, TimeUnit.SECONDS)).isEqualTo(runs.get(1).withRevision(2));
            assertThat(group.get(1).get(10, TimeUnit.SECONDS)).isEqualTo(runs.get(2).withRevision(2));
            assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> group.get(2).get(10, TimeUnit.SECONDS))
                .withCauseInstanceOf(StaleInstanceException.class);
            assertThat(group.get(3).get(10, TimeUnit.SECONDS)).isEqualTo(runs.get(4).withRevision(2));
        }
        finally {
            threads.shutdownNow();
        }
        assertThat(gated.batches).containsExactly(4);
        assertThat(gated.commits).hasValue(1);
        assertThat(this.storage.get("run-4")).contains(runs.get(3));
        assertThat(this.storage.get("run-5")).contains(runs.get(4).withRevision(2));
    }

    @Test
    void aGroupWhoseTransactionFailsFailsEachOfItsUpdatesAndStoresNone() throws Exception {
        GatedDataSource gated = new GatedDataSource(dataSource());
        JdbcStorage grouped = GatedDataSource.builder(gated).tableName(table()).groupCommit(8).concurrentGroups(1).build();
        List<Instance> runs = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            runs.add(created(Instances.pending("run-" + i, "order::" + i, "order", 1)));
        }
        gated.holdNextConnection();
        gated.failBatches = true;
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            Future<Instance> first = threads.submit(() -> grouped.update(runs.get(0)));
            gated.awaitHeld();
            List<Future<Instance>> group = new ArrayList<>();
            for (int i = 1; i < 4; i++) {
                Instance run = runs.get(i);
                group.add(threads.submit(() -> grouped.update(run)));
            }
            awaitQueued(grouped, 3);
            gated.release();

            assertThat(first.get(10, TimeUnit.SECONDS).revision()).isEqualTo(2);
            for (Future<Instance> update : group) {
                assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> update.get(10, TimeUnit.SECONDS))
                    .havingCause()
                    .isExactlyInstanceOf(StorageException.class)
                    .withMessageContaining("updating 3 runs in one transaction");
            }
        }
        finally {
            threads.shutdownNow();
        }
        for (int i = 1; i < 4; i++) {
            assertThat(this.storage.get(runs.get(i).runId())).contains(runs.get(i));
        }
        // The storage writes again once the database does.
        gated.failBatches = false;
        assertThat(grouped.update(runs.get(1))).isEqualTo(runs.get(1).withRevision(2));
    }

    private static void awaitQueued(JdbcStorage storage, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (storage.queuedUpdates() < count) {
            assertThat(System.nanoTime()).as("%s updates queued", count).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    /**
     * A data source that can hold the next connection until released, counts the batches and
     * commits of its connections, and can fail their batches.
     */
    static final class GatedDataSource implements InvocationHandler {

        final List<Integer> batches = new CopyOnWriteArrayList<>();

        final AtomicInteger commits = new AtomicInteger();

        volatile boolean failBatches;

        private final DataSource delegate;

        private final DataSource proxy;

        private volatile CountDownLatch held;

        private volatile CountDownLatch gate;

        GatedDataSource(DataSource delegate) {
            this.delegate = delegate;
            this.proxy = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] { DataSource.class }, this);
        }

        static JdbcStorage.Builder builder(GatedDataSource gated) {
            return JdbcStorage.builder(gated.proxy);
        }

        void holdNextConnection() {
            this.held = new CountDownLatch(1);
            this.gate = new CountDownLatch(1);
        }

        void awaitHeld() throws InterruptedException {
            assertThat(this.held.await(10, TimeUnit.SECONDS)).as("a connection was asked for").isTrue();
        }

        void release() {
            this.gate.countDown();
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object result = call(this.delegate, method, args);
            if (method.getName().equals("getConnection")) {
                CountDownLatch holding = this.held;
                if (holding != null && holding.getCount() > 0) {
                    holding.countDown();
                    this.gate.await(10, TimeUnit.SECONDS);
                }
                return connection((Connection) result);
            }
            return result;
        }

        private Connection connection(Connection connection) {
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] { Connection.class }, (proxy, method, args) -> {
                        if (method.getName().equals("commit")) {
                            this.commits.incrementAndGet();
                        }
                        Object result = call(connection, method, args);
                        return (result instanceof PreparedStatement statement) ? statement(statement) : result;
                    });
        }

        private PreparedStatement statement(PreparedStatement statement) {
            AtomicInteger added = new AtomicInteger();
            return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] { PreparedStatement.class }, (proxy, method, args) -> {
                        if (method.getName().equals("addBatch")) {
                            added.incrementAndGet();
                        }
                        if (method.getName().equals("executeBatch")) {
                            this.batches.add(added.get());
                            if (this.failBatches) {
                                throw new SQLException("the batch failed (test)", "40001");
                            }
                        }
                        return call(statement, method, args);
                    });
        }

        private static Object call(Object target, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            }
            catch (InvocationTargetException ex) {
                throw ex.getCause();
            }
        }
    }

    @Test
    void anotherStorageOnTheSameTableSeesWhatWasStored() {
        Instance created = created(Instances.pending("run-1", "order::1", "order", 1));

        JdbcStorage restarted = JdbcStorage.builder(dataSource()).tableName(table()).build();

        assertThat(restarted.get("run-1")).contains(created);
        assertThat(restarted.create(Instances.pending("run-2", "order::1", "order", 1), UniquenessScope.WORKFLOW))
            .isEqualTo(new CreateResult.Conflict(created));
    }

    @Test
    void columnsFollowTheInstance() {
        Instance full = ((CreateResult.Created) this.storage.create(SampleInstances.full("run-1", "orderid::42"),
                UniquenessScope.VERSION)).instance();

        Map<String, Object> row = row("run-1");
        assertThat(row).containsEntry("business_id", "orderid::42")
            .containsEntry("workflow", "order")
            .containsEntry("workflow_version", 3)
            .containsEntry("status", "waiting")
            .containsEntry("revision", 1L)
            .containsEntry("uniqueness_key", "v:5:order:3:orderid::42")
            .containsEntry("created_at", micros(SampleInstances.CREATED_AT))
            .containsEntry("next_timer_due", micros(full.timers().get("await_payment").dueAt()))
            .containsEntry("finished_at", null);

        Instance completed = this.storage.update(Instances.withStatus(full, Status.COMPLETED));

        assertThat(row("run-1")).containsEntry("status", "completed")
            .containsEntry("revision", 2L)
            .containsEntry("uniqueness_key", null)
            .containsEntry("finished_at", micros(completed.updatedAt()))
            .containsEntry("updated_at", micros(completed.updatedAt()));
    }

    @Test
    void aValueThatCannotBeStoredIsRefusedBeforeItReachesTheStorage() {
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> Instance.create("run-1", "order::1", "order", 1, Map.of("note", "nul\u0000"), Map.of(),
                    Instances.CREATED_AT))
            .withMessageContaining("note");
        assertThat(this.storage.get("run-1")).isEmpty();

        Instance created = created(Instances.pending("run-2", "order::2", "order", 1));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("half", "\uD800");
        assertThatExceptionOfType(InvalidValueException.class)
            .isThrownBy(() -> Instances.withMetadata(created, metadata))
            .withMessageContaining("half");
        assertThat(this.storage.get("run-2")).contains(created);
    }

    @Test
    void aMissingTableIsNamedWithTheScriptThatCreatesIt() {
        JdbcStorage missing = JdbcStorage.builder(dataSource()).tableName("hephaestus_missing").build();

        assertThatExceptionOfType(StorageException.class).isThrownBy(() -> missing.get("run-1"))
            .withMessageContaining("hephaestus_missing does not exist")
            .withMessageContaining(missing.dialect().schemaResource());
    }

    @Test
    void anUnreadableRowIsReportedWithItsTable() {
        created(Instances.pending("run-1", "order::1", "order", 1));
        TestDatabases.execute(dataSource(), "UPDATE " + table() + " SET snapshot = '{\"format\": 9}'");

        assertThatExceptionOfType(StorageException.class).isThrownBy(() -> this.storage.get("run-1"))
            .withMessageContaining(table())
            .withMessageContaining("format 9 is not supported");
    }

    @Test
    void nameSaysJdbcAndTheDatabase() {
        assertThat(this.storage.name()).isEqualTo("jdbc-" + this.storage.dialect().platform());
    }

    private Map<String, Object> row(String runId) {
        String sql = "SELECT business_id, workflow, workflow_version, status, revision, uniqueness_key, created_at, "
                + "updated_at, next_timer_due, finished_at FROM " + table() + " WHERE run_id = ?";
        try (Connection connection = dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, runId);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).as("row of " + runId).isTrue();
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("business_id", row.getString("business_id"));
                values.put("workflow", row.getString("workflow"));
                values.put("workflow_version", row.getInt("workflow_version"));
                values.put("status", row.getString("status"));
                values.put("revision", row.getLong("revision"));
                values.put("uniqueness_key", row.getString("uniqueness_key"));
                for (String column : new String[] { "created_at", "updated_at", "next_timer_due", "finished_at" }) {
                    OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
                    values.put(column, (time != null) ? time.toInstant() : null);
                }
                return values;
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Return an instant as the databases keep it: rounded to the microsecond.
     */
    static Instant micros(Instant instant) {
        long micros = Math.round(instant.getNano() / 1000.0);
        return Instant.ofEpochSecond(instant.getEpochSecond()).plusNanos(micros * 1000);
    }
}
