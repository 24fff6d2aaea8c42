package io.hephaestus.core.runtime;

import java.time.Instant;
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
import java.util.concurrent.atomic.AtomicBoolean;

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

    private static final int QUERY_RACE_ROUNDS = 300;

    private static final int RACING_THREADS = 50;

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
    void traceContextIsKeptByCreateAndEveryUpdate() {
        Map<String, String> trace = Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "tracestate", "vendor=1");
        Instance stored = created(Instances.tracedPending("run-1", "order::1", ORDER, trace));

        Instance updated = this.storage.update(Instances.withStatus(stored, Status.RUNNING));

        assertThat(stored.traceContext()).isEqualTo(trace);
        assertThat(updated.traceContext()).isEqualTo(trace);
        assertThat(this.storage.get("run-1")).get().extracting(Instance::traceContext).isEqualTo(trace);
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
    void deleteFinishedBeforeDeletesFinishedInstancesOldestFirstUpToTheLimit() {
        Instant start = Instances.UPDATED_AT;
        Instance running = this.storage.update(Instances.withStatus(created(Instances.pending("run-a", "order::a", ORDER,
                1)), Status.RUNNING));
        Instance waiting = stored(Status.WAITING, "run-w", "order::w", ORDER, 1);
        Instance pending = created(Instances.pending("run-p", "order::p", ORDER, 1));
        finished(Status.COMPLETED, "run-1", start.plusSeconds(1));
        finished(Status.FAILED, "run-3", start.plusSeconds(3));
        finished(Status.CANCELLED, "run-2", start.plusSeconds(2));
        Instance recent = finished(Status.COMPLETED, "run-5", start.plusSeconds(5));
        Instant cutoff = start.plusSeconds(4);

        assertThat(this.storage.deleteFinishedBefore(cutoff, 2)).isEqualTo(2);
        assertThat(this.storage.get("run-1")).isEmpty();
        assertThat(this.storage.get("run-2")).isEmpty();
        assertThat(this.storage.get("run-3")).isPresent();

        assertThat(this.storage.deleteFinishedBefore(cutoff, 10)).isEqualTo(1);
        assertThat(this.storage.deleteFinishedBefore(cutoff, 10)).isZero();
        // Active instances last changed before the cutoff are kept, as is the recent finished one.
        assertThat(this.storage.query(InstanceQuery.all())).containsExactly(recent, pending, waiting, running);
        assertThat(this.storage.countByStatus(ORDER)).isEqualTo(counts(Map.of(Status.RUNNING, 1L, Status.WAITING, 1L,
                Status.PENDING, 1L, Status.COMPLETED, 1L)));
    }

    @Test
    void deleteFinishedBeforeKeepsInstancesFinishedAtTheCutoff() {
        Instant cutoff = Instances.UPDATED_AT.plusSeconds(10);
        Instance atCutoff = finished(Status.COMPLETED, "run-1", cutoff);

        assertThat(this.storage.deleteFinishedBefore(cutoff, 10)).isZero();
        assertThat(this.storage.get("run-1")).contains(atCutoff);
        assertThat(this.storage.deleteFinishedBefore(cutoff.plusMillis(1), 10)).isOne();
    }

    @Test
    void deleteFinishedBeforeOfAnEmptyStorageDeletesNothing() {
        assertThat(this.storage.deleteFinishedBefore(Instant.MAX, 100)).isZero();
    }

    @Test
    void deleteFinishedBeforeRejectsANonPositiveLimit() {
        finished(Status.COMPLETED, "run-1", Instances.UPDATED_AT);

        assertThatIllegalArgumentException().isThrownBy(() -> this.storage.deleteFinishedBefore(Instant.MAX, 0))
            .withMessageContaining("limit");
        assertThat(this.storage.get("run-1")).isPresent();
    }

    @Test
    void deletedFinishedInstancesAreGoneFromQueriesAndCounts() {
        finished(Status.COMPLETED, "run-1", Instances.UPDATED_AT);
        Instance kept = stored(Status.WAITING, "run-2", "order::2", ORDER, 1);

        this.storage.deleteFinishedBefore(Instant.MAX, 100);

        assertThat(this.storage.query(InstanceQuery.all().id("order::run-1"))).isEmpty();
        assertThat(this.storage.query(InstanceQuery.all().workflow(ORDER).statuses(Status.COMPLETED))).isEmpty();
        assertThat(this.storage.query(InstanceQuery.all().workflow(ORDER))).containsExactly(kept);
        assertThat(this.storage.countByStatus("")).isEqualTo(counts(Map.of(Status.WAITING, 1L)));
    }

    @ParameterizedTest
    @EnumSource(names = { "GLOBAL", "WORKFLOW", "VERSION" })
    void concurrentCreatesOfTheSameIdHaveExactlyOneWinner(UniquenessScope scope) throws Exception {
        List<CreateResult> results = runConcurrently(RACING_THREADS, (index) -> () -> this.storage.create(
                Instances.pending("run-" + index, "order::1", ORDER, 1), scope));

        List<Instance> winners = new ArrayList<>();
        for (CreateResult result : results) {
            if (result instanceof CreateResult.Created created) {
                winners.add(created.instance());
            }
        }
        assertThat(winners).hasSize(1);
        assertThat(results).filteredOn(CreateResult.Conflict.class::isInstance)
            .hasSize(RACING_THREADS - 1)
            .allSatisfy((result) -> assertThat(((CreateResult.Conflict) result).existing()).isEqualTo(winners.get(0)));
        assertThat(this.storage.query(InstanceQuery.all().id("order::1"))).containsExactly(winners.get(0));
        assertThat(this.storage.countByStatus(ORDER)).containsEntry(Status.PENDING, 1L);
    }

    @Test
    void concurrentCreatesOfTheSameIdWithoutUniquenessAllSucceed() throws Exception {
        List<CreateResult> results = runConcurrently(RACING_THREADS, (index) -> () -> this.storage.create(
                Instances.pending("run-" + index, "order::1", ORDER, 1), UniquenessScope.NONE));

        assertThat(results).allSatisfy((result) -> assertThat(result).isInstanceOf(CreateResult.Created.class));
        assertThat(this.storage.query(InstanceQuery.all().id("order::1"))).hasSize(RACING_THREADS);
        assertThat(this.storage.countByStatus(ORDER)).containsEntry(Status.PENDING, (long) RACING_THREADS);
    }

    @Test
    void concurrentGlobalCreatesAlsoExcludeRunsCreatedWithANarrowerScope() throws Exception {
        // Starts of two workflows race on one id: even threads with the global scope, odd ones with
        // the workflow scope. A global start must see every active run of either workflow.
        List<CreateResult> results = runConcurrently(RACING_THREADS, (index) -> () -> this.storage.create(
                Instances.pending("run-" + index, "shared::1", (index % 4 < 2) ? ORDER : INVOICE, 1),
                (index % 2 == 0) ? UniquenessScope.GLOBAL : UniquenessScope.WORKFLOW));

        List<Instance> newestFirst = this.storage.query(InstanceQuery.all().id("shared::1"));
        List<String> globalWinners = results.stream()
            .filter(CreateResult.Created.class::isInstance)
            .map((result) -> ((CreateResult.Created) result).instance().runId())
            .filter((runId) -> Integer.parseInt(runId.substring("run-".length())) % 2 == 0)
            .toList();
        assertThat(newestFirst).extracting(Instance::workflow).doesNotHaveDuplicates();
        assertThat(globalWinners).hasSizeLessThanOrEqualTo(1);
        if (!globalWinners.isEmpty()) {
            // No run was stored before the global winner, only (other workflows' runs) after it.
            assertThat(newestFirst.get(newestFirst.size() - 1).runId()).isEqualTo(globalWinners.get(0));
        }
        assertThat(results).filteredOn(CreateResult.Conflict.class::isInstance)
            .allSatisfy((result) -> assertThat(newestFirst).contains(((CreateResult.Conflict) result).existing()));
    }

    @Test
    void concurrentUpdatesOfOneRevisionHaveExactlyOneWinner() throws Exception {
        Instance current = created(Instances.pending("run-1", "order::1", ORDER, 1));
        for (int round = 0; round < 5; round++) {
            Instance base = current;
            List<Object> outcomes = runConcurrently(RACING_THREADS, (index) -> () -> {
                try {
                    return this.storage.update(Instances.withMetadata(base, Map.of("writer", index)));
                }
                catch (StaleInstanceException ex) {
                    return ex;
                }
            });

            List<Instance> winners = outcomes.stream().filter(Instance.class::isInstance).map(Instance.class::cast)
                .toList();
            assertThat(winners).hasSize(1);
            assertThat(outcomes).filteredOn(StaleInstanceException.class::isInstance).hasSize(RACING_THREADS - 1);
            assertThat(winners.get(0).revision()).isEqualTo(base.revision() + 1);
            assertThat(this.storage.get("run-1")).contains(winners.get(0));
            current = winners.get(0);
        }
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

    @Test
    void queryOverSeveralStatusesSeesEveryInstanceThatStaysInThemExactlyOnce() throws Exception {
        // Given instances that only ever move between running and waiting, and others that never match
        int movingInstances = 60;
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < movingInstances; i++) {
            stored((i % 3 == 0) ? Status.COMPLETED : Status.PENDING, "other-" + i, "order::other-" + i, ORDER, 1);
            newestFirst.add(0, stored((i % 2 == 0) ? Status.RUNNING : Status.WAITING, "run-" + i, "order::" + i,
                    ORDER, 1).runId());
        }
        int movers = 2;
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService executor = Executors.newFixedThreadPool(movers);
        try {
            List<Future<Integer>> moves = new ArrayList<>();
            for (int m = 0; m < movers; m++) {
                int first = m;
                moves.add(executor.submit(() -> moveBetweenRunningAndWaiting(newestFirst, first, movers, stop)));
            }
            InstanceQuery ofWorkflow = InstanceQuery.all().workflow(ORDER).statuses(Status.RUNNING, Status.WAITING)
                .limit(Integer.MAX_VALUE);
            InstanceQuery ofEveryWorkflow = ofWorkflow.workflow("");
            // When another thread queries both statuses while they move
            for (int i = 0; i < QUERY_RACE_ROUNDS; i++) {
                // Then each of them is seen exactly once, newest first
                assertThat(this.storage.query(ofWorkflow)).extracting(Instance::runId).containsExactlyElementsOf(newestFirst);
                assertThat(this.storage.query(ofEveryWorkflow)).extracting(Instance::runId)
                    .containsExactlyElementsOf(newestFirst);
            }
            stop.set(true);
            for (Future<Integer> mover : moves) {
                assertThat(mover.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isPositive();
            }
        }
        finally {
            stop.set(true);
            executor.shutdownNow();
            assertThat(executor.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    private int moveBetweenRunningAndWaiting(List<String> runIds, int first, int step, AtomicBoolean stop) {
        int moves = 0;
        while (!stop.get()) {
            for (int i = first; i < runIds.size() && !stop.get(); i += step) {
                Instance current = this.storage.get(runIds.get(i)).orElseThrow();
                Status next = (current.status() == Status.RUNNING) ? Status.WAITING : Status.RUNNING;
                this.storage.update(Instances.withStatus(current, next));
                moves++;
            }
        }
        return moves;
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

    /**
     * Create an instance of {@code order::<runId>}, then finish it with one update at {@code finishedAt}.
     * @param status the terminal status
     * @param runId the run id
     * @param finishedAt the time of the finishing update
     * @return the stored instance
     */
    protected final Instance finished(Status status, String runId, Instant finishedAt) {
        Instance created = assertCreated(Instances.pending(runId, "order::" + runId, ORDER, 1), UniquenessScope.NONE);
        Instance done = Instances.withStatus(created, status);
        return this.storage.update(new Instance(done.runId(), done.id(), done.workflow(), done.workflowVersion(),
                done.status(), done.context(), done.activeSteps(), done.completedSteps(), done.skippedSteps(),
                done.arrivals(), done.stepConfigs(), done.waitingSteps(), done.timers(), done.attempts(), done.queuedEvents(),
                done.runtimeMetadata(), done.history(), done.failures(), done.telemetryMetadata(), done.createdAt(),
                finishedAt, done.revision()));
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
