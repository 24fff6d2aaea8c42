package io.hephaestus.core.runtime;

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
import java.util.Set;
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
 * <p><strong>Threading.</strong> Every method is thread-safe. Reads ({@link #get}, {@link #query},
 * {@link #countByStatus}) take no lock. Writes ({@link #create}, {@link #update}, {@link #delete})
 * lock one of a fixed set of stripes chosen by the business id, so writes for different ids rarely
 * contend; since a run never changes its business id, every write to a given run takes the same
 * stripe, which makes the uniqueness check of {@code create} and the revision check of
 * {@code update} atomic. No method blocks on anything but these short critical sections.
 *
 * <p><strong>Consistency.</strong> {@code get} always sees the latest completed write. Queries and
 * counts are weakly consistent while writes run concurrently: an instance that changes status
 * during a query is returned at most once and only if its latest snapshot matches, and counts may
 * be briefly off by the writes in flight; both are exact once writes have finished.
 *
 * <p><strong>Complexity.</strong> With <i>n</i> stored instances: {@code get} is O(1);
 * {@code create}, {@code update} and {@code delete} are O(log n) plus the runs of the same business
 * id; {@code countByStatus} is O(workflows &times; statuses). {@code query} reads the narrowest
 * index (the runs of the business id, else the workflow's per-status indexes, else those of every
 * workflow), merges the requested statuses newest first and stops at the limit, so it touches about
 * {@code limit} entries plus the ones the remaining criteria (such as the version) reject.
 *
 * <p><strong>Footprint.</strong> Besides the instance itself, a run costs one entry in the run map,
 * one in its business id's map (a run id alone while the id has a single run) and one in its
 * workflow's status index. Ordering is by a sequence number assigned at creation, so runs created in the same instant
 * still have a stable order.
 *
 * @since 0.1.0
 */
public final class InMemoryStorage implements Storage {

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
     * Workflow name to its status index. Entries are never removed: workflows are few and fixed by
     * definitions, and removing an empty index would race with a create under another stripe.
     */
    private final ConcurrentHashMap<String, StatusIndex> workflows = new ConcurrentHashMap<>();

    private final AtomicLong sequence = new AtomicLong();

    private final Object[] locks = new Object[LOCK_STRIPES];

    /**
     * Create an empty storage.
     */
    public InMemoryStorage() {
        for (int i = 0; i < this.locks.length; i++) {
            this.locks[i] = new Object();
        }
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
        synchronized (lockFor(instance.id())) {
            if (this.entries.containsKey(instance.runId())) {
                throw duplicateRunId(instance);
            }
            Optional<Instance> conflict = findConflict(instance, scope);
            if (conflict.isPresent()) {
                return new CreateResult.Conflict(conflict.get());
            }
            Entry entry = new Entry(instance.withRevision(1), this.sequence.incrementAndGet());
            // A run id is unique across business ids, whose creates hold other stripes.
            if (this.entries.putIfAbsent(instance.runId(), entry) != null) {
                throw duplicateRunId(instance);
            }
            Object runs = this.runsById.get(instance.id());
            this.runsById.put(instance.id(), (runs == null) ? instance.runId() : Runs.of(runs).plusNewest(instance.runId()));
            StatusIndex workflow = this.workflows.computeIfAbsent(instance.workflow(), (name) -> new StatusIndex());
            workflow.add(entry);
            return new CreateResult.Created(entry.instance());
        }
    }

    /**
     * {@inheritDoc}
     * @throws IllegalArgumentException if the snapshot changes the business id, workflow or version of
     * its run
     */
    @Override
    public Instance update(Instance instance) {
        Objects.requireNonNull(instance, "instance");
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
            Entry next = new Entry(instance.withRevision(stored.revision() + 1), current.sequence());
            this.entries.put(instance.runId(), next);
            if (stored.status() != instance.status()) {
                moveStatus(current, next);
            }
            return next.instance();
        }
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
            StatusIndex workflow = this.workflows.get(query.workflow());
            if (workflow == null) {
                return List.of();
            }
            candidates = workflow.newestFirst(query.statuses());
        }
        else {
            List<Iterator<Map.Entry<Long, String>>> sources = new ArrayList<>();
            this.workflows.values().forEach((workflow) -> workflow.addSources(query.statuses(), sources));
            candidates = new NewestFirstMerge(sources);
        }
        List<Instance> result = new ArrayList<>(Math.min(query.limit(), 64));
        long previous = 0;
        while (candidates.hasNext() && result.size() < query.limit()) {
            Map.Entry<Long, String> candidate = candidates.next();
            long sequence = candidate.getKey();
            if (sequence == previous) {
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
                for (StatusIndex index : this.workflows.values()) {
                    count += index.count(status);
                }
            }
            else {
                StatusIndex index = this.workflows.get(workflow);
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
            String id = entry.instance().id();
            synchronized (lockFor(id)) {
                // Retry if an update or a delete and re-create won the stripe first.
                if (this.entries.remove(runId, entry)) {
                    unindex(entry);
                    return true;
                }
            }
        }
    }

    /**
     * Return {@code in-memory}.
     * @return the name
     */
    @Override
    public String name() {
        return "in-memory";
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

    private void moveStatus(Entry previous, Entry next) {
        // Add before removing so a concurrent query never misses the run; it deduplicates by sequence.
        this.workflows.get(next.instance().workflow()).move(previous, next);
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
     * One stored snapshot with the sequence number its run was given at creation.
     */
    private record Entry(Instance instance, long sequence) {
    }

    /**
     * Runs by status, newest first, with a counter per status.
     */
    private static final class StatusIndex {

        private final Map<Status, ConcurrentNavigableMap<Long, String>> runs = new EnumMap<>(Status.class);

        private final Map<Status, LongAdder> counts = new EnumMap<>(Status.class);

        StatusIndex() {
            // Filled once here and only read afterwards, so the EnumMaps are safely shared.
            for (Status status : STATUSES) {
                this.runs.put(status, newestFirstMap());
                this.counts.put(status, new LongAdder());
            }
        }

        void add(Entry entry) {
            Status status = entry.instance().status();
            this.runs.get(status).put(entry.sequence(), entry.instance().runId());
            this.counts.get(status).increment();
        }

        void remove(Entry entry) {
            Status status = entry.instance().status();
            this.runs.get(status).remove(entry.sequence());
            this.counts.get(status).decrement();
        }

        void move(Entry previous, Entry next) {
            add(next);
            remove(previous);
        }

        long count(Status status) {
            return this.counts.get(status).sum();
        }

        Iterator<Map.Entry<Long, String>> newestFirst(Set<Status> statuses) {
            if (statuses.size() == 1) {
                return this.runs.get(statuses.iterator().next()).entrySet().iterator();
            }
            List<Iterator<Map.Entry<Long, String>>> sources = new ArrayList<>(STATUSES.length);
            addSources(statuses, sources);
            return new NewestFirstMerge(sources);
        }

        void addSources(Set<Status> statuses, List<Iterator<Map.Entry<Long, String>>> sources) {
            for (Status status : STATUSES) {
                if (statuses.isEmpty() || statuses.contains(status)) {
                    sources.add(this.runs.get(status).entrySet().iterator());
                }
            }
        }
    }

    /**
     * Lazily merges iterators that each run newest first (descending sequence) into one. A run caught
     * in two status indexes while it moves comes out twice in a row; the caller skips the repeat.
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
