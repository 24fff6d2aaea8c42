package io.hephaestus.cluster;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.runtime.CreateResult;
import io.hephaestus.core.runtime.ForwardingStorage;
import io.hephaestus.core.runtime.StaleInstanceException;
import io.hephaestus.core.runtime.Storage;

/**
 * A storage that counts the creates, updates (and the rejected ones) and reads by run id that reach
 * the storage it wraps.
 */
final class CountingStorage extends ForwardingStorage {

    final AtomicInteger creates = new AtomicInteger();

    final AtomicInteger updates = new AtomicInteger();

    final AtomicInteger gets = new AtomicInteger();

    /** Updates rejected because the instance changed since the snapshot they apply to. */
    final AtomicInteger stale = new AtomicInteger();

    CountingStorage(Storage storage) {
        super(storage);
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
    public boolean isDurable() {
        return delegate().isDurable();
    }

    @Override
    public String name() {
        return delegate().name();
    }
}
