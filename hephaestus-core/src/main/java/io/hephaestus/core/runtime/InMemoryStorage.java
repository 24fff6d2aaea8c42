package io.hephaestus.core.runtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;

/**
 * {@link InMemoryStorage} is a {@link Storage} that keeps instances in concurrent maps of this JVM:
 * fast and dependency-free, but lost on restart and not shared between nodes.
 *
 * <p><strong>Bounded memory.</strong> At most {@link Builder#maxFinishedInstances(int)} finished
 * (completed, failed or cancelled) instances are kept, {@value #DEFAULT_MAX_FINISHED_INSTANCES} by
 * default: when one more finishes, the one that finished first is deleted. Active instances are
 * never evicted. {@link #deleteFinishedBefore} deletes finished instances by age as well.
 *
 * <p><strong>Threading.</strong> Every method is thread-safe. Reads ({@link #get}, {@link #query},
 * {@link #countByStatus}) take no lock. Writes ({@link #create}, {@link #update}, {@link #delete})
 * lock one of a fixed set of stripes chosen by the business id, so writes for different ids rarely
 * contend; since a run never changes its business id, every write to a given run takes the same
 * stripe, which makes the uniqueness check of {@code create} and the revision check of
 * {@code update} atomic. No method blocks on anything but these short critical sections. A write
 * that finishes an instance beyond the cap deletes the oldest finished one afterwards, on the
 * writer's thread, outside its stripe.
 *
 * <p><strong>Consistency.</strong> {@code get} always sees the latest completed write. Queries are
 * weakly consistent while writes run concurrently, within the guarantee of {@link Storage}: each
 * matching instance is returned at most once, an instance that matched for the whole query is
 * always returned, and an instance that changed during it is returned only if its latest snapshot
 * matches. Counts may be briefly off by the writes in flight. Both are exact once writes have
 * finished.
 *
 * <p><strong>Complexity.</strong> With <i>n</i> stored instances: {@code get} is O(1);
 * {@code create}, {@code update} and {@code delete} are O(log n) plus the runs of the same business
 * id; {@code countByStatus} is O(workflows &times; statuses). {@code query} reads the narrowest
 * index and stops at the limit: the runs of the business id if one is given; else, for a single
 * status, the per-status index of the workflow (or of every workflow, merged newest first), so it
 * touches about {@code limit} entries plus the ones the remaining criteria (such as the version)
 * reject; for several statuses or none, the workflow's runs newest first, skipping those in other
 * statuses. That last index is what keeps the guarantee above: an instance moving between two
 * requested statuses stays in it, where two per-status indexes read one after the other could each
 * miss it.
 *
 * <p><strong>Footprint.</strong> Besides the instance itself, a run costs one entry in the run map,
 * one in its business id's map (a run id alone while the id has a single run), one in its
 * workflow's status index, one in the workflow's index of all runs, and, once finished, one in the
 * index of finished runs. Ordering is by a sequence number assigned at creation, so runs created in
 * the same instant still have a stable order.
 *
 * @since 0.1.0
 */
public final class InMemoryStorage implements Storage {

    /** How many finished instances are kept unless the builder says otherwise. */
    public static final int DEFAULT_MAX_FINISHED_INSTANCES = 10_000;

    private static final int LOCK_STRIPES = 256;

    private static final Status[] STATUSES = Status.values();

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /**
     * Business id to its runs: the run id itself when there is one (the common case, which costs no
     * more than the map entry), else a {@link Runs}, newest first. Values are replaced, never
     * changed, and only under the id's stripe.
     */
    private final ConcurrentHashMap<String, Object> runsById = new ConcurrentHashMap<>();

    /**
     * Workflow name to its indexes. Entries are never removed: workflows are few and fixed by
     * definitions, and removing an empty index would race with a create under another stripe.
     */
    private final ConcurrentHashMap<String, WorkflowIndex> workflows = new ConcurrentHashMap<>();

