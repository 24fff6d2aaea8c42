package io.hephaestus.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.CreateResult;
import io.hephaestus.core.runtime.InstanceQuery;
import io.hephaestus.core.runtime.StaleInstanceException;
import io.hephaestus.core.runtime.Storage;

/**
 * A storage that counts the creates, updates (and the rejected ones) and reads by run id that reach
 * the storage it wraps.
 */
final class CountingStorage implements Storage {

    final AtomicInteger creates = new AtomicInteger();

    final AtomicInteger updates = new AtomicInteger();

    final AtomicInteger gets = new AtomicInteger();

    /** Updates rejected because the instance changed since the snapshot they apply to. */
    final AtomicInteger stale = new AtomicInteger();

    private final Storage storage;

    CountingStorage(Storage storage) {
        this.storage = storage;
    }

    /**
     * Return the number of writes: creates and updates.
     */
    int writes() {
        return this.creates.get() + this.updates.get();
    }

    @Override
    public CreateResult create(Instance instance, UniquenessScope scope) {
        this.creates.incrementAndGet();
        return this.storage.create(instance, scope);
    }

    @Override
    public Instance update(Instance instance) {
        this.updates.incrementAndGet();
        try {
            return this.storage.update(instance);
        }
        catch (StaleInstanceException ex) {
            this.stale.incrementAndGet();
            throw ex;
        }
    }

    @Override
    public Optional<Instance> get(String runId) {
        this.gets.incrementAndGet();
        return this.storage.get(runId);
    }

    @Override
    public List<Instance> query(InstanceQuery query) {
        return this.storage.query(query);
    }

    @Override
    public Map<Status, Long> countByStatus(String workflow) {
        return this.storage.countByStatus(workflow);
    }

    @Override
    public boolean delete(String runId) {
        return this.storage.delete(runId);
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff, int limit) {
        return this.storage.deleteFinishedBefore(cutoff, limit);
    }

    @Override
    public boolean isDurable() {
        return this.storage.isDurable();
    }

    @Override
    public String name() {
        return this.storage.name();
    }
}
