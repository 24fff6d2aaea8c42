package io.hephaestus.jdbc;

import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;

import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.runtime.InstanceQuery;
import io.hephaestus.core.runtime.Instances;
import io.hephaestus.core.runtime.StorageUnavailableException;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that a database that cannot be reached makes every call fail saying so. Needs no server:
 * the data source points at a port where nothing listens.
 */
class JdbcStorageUnreachableTests {

    private static PGSimpleDataSource nowhere() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] { "127.0.0.1" });
        dataSource.setPortNumbers(new int[] { 1 });
        dataSource.setDatabaseName("test");
        dataSource.setUser("postgres");
        dataSource.setConnectTimeout(2);
        return dataSource;
    }

    static Stream<Named<Consumer<JdbcStorage>>> calls() {
        return Stream.of(
                Named.of("create", (storage) -> storage.create(Instances.pending("run-1", "order::1", "order", 1),
                        UniquenessScope.WORKFLOW)),
                Named.of("create without uniqueness", (storage) -> storage.create(Instances.pending("run-1",
                        "order::1", "order", 1), UniquenessScope.NONE)),
                Named.of("update", (storage) -> storage.update(Instances.pending("run-1", "order::1", "order", 1)
                    .withRevision(1))),
                Named.of("get", (storage) -> storage.get("run-1")),
                Named.of("query", (storage) -> storage.query(InstanceQuery.all())),
                Named.of("countByStatus", (storage) -> storage.countByStatus("")),
                Named.of("delete", (storage) -> storage.delete("run-1")),
                Named.of("deleteFinishedBefore", (storage) -> storage.deleteFinishedBefore(Instant.now(), 10)));
    }

    @ParameterizedTest
    @MethodSource("calls")
    void everyCallSaysTheDatabaseCouldNotBeReached(Consumer<JdbcStorage> call) {
        JdbcStorage storage = JdbcStorage.builder(nowhere()).dialect(JdbcDialect.POSTGRESQL).build();

        assertThatExceptionOfType(StorageUnavailableException.class).isThrownBy(() -> call.accept(storage))
            .withMessageContaining("JDBC storage could not reach the database while");
    }

    @Test
    void detectingTheDatabaseSaysItCouldNotBeReached() {
        assertThatExceptionOfType(StorageUnavailableException.class)
            .isThrownBy(() -> JdbcStorage.builder(nowhere()).build())
            .withMessageContaining("could not reach the database while detecting the database type");
        assertThatExceptionOfType(StorageUnavailableException.class)
            .isThrownBy(() -> JdbcSchema.apply(nowhere(), JdbcDialect.POSTGRESQL, "runs"))
            .withMessageContaining("could not reach the database while applying schema");
    }
}