    /** Finished runs, the first to finish first; written under the run's stripe. */
    private final ConcurrentSkipListMap<FinishedKey, String> finished = new ConcurrentSkipListMap<>();

    /** The number of finished runs stored, changed under the run's stripe with {@link #finished}. */
    private final AtomicLong finishedCount = new AtomicLong();

    private final AtomicLong sequence = new AtomicLong();

    private final Object[] locks = new Object[LOCK_STRIPES];

    private final int maxFinishedInstances;

    /**
     * Create an empty storage that keeps at most {@value #DEFAULT_MAX_FINISHED_INSTANCES} finished
     * instances.
     */
    public InMemoryStorage() {
        this(DEFAULT_MAX_FINISHED_INSTANCES);
    }

    private InMemoryStorage(int maxFinishedInstances) {
        this.maxFinishedInstances = maxFinishedInstances;
        for (int i = 0; i < this.locks.length; i++) {
            this.locks[i] = new Object();
        }
    }

    /**
     * Return a builder for a storage with other options than {@link #InMemoryStorage()}.
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Return how many finished instances this storage keeps at most.
     * @return the cap
     */
    public int maxFinishedInstances() {
        return this.maxFinishedInstances;
    }

    /**
     * {@inheritDoc}
     * @throws IllegalArgumentException if the revision is not 0, or the run id is already stored
     */
    @Override
    public CreateResult create(Instance instance, UniquenessScope scope) {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(scope, "scope");
        if (instance.revision() != 0) {
            throw new IllegalArgumentException("a new instance must have revision 0, run " + instance.runId()
                    + " has revision " + instance.revision());
        }
        Entry entry;
        synchronized (lockFor(instance.id())) {
            if (this.entries.containsKey(instance.runId())) {
                throw duplicateRunId(instance);
            }
            Optional<Instance> conflict = findConflict(instance, scope);
            if (conflict.isPresent()) {
                return new CreateResult.Conflict(conflict.get());
            }
            entry = new Entry(instance.withRevision(1), this.sequence.incrementAndGet());
            // A run id is unique across business ids, whose creates hold other stripes.
            if (this.entries.putIfAbsent(instance.runId(), entry) != null) {
                throw duplicateRunId(instance);
            }
            Object runs = this.runsById.get(instance.id());
            this.runsById.put(instance.id(), (runs == null) ? instance.runId() : Runs.of(runs).plusNewest(instance.runId()));
            WorkflowIndex workflow = this.workflows.computeIfAbsent(instance.workflow(), (name) -> new WorkflowIndex());
            workflow.add(entry);
            if (instance.status().isTerminal()) {
                addFinished(entry);
            }
        }
        if (instance.status().isTerminal()) {
            evictOverflow();
        }
        return new CreateResult.Created(entry.instance());
    }

