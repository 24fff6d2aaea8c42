package io.hephaestus.core.runtime;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.engine.Instance;

/**
 * A storage that counts the creates, updates (and the rejected ones), reads by run id and queries
 * that reach the storage it wraps, for tests of how many storage calls a runner makes (also in other
 * modules, through core's test jar). Its name and durability are those of the storage it wraps.
 */
public final class CountingStorage extends ForwardingStorage {

    /** Creates. */
    public final AtomicInteger creates = new AtomicInteger();

    /** Updates, the rejected ones included. */
    public final AtomicInteger updates = new AtomicInteger();

    /** Reads by run id. */
    public final AtomicInteger gets = new AtomicInteger();

    /** Queries. */
    public final AtomicInteger queries = new AtomicInteger();

    /** Updates rejected because the instance changed since the snapshot they apply to. */
    public final AtomicInteger stale = new AtomicInteger();

    /**
     * Count the calls that reach {@code storage}.
     * @param storage the storage that does the work
     */
    public CountingStorage(Storage storage) {
        super(storage);
    }

    /**
     * Return the number of writes: creates and updates.
     * @return creates plus updates
     */
    public int writes() {
        return this.creates.get() + this.updates.get();
    }

    @Override
    public CreateResult create(Instance instance, UniquenessScope scope) {
        this.creates.incrementAndGet();
        return super.create(instance, scope);
    }

    @Override
    public Instance update(Instance instance) {
        this.updates.incrementAndGet();
        try {
            return super.update(instance);
        }
        catch (StaleInstanceException ex) {
            this.stale.incrementAndGet();
            throw ex;
        }
    }

    @Override
    public Optional<Instance> get(String runId) {
        this.gets.incrementAndGet();
        return super.get(runId);
    }

    @Override
    public List<Instance> query(InstanceQuery query) {
        this.queries.incrementAndGet();
        return super.query(query);
    }

    @Override
    public boolean isDurable() {
        return delegate().isDurable();
    }

    @Override
    public String name() {
        return delegate().name();
    }
}
