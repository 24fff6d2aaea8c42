package io.hephaestus.core.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;

/**
 * A storage that passes every call to another, for tests that watch or disturb some of them (also
 * those of other modules, through core's test jar). {@link #name()} and {@link #isDurable()} keep
 * the interface's defaults; override them to pass them on.
 */
public abstract class ForwardingStorage implements Storage {

    private final Storage delegate;

    /**
     * Create a storage that passes every call to {@code delegate}.
     * @param delegate the storage that does the work
     */
    protected ForwardingStorage(Storage delegate) {
        this.delegate = delegate;
    }

    /**
     * Return the storage calls are passed to.
     * @return the delegate
     */
    protected Storage delegate() {
        return this.delegate;
    }

    @Override
    public CreateResult create(Instance instance, UniquenessScope scope) {
        return this.delegate.create(instance, scope);
    }

    @Override
    public Instance update(Instance instance) {
        return this.delegate.update(instance);
    }

    @Override
    public Optional<Instance> get(String runId) {
        return this.delegate.get(runId);
    }

    @Override
    public List<Instance> query(InstanceQuery query) {
        return this.delegate.query(query);
    }

    @Override
    public Map<Status, Long> countByStatus(String workflow) {
        return this.delegate.countByStatus(workflow);
    }

    @Override
    public boolean delete(String runId) {
        return this.delegate.delete(runId);
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff, int limit) {
        return this.delegate.deleteFinishedBefore(cutoff, limit);
    }
}