    /**
     * {@inheritDoc}
     * @throws IllegalArgumentException if the snapshot changes the business id, workflow or version of
     * its run
     */
    @Override
    public Instance update(Instance instance) {
        Objects.requireNonNull(instance, "instance");
        Entry next;
        boolean finishes;
        synchronized (lockFor(instance.id())) {
            Entry current = this.entries.get(instance.runId());
            if (current == null) {
                throw new InstanceNotFoundException("no instance with run id " + instance.runId());
            }
            Instance stored = current.instance();
            requireSameRun(stored, instance);
            if (stored.revision() != instance.revision()) {
                throw new StaleInstanceException("instance " + instance.id() + " (run " + instance.runId()
                        + ") is stale: expected revision " + instance.revision() + " but the stored revision is "
                        + stored.revision());
            }
            next = new Entry(instance.withRevision(stored.revision() + 1), current.sequence());
            this.entries.put(instance.runId(), next);
            if (stored.status() != instance.status()) {
                // Add before removing, so that a single-status query sees the run in one of them.
                this.workflows.get(instance.workflow()).move(current, next);
            }
            finishes = updateFinished(current, next);
        }
        if (finishes) {
            evictOverflow();
        }
        return next.instance();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Optional<Instance> get(String runId) {
        Objects.requireNonNull(runId, "runId");
        Entry entry = this.entries.get(runId);
        return (entry != null) ? Optional.of(entry.instance()) : Optional.empty();
    }

    /**
     * {@inheritDoc}
     * <p>The list is unmodifiable. A version criterion is checked on the instances of the chosen
     * index, so a query for an old version among many newer runs reads past the newer ones.
     */
    @Override
    public List<Instance> query(InstanceQuery query) {
        Objects.requireNonNull(query, "query");
        if (!query.id().isEmpty()) {
            return queryById(query);
        }
        Iterator<Map.Entry<Long, String>> candidates;
        if (!query.workflow().isEmpty()) {
            WorkflowIndex workflow = this.workflows.get(query.workflow());
            if (workflow == null) {
                return List.of();
            }
            candidates = workflow.newestFirst(query).entrySet().iterator();
        }
        else {
            List<Iterator<Map.Entry<Long, String>>> sources = new ArrayList<>();
            this.workflows.values().forEach((workflow) -> sources.add(workflow.newestFirst(query).entrySet().iterator()));
            candidates = (sources.size() == 1) ? sources.get(0) : new NewestFirstMerge(sources);
        }
        List<Instance> result = new ArrayList<>(Math.min(query.limit(), 64));
        long previous = Long.MAX_VALUE;
        while (candidates.hasNext() && result.size() < query.limit()) {
            Map.Entry<Long, String> candidate = candidates.next();
            long sequence = candidate.getKey();
            // Sources run newest first, so a repeat (a run removed and added again behind the
            // iterator of a status index) can only come as a sequence not below the last one.
            if (sequence >= previous) {
                continue;
            }
            previous = sequence;
            Entry entry = this.entries.get(candidate.getValue());
            // The sequence check skips a run id that was deleted and created again meanwhile.
            if (entry != null && entry.sequence() == sequence && query.matches(entry.instance())) {
                result.add(entry.instance());
            }
        }
        return Collections.unmodifiableList(result);
    }

    private List<Instance> queryById(InstanceQuery query) {
        Object runs = this.runsById.get(query.id());
        if (runs == null) {
            return List.of();
        }
        List<Instance> result = new ArrayList<>();
        for (String runId : Runs.of(runs).newestFirst) {
            Entry entry = this.entries.get(runId);
            if (entry != null && query.matches(entry.instance())) {
                result.add(entry.instance());
                if (result.size() == query.limit()) {
                    break;
                }
            }
        }
        return Collections.unmodifiableList(result);
    }

    /**
     * {@inheritDoc}
     * <p>The map is unmodifiable; an unknown workflow has every count at zero.
     */
    @Override
    public Map<Status, Long> countByStatus(String workflow) {
        Objects.requireNonNull(workflow, "workflow");
        Map<Status, Long> counts = new EnumMap<>(Status.class);
        for (Status status : STATUSES) {
            long count = 0;
            if (workflow.isEmpty()) {
                for (WorkflowIndex index : this.workflows.values()) {
                    count += index.count(status);
                }
            }
            else {
                WorkflowIndex index = this.workflows.get(workflow);
                count = (index != null) ? index.count(status) : 0L;
            }
            counts.put(status, count);
        }
        return Collections.unmodifiableMap(counts);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean delete(String runId) {
        Objects.requireNonNull(runId, "runId");
        while (true) {
            Entry entry = this.entries.get(runId);
            if (entry == null) {
                return false;
            }
            if (delete(entry)) {
                return true;
            }
            // An update or a delete and re-create won the stripe first: look again.
        }
    }

    /**
     * {@inheritDoc}
     * <p>Walks the index of finished runs from the first to finish, so it touches only the
     * instances it deletes.
     */
    @Override
    public int deleteFinishedBefore(Instant cutoff, int limit) {
        Objects.requireNonNull(cutoff, "cutoff");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        int deleted = 0;
        while (deleted < limit) {
            Map.Entry<FinishedKey, String> oldest = this.finished.firstEntry();
            if (oldest == null || !oldest.getKey().finishedAt().isBefore(cutoff)) {
                break;
            }
            if (deleteFinished(oldest)) {
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * Return {@code in-memory}.
     * @return the name
     */
    @Override
    public String name() {
        return "in-memory";
    }

    /**
     * Return {@code false}: instances live in this JVM's memory and are lost when it stops.
     * @return {@code false}
     */
    @Override
    public boolean isDurable() {
        return false;
    }

    private boolean delete(Entry entry) {
        Instance instance = entry.instance();
        synchronized (lockFor(instance.id())) {
            if (!this.entries.remove(instance.runId(), entry)) {
                return false;
            }
            unindex(entry);
            if (instance.status().isTerminal()) {
                this.finished.remove(FinishedKey.of(entry));
                this.finishedCount.decrementAndGet();
            }
            return true;
        }
    }

    /**
     * Delete the run of an entry of the finished index if it is still stored as indexed there.
     * Returns false without deleting when an update or delete changed it meanwhile, which also
     * removed the index entry or is about to.
     */
    private boolean deleteFinished(Map.Entry<FinishedKey, String> indexed) {
        Entry entry = this.entries.get(indexed.getValue());
        if (entry == null || !entry.instance().status().isTerminal()
                || !FinishedKey.of(entry).equals(indexed.getKey())) {
            return false;
        }
        return delete(entry);
    }

    private void evictOverflow() {
        while (this.finishedCount.get() > this.maxFinishedInstances) {
            Map.Entry<FinishedKey, String> oldest = this.finished.firstEntry();
            if (oldest == null) {
                return;
            }
            deleteFinished(oldest);
        }
    }

    private void addFinished(Entry entry) {
        this.finished.put(FinishedKey.of(entry), entry.instance().runId());
        this.finishedCount.incrementAndGet();
    }

    /**
     * Keep the finished index in step with an update; return whether the run just finished.
     */
    private boolean updateFinished(Entry previous, Entry next) {
        boolean wasFinished = previous.instance().status().isTerminal();
        boolean isFinished = next.instance().status().isTerminal();
        if (!wasFinished) {
            if (isFinished) {
                addFinished(next);
            }
            return isFinished;
        }
        FinishedKey before = FinishedKey.of(previous);
        if (isFinished) {
            FinishedKey after = FinishedKey.of(next);
            if (!after.equals(before)) {
                this.finished.put(after, next.instance().runId());
                this.finished.remove(before);
            }
        }
        else {
            // Terminal statuses are absorbing for the engine, but the SPI does not forbid this.
            this.finished.remove(before);
            this.finishedCount.decrementAndGet();
        }
        return false;
    }

    private Optional<Instance> findConflict(Instance instance, UniquenessScope scope) {
        if (scope == UniquenessScope.NONE) {
            return Optional.empty();
        }
        Object runs = this.runsById.get(instance.id());
        if (runs == null) {
            return Optional.empty();
        }
        for (String runId : Runs.of(runs).newestFirst) {
            Entry entry = this.entries.get(runId);
            if (entry != null && conflicts(entry.instance(), instance, scope)) {
                return Optional.of(entry.instance());
            }
        }
        return Optional.empty();
    }

    private static boolean conflicts(Instance existing, Instance candidate, UniquenessScope scope) {
        if (!existing.status().isActive()) {
            return false;
        }
        return switch (scope) {
            case GLOBAL -> true;
            case WORKFLOW -> existing.workflow().equals(candidate.workflow());
            case VERSION -> existing.workflow().equals(candidate.workflow())
                    && existing.workflowVersion() == candidate.workflowVersion();
            case NONE -> false;
        };
    }

    private static void requireSameRun(Instance stored, Instance instance) {
        if (!stored.id().equals(instance.id()) || !stored.workflow().equals(instance.workflow())
                || stored.workflowVersion() != instance.workflowVersion()) {
            throw new IllegalArgumentException("run " + instance.runId() + " cannot change its id, workflow or version: "
                    + "stored " + describe(stored) + ", given " + describe(instance));
        }
    }

    private static String describe(Instance instance) {
        return "id " + instance.id() + " of " + instance.workflow() + " v" + instance.workflowVersion();
    }

    private static IllegalArgumentException duplicateRunId(Instance instance) {
        return new IllegalArgumentException("an instance with run id " + instance.runId() + " already exists");
    }

    private void unindex(Entry entry) {
        Instance instance = entry.instance();
        Object runs = this.runsById.get(instance.id());
        if (runs != null) {
            Object rest = Runs.of(runs).without(instance.runId());
            if (rest == null) {
                this.runsById.remove(instance.id());
            }
            else {
                this.runsById.put(instance.id(), rest);
            }
        }
        this.workflows.get(instance.workflow()).remove(entry);
    }

    private Object lockFor(String id) {
        int hash = id.hashCode();
        return this.locks[(hash ^ (hash >>> 16)) & (LOCK_STRIPES - 1)];
    }

    private static ConcurrentNavigableMap<Long, String> newestFirstMap() {
        return new ConcurrentSkipListMap<>(Comparator.reverseOrder());
    }

    /**
     * {@link Builder} sets the options of an {@link InMemoryStorage}.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private int maxFinishedInstances = DEFAULT_MAX_FINISHED_INSTANCES;

        private Builder() {
        }

        /**
         * Set how many finished instances are kept at most (default
         * {@value InMemoryStorage#DEFAULT_MAX_FINISHED_INSTANCES}); beyond it, the instance that
         * finished first is deleted. {@code 0} keeps none, {@link Integer#MAX_VALUE} in effect
         * keeps all.
         * @param maxFinishedInstances the cap, not negative
         * @return this builder
         * @throws IllegalArgumentException if the cap is negative
         */
        public Builder maxFinishedInstances(int maxFinishedInstances) {
            if (maxFinishedInstances < 0) {
                throw new IllegalArgumentException("maxFinishedInstances must not be negative, got "
                        + maxFinishedInstances);
            }
            this.maxFinishedInstances = maxFinishedInstances;
            return this;
        }

        /**
         * Return a new, empty storage with these options.
         * @return the storage
         */
        public InMemoryStorage build() {
            return new InMemoryStorage(this.maxFinishedInstances);
        }
    }

    /**
     * The runs of one business id, newest first: immutable, replaced under the id's stripe.
     */
    private static final class Runs {

        final String[] newestFirst;

        private Runs(String[] newestFirst) {
            this.newestFirst = newestFirst;
        }

        /** Read a {@code runsById} value: a single run id or a {@link Runs}. */
        static Runs of(Object value) {
            return (value instanceof Runs runs) ? runs : new Runs(new String[] { (String) value });
        }

        Runs plusNewest(String runId) {
            String[] next = new String[this.newestFirst.length + 1];
            next[0] = runId;
            System.arraycopy(this.newestFirst, 0, next, 1, this.newestFirst.length);
            return new Runs(next);
        }

        /** Return the {@code runsById} value without {@code runId}, or null if no run is left. */
        Object without(String runId) {
            List<String> rest = new ArrayList<>(List.of(this.newestFirst));
            rest.remove(runId);
            if (rest.isEmpty()) {
                return null;
            }
            return (rest.size() == 1) ? rest.get(0) : new Runs(rest.toArray(new String[0]));
        }
    }

    /**
     * One stored snapshot with the sequence number its run was given at creation, boxed once so
     * that every index shares the key.
     */
    private record Entry(Instance instance, Long sequence) {

        Entry(Instance instance, long sequence) {
            this(instance, Long.valueOf(sequence));
        }
    }

    /**
     * The place of a finished run in the finished index: when it finished (its last update), then
     * its creation order.
     */
    private record FinishedKey(Instant finishedAt, long sequence) implements Comparable<FinishedKey> {

        static FinishedKey of(Entry entry) {
            return new FinishedKey(entry.instance().updatedAt(), entry.sequence());
        }

        @Override
        public int compareTo(FinishedKey other) {
            int byTime = this.finishedAt.compareTo(other.finishedAt);
            return (byTime != 0) ? byTime : Long.compare(this.sequence, other.sequence);
        }
    }

    /**
     * The runs of one workflow: all of them, and by status, newest first, with a counter per
     * status.
     */
    private static final class WorkflowIndex {

        private final ConcurrentNavigableMap<Long, String> all = newestFirstMap();

        private final Map<Status, ConcurrentNavigableMap<Long, String>> byStatus = new EnumMap<>(Status.class);

        private final Map<Status, LongAdder> counts = new EnumMap<>(Status.class);

        WorkflowIndex() {
            // Filled once here and only read afterwards, so the EnumMaps are safely shared.
            for (Status status : STATUSES) {
                this.byStatus.put(status, newestFirstMap());
                this.counts.put(status, new LongAdder());
            }
        }

        void add(Entry entry) {
            this.all.put(entry.sequence(), entry.instance().runId());
            addToStatus(entry);
        }

        void remove(Entry entry) {
            removeFromStatus(entry);
            this.all.remove(entry.sequence());
        }

        void move(Entry previous, Entry next) {
            addToStatus(next);
            removeFromStatus(previous);
        }

        long count(Status status) {
            return this.counts.get(status).sum();
        }

        /**
         * Return the index to walk for a query: the status index for a single status, where a run
         * stays as long as it matches; else every run of the workflow, since a run moving between
         * two requested statuses could slip past two status indexes read side by side.
         */
        ConcurrentNavigableMap<Long, String> newestFirst(InstanceQuery query) {
            return (query.statuses().size() == 1) ? this.byStatus.get(query.statuses().iterator().next()) : this.all;
        }

        private void addToStatus(Entry entry) {
            Status status = entry.instance().status();
            this.byStatus.get(status).put(entry.sequence(), entry.instance().runId());
            this.counts.get(status).increment();
        }

        private void removeFromStatus(Entry entry) {
            Status status = entry.instance().status();
            this.byStatus.get(status).remove(entry.sequence());
            this.counts.get(status).decrement();
        }
    }

    /**
     * Lazily merges iterators that each run newest first (descending sequence) into one. The
     * sources are the indexes of different workflows, so they never hold the same run.
     */
    private static final class NewestFirstMerge implements Iterator<Map.Entry<Long, String>> {

        private final PriorityQueue<Cursor> cursors = new PriorityQueue<>(
                Comparator.comparing((Cursor cursor) -> cursor.head.getKey()).reversed());

        NewestFirstMerge(List<Iterator<Map.Entry<Long, String>>> sources) {
            for (Iterator<Map.Entry<Long, String>> source : sources) {
                if (source.hasNext()) {
                    this.cursors.add(new Cursor(source, source.next()));
                }
            }
        }

        @Override
        public boolean hasNext() {
            return !this.cursors.isEmpty();
        }

        @Override
        public Map.Entry<Long, String> next() {
            Cursor cursor = this.cursors.remove();
            Map.Entry<Long, String> newest = cursor.head;
            if (cursor.source.hasNext()) {
                cursor.head = cursor.source.next();
                this.cursors.add(cursor);
            }
            return newest;
        }
    }

    /**
     * One source of a merge and its next entry.
     */
    private static final class Cursor {

        private final Iterator<Map.Entry<Long, String>> source;

        private Map.Entry<Long, String> head;

        Cursor(Iterator<Map.Entry<Long, String>> source, Map.Entry<Long, String> head) {
            this.source = source;
            this.head = head;
        }
    }
}
