package io.hephaestus.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.hephaestus.core.InvalidValueException;
import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.CreateResult;
import io.hephaestus.core.runtime.InstanceQuery;
import io.hephaestus.core.runtime.Instances;
import io.hephaestus.core.runtime.Storage;
import io.hephaestus.core.runtime.StorageContract;
import io.hephaestus.core.runtime.StorageException;

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
        this.storage = JdbcStorage.builder(dataSource()).tableName(table()).build();
        return this.storage;
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
