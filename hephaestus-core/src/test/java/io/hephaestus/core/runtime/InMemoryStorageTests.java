package io.hephaestus.core.runtime;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link InMemoryStorage}: the {@link StorageContract} plus behaviour of the indexes.
 */
class InMemoryStorageTests extends StorageContract {

    @Override
    protected Storage createStorage() {
        return new InMemoryStorage();
    }

    @Test
    void nameIsInMemory() {
        assertThat(new InMemoryStorage().name()).isEqualTo("in-memory");
    }

    @Test
    void updateRejectsChangingTheIdWorkflowOrVersion() {
        InMemoryStorage storage = new InMemoryStorage();
        Instance created = ((CreateResult.Created) storage.create(Instances.pending("run-1", "order::1", "order", 1),
                UniquenessScope.WORKFLOW)).instance();

        assertThatIllegalArgumentException()
            .isThrownBy(() -> storage.update(Instances.withIdentity(created, "order::2", "order", 1)))
            .withMessageContaining("run-1");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> storage.update(Instances.withIdentity(created, "order::1", "invoice", 1)));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> storage.update(Instances.withIdentity(created, "order::1", "order", 2)));
        assertThat(storage.get("run-1")).contains(created);
    }

    @Test
    void queryByWorkflowAndStatusReturnsTheNewestAmongManyInstances() {
        InMemoryStorage storage = new InMemoryStorage();
        int total = 100_000;
        for (int i = 0; i < total; i++) {
            String workflow = (i % 2 == 0) ? "order" : "invoice";
            Instance created = ((CreateResult.Created) storage.create(
                    Instances.pending("run-" + i, workflow + "::" + i, workflow, 1), UniquenessScope.NONE)).instance();
            if (i % 3 == 0) {
                storage.update(Instances.withStatus(created, Status.WAITING));
            }
        }

        List<Instance> page = storage.query(InstanceQuery.all().workflow("order").statuses(Status.WAITING).limit(50));

        // Even and divisible by three: multiples of six, newest (highest index) first.
        List<String> expected = new ArrayList<>();
        for (int i = 99_996; expected.size() < 50; i -= 6) {
            expected.add("run-" + i);
        }
        assertThat(page).extracting(Instance::runId).containsExactlyElementsOf(expected);
        assertThat(storage.countByStatus("order")).containsEntry(Status.WAITING, 16_667L)
            .containsEntry(Status.PENDING, 50_000L - 16_667L);
        assertThat(storage.countByStatus("")).containsEntry(Status.WAITING, 33_334L)
            .containsEntry(Status.PENDING, total - 33_334L);
    }

    @Test
    void queryNeverReturnsARunTwiceWhileItMovesBetweenStatuses() throws Exception {
        InMemoryStorage storage = new InMemoryStorage();
        Instance created = ((CreateResult.Created) storage.create(Instances.pending("run-1", "order::1", "order", 1),
                UniquenessScope.WORKFLOW)).instance();
        storage.update(Instances.withStatus(created, Status.RUNNING));
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> mover = executor.submit(() -> {
                int moves = 0;
                while (!stop.get()) {
                    Instance current = storage.get("run-1").orElseThrow();
                    Status next = (current.status() == Status.RUNNING) ? Status.WAITING : Status.RUNNING;
                    storage.update(Instances.withStatus(current, next));
                    moves++;
                }
                return moves;
            });
            InstanceQuery query = InstanceQuery.all().workflow("order").statuses(Status.RUNNING, Status.WAITING);
            for (int i = 0; i < 20_000; i++) {
                List<Instance> result = storage.query(query);
                assertThat(new HashSet<>(result.stream().map(Instance::runId).toList())).hasSameSizeAs(result);
                assertThat(result).hasSizeLessThanOrEqualTo(1);
            }
            stop.set(true);
            assertThat(mover.get(30, TimeUnit.SECONDS)).isPositive();
        }
        finally {
            stop.set(true);
            executor.shutdownNow();
        }
        assertThat(storage.countByStatus("order").values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
        assertThat(storage.countByStatus("order")).containsOnlyKeys(Status.values());
        assertThat(Map.copyOf(storage.countByStatus("order"))).containsEntry(Status.PENDING, 0L);
    }
}
