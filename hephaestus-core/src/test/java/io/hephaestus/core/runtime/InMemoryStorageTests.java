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
    void keepsTenThousandFinishedInstancesByDefault() {
        assertThat(new InMemoryStorage().maxFinishedInstances()).isEqualTo(10_000);
        assertThat(InMemoryStorage.builder().build().maxFinishedInstances()).isEqualTo(10_000);
    }

    @Test
    void finishingBeyondTheCapDeletesTheInstanceThatFinishedFirst() {
        InMemoryStorage storage = InMemoryStorage.builder().maxFinishedInstances(2).build();
        Instance active = create(storage, "run-a");
        Instance first = finish(storage, create(storage, "run-1"), Status.COMPLETED, 30);
        Instance second = finish(storage, create(storage, "run-2"), Status.FAILED, 10);
        Instance running = storage.update(Instances.withStatus(active, Status.RUNNING));

        // run-2 finished first (at +10 s), so the third finished instance evicts it
        Instance third = finish(storage, create(storage, "run-3"), Status.CANCELLED, 20);

        assertThat(storage.get("run-2")).isEmpty();
        assertThat(storage.query(InstanceQuery.all())).containsExactly(third, first, running);
        assertThat(storage.countByStatus("order")).containsEntry(Status.COMPLETED, 1L)
            .containsEntry(Status.FAILED, 0L)
            .containsEntry(Status.CANCELLED, 1L)
            .containsEntry(Status.RUNNING, 1L);
        assertThat(second.status()).isEqualTo(Status.FAILED);
    }

    @Test
    void capCountsOnlyInstancesStillStored() {
        InMemoryStorage storage = InMemoryStorage.builder().maxFinishedInstances(2).build();
        Instance first = finish(storage, create(storage, "run-1"), Status.COMPLETED, 1);
        finish(storage, create(storage, "run-2"), Status.COMPLETED, 2);
        storage.delete("run-2");
        assertThat(storage.deleteFinishedBefore(Instances.UPDATED_AT.plusSeconds(2), 10)).isOne();

        Instance third = finish(storage, create(storage, "run-3"), Status.COMPLETED, 3);
        Instance fourth = finish(storage, create(storage, "run-4"), Status.COMPLETED, 4);

        assertThat(storage.query(InstanceQuery.all())).containsExactly(fourth, third);
        assertThat(first.runId()).isEqualTo("run-1");
    }

    @Test
    void aCapOfZeroKeepsNoFinishedInstanceButEveryActiveOne() {
        InMemoryStorage storage = InMemoryStorage.builder().maxFinishedInstances(0).build();
        Instance active = storage.update(Instances.withStatus(create(storage, "run-1"), Status.WAITING));

        finish(storage, create(storage, "run-2"), Status.COMPLETED, 1);

        assertThat(storage.query(InstanceQuery.all())).containsExactly(active);
    }

    @Test
    void builderRejectsANegativeCap() {
        assertThatIllegalArgumentException().isThrownBy(() -> InMemoryStorage.builder().maxFinishedInstances(-1))
            .withMessageContaining("maxFinishedInstances");
    }

    @Test
    void concurrentFinishesNeverKeepMoreThanTheCap() throws Exception {
        InMemoryStorage storage = InMemoryStorage.builder().maxFinishedInstances(100).build();
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                writers.add(executor.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        finish(storage, create(storage, "run-" + thread + "-" + i), Status.COMPLETED, i);
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(30, TimeUnit.SECONDS);
            }
        }
        finally {
            executor.shutdownNow();
        }

        assertThat(storage.countByStatus("order")).containsEntry(Status.COMPLETED, 100L);
        assertThat(storage.query(InstanceQuery.all())).hasSize(100);
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

    private static Instance create(InMemoryStorage storage, String runId) {
        return ((CreateResult.Created) storage.create(Instances.pending(runId, "order::" + runId, "order", 1),
                UniquenessScope.NONE)).instance();
    }

    private static Instance finish(InMemoryStorage storage, Instance instance, Status status, int seconds) {
        Instance done = Instances.withStatus(instance, status);
        return storage.update(new Instance(done.runId(), done.id(), done.workflow(), done.workflowVersion(),
                done.status(), done.context(), done.activeSteps(), done.completedSteps(), done.skippedSteps(),
                done.arrivals(), done.stepConfigs(), done.waitingSteps(), done.timers(), done.attempts(), done.queuedEvents(),
                done.runtimeMetadata(), done.history(), done.failures(), done.telemetryMetadata(), done.createdAt(),
                Instances.UPDATED_AT.plusSeconds(seconds), done.revision()));
    }
}
