package io.hephaestus.core.runtime;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link StorageContract} is the behaviour every {@link Storage} must have, written against the SPI
 * only. A backend's test class extends it and returns a fresh, empty store from
 * {@link #createStorage()}.
 *
 * @since 0.1.0
 */
public abstract class StorageContract {

    private static final String ORDER = "order";

    private static final String INVOICE = "invoice";

    private static final long TIMEOUT_SECONDS = 30;

    private Storage storage;

    /**
     * Return a new, empty storage. Called before every test.
     * @return the storage under test
     */
    protected abstract Storage createStorage();

    @BeforeEach
    void createFreshStorage() {
        this.storage = createStorage();
    }

    @Test
    void createdInstanceIsFoundByRunIdWithRevisionOne() {
        Instance instance = Instances.pending("run-1", "order::1", ORDER, 1);

        CreateResult result = this.storage.create(instance, UniquenessScope.WORKFLOW);

        assertThat(result).isInstanceOf(CreateResult.Created.class);
        Instance created = ((CreateResult.Created) result).instance();
        assertThat(created).isEqualTo(instance.withRevision(1));
        assertThat(this.storage.get("run-1")).contains(instance.withRevision(1));
    }

    @Test
    void getOfUnknownRunIdIsEmpty() {
        assertThat(this.storage.get("missing")).isEmpty();
    }

    @Test
    void createRejectsNonZeroRevision() {
        Instance instance = Instances.pending("run-1", "order::1", ORDER, 1).withRevision(3);

        assertThatIllegalArgumentException().isThrownBy(() -> this.storage.create(instance, UniquenessScope.WORKFLOW));
        assertThat(this.storage.get("run-1")).isEmpty();
    }

    @Test
    void createRejectsDuplicateRunId() {
        created(Instances.pending("run-1", "order::1", ORDER, 1));

        Instance sameRun = Instances.pending("run-1", "order::2", ORDER, 1);

        assertThatIllegalArgumentException().isThrownBy(() -> this.storage.create(sameRun, UniquenessScope.NONE));
        assertThat(this.storage.get("run-1")).map(Instance::id).contains("order::1");
    }

    @Test
    void globalScopeConflictsWithActiveInstanceOfAnotherWorkflow() {
        Instance existing = created(Instances.pending("run-1", "shared::1", ORDER, 1));

        CreateResult result = this.storage.create(Instances.pending("run-2", "shared::1", INVOICE, 1),
                UniquenessScope.GLOBAL);

        assertThat(result).isEqualTo(new CreateResult.Conflict(existing));
    }

    @Test
    void globalScopeDoesNotConflictWithAnotherId() {
        created(Instances.pending("run-1", "shared::1", ORDER, 1));

        assertCreated(Instances.pending("run-2", "shared::2", ORDER, 1), UniquenessScope.GLOBAL);
    }

    @Test
    void workflowScopeConflictsWithActiveInstanceOfAnotherVersion() {
        Instance existing = created(Instances.pending("run-1", "order::1", ORDER, 1));

        CreateResult result = this.storage.create(Instances.pending("run-2", "order::1", ORDER, 2),
                UniquenessScope.WORKFLOW);

        assertThat(result).isEqualTo(new CreateResult.Conflict(existing));
    }

    @Test
    void workflowScopeDoesNotConflictWithAnotherWorkflow() {
        created(Instances.pending("run-1", "shared::1", INVOICE, 1));

        assertCreated(Instances.pending("run-2", "shared::1", ORDER, 1), UniquenessScope.WORKFLOW);
    }

    @Test
    void versionScopeConflictsWithActiveInstanceOfSameVersion() {
        Instance existing = created(Instances.pending("run-1", "order::1", ORDER, 2));

        CreateResult result = this.storage.create(Instances.pending("run-2", "order::1", ORDER, 2),
                UniquenessScope.VERSION);

        assertThat(result).isEqualTo(new CreateResult.Conflict(existing));
    }

    @Test
    void versionScopeDoesNotConflictWithAnotherVersion() {
        created(Instances.pending("run-1", "order::1", ORDER, 1));

        assertCreated(Instances.pending("run-2", "order::1", ORDER, 2), UniquenessScope.VERSION);
    }

    @Test
    void versionScopeDoesNotConflictWithAnotherWorkflowOfSameVersion() {
        created(Instances.pending("run-1", "shared::1", INVOICE, 1));

        assertCreated(Instances.pending("run-2", "shared::1", ORDER, 1), UniquenessScope.VERSION);
    }

    @Test
    void noneScopeNeverConflicts() {
        created(Instances.pending("run-1", "order::1", ORDER, 1));

        assertCreated(Instances.pending("run-2", "order::1", ORDER, 1), UniquenessScope.NONE);
        assertThat(this.storage.query(InstanceQuery.all().id("order::1"))).extracting(Instance::runId)
            .containsExactly("run-2", "run-1");
    }

    @ParameterizedTest
    @EnumSource(names = { "PENDING", "RUNNING", "WAITING" })
    void everyActiveStatusHoldsTheId(Status status) {
        Instance existing = stored(status, "run-1", "order::1", ORDER, 1);

        CreateResult result = this.storage.create(Instances.pending("run-2", "order::1", ORDER, 1),
                UniquenessScope.WORKFLOW);

        assertThat(result).isEqualTo(new CreateResult.Conflict(existing));
    }

    @ParameterizedTest
    @EnumSource(names = { "COMPLETED", "FAILED", "CANCELLED" })
    void terminalInstanceDoesNotConflictAndBothRunsAreKept(Status status) {
        Instance finished = stored(status, "run-1", "order::1", ORDER, 1);

        Instance next = assertCreated(Instances.pending("run-2", "order::1", ORDER, 1), UniquenessScope.GLOBAL);

        assertThat(this.storage.query(InstanceQuery.all().id("order::1"))).containsExactly(next, finished);
    }

    @Test
    void conflictStoresNothing() {
        Instance existing = created(Instances.pending("run-1", "order::1", ORDER, 1));

        this.storage.create(Instances.pending("run-2", "order::1", ORDER, 1), UniquenessScope.WORKFLOW);

        assertThat(this.storage.get("run-2")).isEmpty();
        assertThat(this.storage.query(InstanceQuery.all().id("order::1"))).containsExactly(existing);
        assertThat(this.storage.countByStatus(ORDER)).containsEntry(Status.PENDING, 1L);
    }

    @Test
    void deletedActiveInstanceNoLongerHoldsTheId() {
        created(Instances.pending("run-1", "order::1", ORDER, 1));
        this.storage.delete("run-1");

        assertCreated(Instances.pending("run-2", "order::1", ORDER, 1), UniquenessScope.WORKFLOW);
    }

    @Test
    void instanceFinishedByUpdateNoLongerHoldsTheId() {
        Instance running = this.storage.update(Instances.withStatus(created(Instances.pending("run-1", "order::1",
                ORDER, 1)), Status.RUNNING));
        this.storage.update(Instances.withStatus(running, Status.COMPLETED));

        assertCreated(Instances.pending("run-2", "order::1", ORDER, 1), UniquenessScope.WORKFLOW);
    }

    @Test
    void updateBumpsRevisionAndStoresTheSnapshot() {
        Instance created = created(Instances.pending("run-1", "order::1", ORDER, 1));
        Instance changed = Instances.withMetadata(Instances.withStatus(created, Status.RUNNING), Map.of("attempt", 1));

        Instance updated = this.storage.update(changed);

        assertThat(updated).isEqualTo(changed.withRevision(2));
        assertThat(this.storage.get("run-1")).contains(changed.withRevision(2));
        assertThat(this.storage.update(updated).revision()).isEqualTo(3);
    }

    @Test
    void staleUpdateThrowsAndLeavesTheStoredValueUnchanged() {
        Instance created = created(Instances.pending("run-1", "order::1", ORDER, 1));
        Instance current = this.storage.update(Instances.withStatus(created, Status.RUNNING));

        Instance stale = Instances.withStatus(created, Status.CANCELLED);

        assertThatExceptionOfType(StaleInstanceException.class).isThrownBy(() -> this.storage.update(stale))
            .withMessageContaining("order::1")
            .withMessageContaining("run-1");
        assertThat(this.storage.get("run-1")).contains(current);
        assertThat(this.storage.countByStatus(ORDER)).containsEntry(Status.RUNNING, 1L)
            .containsEntry(Status.CANCELLED, 0L);
    }

    @Test
    void updateFromTheFutureIsStaleToo() {
        Instance created = created(Instances.pending("run-1", "order::1", ORDER, 1));

        assertThatExceptionOfType(StaleInstanceException.class)
            .isThrownBy(() -> this.storage.update(created.withRevision(5)));
        assertThat(this.storage.get("run-1")).contains(created);
    }

    @Test
    void updateOfUnknownRunIdThrows() {
        Instance unknown = Instances.pending("missing", "order::1", ORDER, 1).withRevision(1);

        assertThatExceptionOfType(InstanceNotFoundException.class).isThrownBy(() -> this.storage.update(unknown))
            .withMessageContaining("missing");
        assertThat(this.storage.get("missing")).isEmpty();
    }

    @Test
    void updateOfDeletedInstanceThrows() {
        Instance created = created(Instances.pending("run-1", "order::1", ORDER, 1));
        this.storage.delete("run-1");

        assertThatExceptionOfType(InstanceNotFoundException.class).isThrownBy(() -> this.storage.update(created));
    }

    @Test
    void queryById() {
        Instance first = created(Instances.pending("run-1", "order::1", ORDER, 1));
        created(Instances.pending("run-2", "order::2", ORDER, 1));
        Instance other = created(Instances.pending("run-3", "order::1", INVOICE, 1));

        assertThat(this.storage.query(InstanceQuery.all().id("order::1"))).containsExactly(other, first);
        assertThat(this.storage.query(InstanceQuery.all().id("order::9"))).isEmpty();
    }

    @Test
    void queryByWorkflow() {
        Instance first = created(Instances.pending("run-1", "order::1", ORDER, 1));
        created(Instances.pending("run-2", "invoice::1", INVOICE, 1));
        Instance second = stored(Status.WAITING, "run-3", "order::2", ORDER, 2);

        assertThat(this.storage.query(InstanceQuery.all().workflow(ORDER))).containsExactly(second, first);
        assertThat(this.storage.query(InstanceQuery.all().workflow("unknown"))).isEmpty();
    }

    @Test
    void queryByVersion() {
        created(Instances.pending("run-1", "order::1", ORDER, 1));
        Instance second = created(Instances.pending("run-2", "order::2", ORDER, 2));
        Instance invoice = created(Instances.pending("run-3", "invoice::1", INVOICE, 2));

        assertThat(this.storage.query(InstanceQuery.all().version(2))).containsExactly(invoice, second);
        assertThat(this.storage.query(InstanceQuery.all().workflow(ORDER).version(2))).containsExactly(second);
        assertThat(this.storage.query(InstanceQuery.all().workflow(ORDER).version(3))).isEmpty();
    }

    @Test
    void queryByStatus() {
        Instance waiting = stored(Status.WAITING, "run-1", "order::1", ORDER, 1);
        stored(Status.RUNNING, "run-2", "order::2", ORDER, 1);
        Instance waitingInvoice = stored(Status.WAITING, "run-3", "invoice::1", INVOICE, 1);

        assertThat(this.storage.query(InstanceQuery.all().statuses(Status.WAITING)))
            .containsExactly(waitingInvoice, waiting);
        assertThat(this.storage.query(InstanceQuery.all().statuses(Status.FAILED))).isEmpty();
    }

    @Test
    void queryBySeveralStatusesMergesThemNewestFirst() {
        Instance waiting = stored(Status.WAITING, "run-1", "order::1", ORDER, 1);
        Instance failed = stored(Status.FAILED, "run-2", "order::2", ORDER, 1);
        stored(Status.RUNNING, "run-3", "order::3", ORDER, 1);
        Instance laterWaiting = stored(Status.WAITING, "run-4", "order::4", ORDER, 1);
        Instance laterFailed = stored(Status.FAILED, "run-5", "order::5", ORDER, 1);

        assertThat(this.storage.query(InstanceQuery.all().statuses(Status.WAITING, Status.FAILED)))
            .containsExactly(laterFailed, laterWaiting, failed, waiting);
        assertThat(this.storage.query(InstanceQuery.all().workflow(ORDER).statuses(Status.WAITING, Status.FAILED)))
            .containsExactly(laterFailed, laterWaiting, failed, waiting);
    }

    @Test
    void queryCombinesEveryCriterion() {
        Instance match = stored(Status.WAITING, "run-1", "order::1", ORDER, 2);
        stored(Status.WAITING, "run-2", "order::1", INVOICE, 2);
        stored(Status.RUNNING, "run-3", "order::1", ORDER, 2);
        stored(Status.WAITING, "run-4", "order::1", ORDER, 1);
        stored(Status.WAITING, "run-5", "order::2", ORDER, 2);

        InstanceQuery query = InstanceQuery.all().id("order::1").workflow(ORDER).version(2).statuses(Status.WAITING);

        assertThat(this.storage.query(query)).containsExactly(match);
        assertThat(this.storage.query(InstanceQuery.all().workflow(ORDER).version(2).statuses(Status.WAITING)))
            .extracting(Instance::runId)
            .containsExactly("run-5", "run-1");
    }

    @Test
    void queryWithoutCriteriaReturnsEverythingNewestFirst() {
        stored(Status.COMPLETED, "run-1", "order::1", ORDER, 1);
        stored(Status.WAITING, "run-2", "invoice::1", INVOICE, 1);
        created(Instances.pending("run-3", "order::2", ORDER, 2));

        assertThat(this.storage.query(InstanceQuery.all())).extracting(Instance::runId)
            .containsExactly("run-3", "run-2", "run-1");
    }

    @Test
    void queryOrdersByCreationEvenWhenCreatedAtTies() {
        // Every sample instance has the same createdAt, and run ids sort the other way round.
        for (int i = 9; i >= 0; i--) {
            created(Instances.pending("run-" + i, "order::" + i, ORDER, 1));
        }

        assertThat(this.storage.query(InstanceQuery.all().workflow(ORDER))).extracting(Instance::runId)
            .containsExactly("run-0", "run-1", "run-2", "run-3", "run-4", "run-5", "run-6", "run-7", "run-8", "run-9");
    }

    @Test
    void queryOrderIsCreationOrderNotUpdateOrder() {
        Instance first = created(Instances.pending("run-1", "order::1", ORDER, 1));
        Instance second = created(Instances.pending("run-2", "order::2", ORDER, 1));

        Instance firstRunning = this.storage.update(Instances.withStatus(first, Status.RUNNING));
        Instance secondRunning = this.storage.update(Instances.withStatus(second, Status.RUNNING));
        Instance firstWaiting = this.storage.update(Instances.withStatus(firstRunning, Status.WAITING));

        assertThat(this.storage.query(InstanceQuery.all().workflow(ORDER)))
            .containsExactly(secondRunning, firstWaiting);
    }

    @Test
    void queryStopsAtTheLimitKeepingTheNewest() {
        for (int i = 1; i <= 10; i++) {
            stored((i % 2 == 0) ? Status.WAITING : Status.RUNNING, "run-" + i, "order::" + i, ORDER, 1);
        }

        assertThat(this.storage.query(InstanceQuery.all().limit(3))).extracting(Instance::runId)
            .containsExactly("run-10", "run-9", "run-8");
        assertThat(this.storage.query(InstanceQuery.all().workflow(ORDER).statuses(Status.WAITING).limit(2)))
            .extracting(Instance::runId)
            .containsExactly("run-10", "run-8");
        assertThat(this.storage.query(InstanceQuery.all().statuses(Status.RUNNING, Status.WAITING).limit(4)))
            .extracting(Instance::runId)
            .containsExactly("run-10", "run-9", "run-8", "run-7");
        assertThat(this.storage.query(InstanceQuery.all().limit(100))).hasSize(10);
    }

    @Test
    void queryFollowsStatusChanges() {
        Instance created = created(Instances.pending("run-1", "order::1", ORDER, 1));

        Instance waiting = this.storage.update(Instances.withStatus(created, Status.WAITING));

        assertThat(this.storage.query(InstanceQuery.all().statuses(Status.PENDING))).isEmpty();
        assertThat(this.storage.query(InstanceQuery.all().workflow(ORDER).statuses(Status.PENDING))).isEmpty();
        assertThat(this.storage.query(InstanceQuery.all().statuses(Status.WAITING))).containsExactly(waiting);
        assertThat(this.storage.query(InstanceQuery.all().workflow(ORDER).statuses(Status.PENDING, Status.WAITING)))
            .containsExactly(waiting);
    }

    @Test
    void countByStatusHasEveryStatusInOrderWithZeros() {
        Map<Status, Long> counts = this.storage.countByStatus("");

        assertThat(counts).containsOnlyKeys(Status.values()).allSatisfy((status, count) -> assertThat(count).isZero());
        assertThat(counts.keySet()).containsExactly(Status.values());
    }

    @Test
    void countByStatusPerWorkflowAndForAll() {
        stored(Status.WAITING, "run-1", "order::1", ORDER, 1);
        stored(Status.WAITING, "run-2", "order::2", ORDER, 2);
        stored(Status.COMPLETED, "run-3", "order::3", ORDER, 1);
        stored(Status.WAITING, "run-4", "invoice::1", INVOICE, 1);
        created(Instances.pending("run-5", "invoice::2", INVOICE, 1));

        assertThat(this.storage.countByStatus(ORDER)).isEqualTo(counts(Map.of(Status.WAITING, 2L,
                Status.COMPLETED, 1L)));
        assertThat(this.storage.countByStatus(INVOICE)).isEqualTo(counts(Map.of(Status.WAITING, 1L,
                Status.PENDING, 1L)));
        assertThat(this.storage.countByStatus("")).isEqualTo(counts(Map.of(Status.WAITING, 3L, Status.COMPLETED, 1L,
                Status.PENDING, 1L)));
        assertThat(this.storage.countByStatus("unknown")).isEqualTo(counts(Map.of()));
        assertThat(this.storage.countByStatus(ORDER).keySet()).containsExactly(Status.values());
    }

    @Test
    void countByStatusFollowsStatusChanges() {
        Instance created = created(Instances.pending("run-1", "order::1", ORDER, 1));
        created(Instances.pending("run-2", "order::2", ORDER, 1));

        Instance running = this.storage.update(Instances.withStatus(created, Status.RUNNING));
        assertThat(this.storage.countByStatus(ORDER)).isEqualTo(counts(Map.of(Status.PENDING, 1L,
                Status.RUNNING, 1L)));

        Instance stillRunning = this.storage.update(Instances.withMetadata(running, Map.of("attempt", 2)));
        assertThat(this.storage.countByStatus(ORDER)).isEqualTo(counts(Map.of(Status.PENDING, 1L,
                Status.RUNNING, 1L)));

        this.storage.update(Instances.withStatus(stillRunning, Status.FAILED));
        assertThat(this.storage.countByStatus(ORDER)).isEqualTo(counts(Map.of(Status.PENDING, 1L,
                Status.FAILED, 1L)));
        assertThat(this.storage.countByStatus("")).isEqualTo(counts(Map.of(Status.PENDING, 1L, Status.FAILED, 1L)));
    }

    @Test
    void deleteRemovesFromGetQueriesAndCounts() {
        Instance kept = stored(Status.WAITING, "run-1", "order::1", ORDER, 1);
        stored(Status.WAITING, "run-2", "order::2", ORDER, 1);

        boolean deleted = this.storage.delete("run-2");

        assertThat(deleted).isTrue();
        assertThat(this.storage.get("run-2")).isEmpty();
        assertThat(this.storage.query(InstanceQuery.all())).containsExactly(kept);
        assertThat(this.storage.query(InstanceQuery.all().id("order::2"))).isEmpty();
        assertThat(this.storage.query(InstanceQuery.all().workflow(ORDER).statuses(Status.WAITING)))
            .containsExactly(kept);
        assertThat(this.storage.countByStatus(ORDER)).isEqualTo(counts(Map.of(Status.WAITING, 1L)));
        assertThat(this.storage.countByStatus("")).isEqualTo(counts(Map.of(Status.WAITING, 1L)));
    }

    @Test
    void deletingRunsOfAnIdKeepsItsOtherRunsNewestFirst() {
        Instance first = stored(Status.COMPLETED, "run-1", "order::1", ORDER, 1);
        stored(Status.COMPLETED, "run-2", "order::1", ORDER, 1);
        Instance third = created(Instances.pending("run-3", "order::1", ORDER, 1));

        assertThat(this.storage.query(InstanceQuery.all().id("order::1").limit(2)))
            .extracting(Instance::runId).containsExactly("run-3", "run-2");
        this.storage.delete("run-2");
        assertThat(this.storage.query(InstanceQuery.all().id("order::1"))).containsExactly(third, first);
        this.storage.delete("run-3");
        assertThat(this.storage.query(InstanceQuery.all().id("order::1"))).containsExactly(first);
        assertThat(this.storage.create(Instances.pending("run-4", "order::1", ORDER, 1), UniquenessScope.WORKFLOW))
            .isInstanceOf(CreateResult.Created.class);
        this.storage.delete("run-1");
        assertThat(this.storage.query(InstanceQuery.all().id("order::1"))).extracting(Instance::runId)
            .containsExactly("run-4");
    }

    @Test
    void deleteIsIdempotent() {
        created(Instances.pending("run-1", "order::1", ORDER, 1));

        assertThat(this.storage.delete("run-1")).isTrue();
        assertThat(this.storage.delete("run-1")).isFalse();
        assertThat(this.storage.delete("never-stored")).isFalse();
        assertThat(this.storage.countByStatus("")).isEqualTo(counts(Map.of()));
    }

    @Test
    void deletedRunIdCanBeCreatedAgain() {
        created(Instances.pending("run-1", "order::1", ORDER, 1));
        this.storage.delete("run-1");

        Instance again = assertCreated(Instances.pending("run-1", "order::2", ORDER, 1), UniquenessScope.WORKFLOW);

        assertThat(this.storage.query(InstanceQuery.all())).containsExactly(again);
        assertThat(this.storage.query(InstanceQuery.all().id("order::1"))).isEmpty();
    }

    @Test
    void concurrentCreatesOfTheSameIdHaveExactlyOneWinner() throws Exception {
        int threads = 8;
        List<CreateResult> results = runConcurrently(threads, (index) -> () -> this.storage.create(
                Instances.pending("run-" + index, "order::1", ORDER, 1), UniquenessScope.WORKFLOW));

        List<Instance> winners = new ArrayList<>();
        for (CreateResult result : results) {
            if (result instanceof CreateResult.Created created) {
                winners.add(created.instance());
            }
        }
        assertThat(winners).hasSize(1);
        assertThat(results).filteredOn(CreateResult.Conflict.class::isInstance)
            .hasSize(threads - 1)
            .allSatisfy((result) -> assertThat(((CreateResult.Conflict) result).existing()).isEqualTo(winners.get(0)));
        assertThat(this.storage.query(InstanceQuery.all().id("order::1"))).containsExactly(winners.get(0));
        assertThat(this.storage.countByStatus(ORDER)).containsEntry(Status.PENDING, 1L);
    }

    @Test
    void concurrentUpdatesWithRetryLoseNoUpdate() throws Exception {
        created(Instances.pending("run-1", "order::1", ORDER, 1));
        int threads = 8;
        int updatesPerThread = 250;

        List<Integer> successes = runConcurrently(threads, (index) -> () -> {
            int done = 0;
            while (done < updatesPerThread) {
                Instance current = this.storage.get("run-1").orElseThrow();
                long count = ((Number) current.runtimeMetadata().getOrDefault("count", 0)).longValue();
                try {
                    this.storage.update(Instances.withMetadata(current, Map.of("count", count + 1)));
                    done++;
                }
                catch (StaleInstanceException ex) {
                    // Someone else wrote first: read again and retry.
                }
            }
            return done;
        });

        long updates = successes.stream().mapToLong(Integer::longValue).sum();
        Instance last = this.storage.get("run-1").orElseThrow();
        assertThat(updates).isEqualTo((long) threads * updatesPerThread);
        assertThat(last.revision()).isEqualTo(1L + updates);
        assertThat(((Number) last.runtimeMetadata().get("count")).longValue()).isEqualTo(updates);
    }

    /**
     * Return the stored form of a new instance created with the workflow scope, failing if it
     * conflicts.
     * @param instance the new instance
     * @return the stored instance
     */
    protected final Instance created(Instance instance) {
        return assertCreated(instance, UniquenessScope.WORKFLOW);
    }

    /**
     * Create a pending instance, move it to {@code status} with one update, and return what is stored.
     * @param status the status to end in
     * @param runId the run id
     * @param id the business id
     * @param workflow the workflow name
     * @param version the workflow version
     * @return the stored instance
     */
    protected final Instance stored(Status status, String runId, String id, String workflow, int version) {
        Instance created = assertCreated(Instances.pending(runId, id, workflow, version), UniquenessScope.NONE);
        return (status == Status.PENDING) ? created : this.storage.update(Instances.withStatus(created, status));
    }

    private Instance assertCreated(Instance instance, UniquenessScope scope) {
        CreateResult result = this.storage.create(instance, scope);
        assertThat(result).isEqualTo(new CreateResult.Created(instance.withRevision(1)));
        return ((CreateResult.Created) result).instance();
    }

    private static Map<Status, Long> counts(Map<Status, Long> nonZero) {
        Map<Status, Long> counts = new EnumMap<>(Status.class);
        for (Status status : Status.values()) {
            counts.put(status, nonZero.getOrDefault(status, 0L));
        }
        return counts;
    }

    /**
     * Run one task per thread, all released at once by a start gate, and return their results.
     */
    private static <T> List<T> runConcurrently(int threads, TaskFactory<T> tasks) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<T> task = tasks.task(i);
                futures.add(executor.submit(() -> {
                    ready.countDown();
                    start.await();
                    return task.call();
                }));
            }
            assertThat(ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        }
        finally {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    /**
     * Makes the task of one thread from its index.
     */
    @FunctionalInterface
    private interface TaskFactory<T> {

        Callable<T> task(int index);
    }
}
