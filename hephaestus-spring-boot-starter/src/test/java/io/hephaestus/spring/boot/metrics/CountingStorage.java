package io.hephaestus.spring.boot.metrics;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.Status;
import io.hephaestus.core.runtime.CreateResult;
import io.hephaestus.core.runtime.InstanceQuery;
import io.hephaestus.core.runtime.Storage;

/**
 * A {@link Storage} that only answers {@link #countByStatus(String)}, with counts the test sets,
 * or fails when told to.
 */
final class CountingStorage implements Storage {

    private final Map<String, Map<Status, Long>> counts = new ConcurrentHashMap<>();

    private volatile boolean failing;

    private final AtomicInteger queries = new AtomicInteger();

    void set(String workflow, Status status, long count) {
        this.counts.computeIfAbsent(workflow, (key) -> new ConcurrentHashMap<>()).put(status, count);
    }

    void fail() {
        this.failing = true;
    }

    int queries() {
        return this.queries.get();
    }

    @Override
    public Map<Status, Long> countByStatus(String workflow) {
        this.queries.incrementAndGet();
        if (this.failing) {
            throw new IllegalStateException("storage is down");
        }
        Map<Status, Long> result = new EnumMap<>(Status.class);
        for (Status status : Status.values()) {
            result.put(status, this.counts.getOrDefault(workflow, Map.of()).getOrDefault(status, 0L));
        }
        return result;
    }

    @Override
    public CreateResult create(Instance instance, UniquenessScope scope) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Instance update(Instance instance) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Instance> get(String runId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Instance> query(InstanceQuery query) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean delete(String runId) {
        throw new UnsupportedOperationException();
    }
}
