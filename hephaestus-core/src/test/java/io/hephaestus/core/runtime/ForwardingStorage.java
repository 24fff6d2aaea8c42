package io.hephaestus.core.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;

/**
 * A storage that passes every call to another, for tests that watch or disturb some of them.
 */
abstract class ForwardingStorage implements Storage {

    private final Storage delegate;

    ForwardingStorage(Storage delegate) {
        this.delegate = delegate;
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
