package io.hephaestus.core.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.runtime.Storage;

/**
 * The futures of {@code Runner.whenFinished}, by run id, shared by the runners. Not API.
 */
public final class FinishWatch {

    private final ConcurrentHashMap<String, CompletableFuture<Instance>> waiting = new ConcurrentHashMap<>();

    /**
     * Return a future completed when the run of {@code newest} finishes: at once if it has.
     * @param newest the newest run of the instance, as just read
     * @param storage the storage, read again after registering in case the run finished meanwhile
     * @param accepting whether the runner is open; a closed runner fails the future
     * @param closed the exception of a closed runner
     * @return a copy of the future, so that callers cannot complete it
     */
    public CompletableFuture<Instance> watch(Instance newest, Storage storage, boolean accepting,
            Supplier<? extends RuntimeException> closed) {
        if (newest.status().isTerminal()) {
            return CompletableFuture.completedFuture(newest);
        }
        CompletableFuture<Instance> future = this.waiting.computeIfAbsent(newest.runId(),
                (runId) -> new CompletableFuture<>());
        // The run may have finished between the read and the registration: look again.
        storage.get(newest.runId()).filter((stored) -> stored.status().isTerminal()).ifPresent(this::finished);
        if (!accepting) {
            future.completeExceptionally(closed.get());
        }
        return future.copy();
    }

    /**
     * Return a future completed only by {@link #finished}: for a run whose runner reports its end
     * itself, after the end's telemetry, so that the storage, which holds the end a moment earlier,
     * is not asked.
     * @param runId the run id
     * @param accepting whether the runner is open; a closed runner fails the future
     * @param closed the exception of a closed runner
     * @return a copy of the future, so that callers cannot complete it
     */
    public CompletableFuture<Instance> watchReported(String runId, boolean accepting,
            Supplier<? extends RuntimeException> closed) {
        CompletableFuture<Instance> future = this.waiting.computeIfAbsent(runId, (key) -> new CompletableFuture<>());
        if (!accepting) {
            future.completeExceptionally(closed.get());
        }
        return future.copy();
    }

    /**
     * Complete the future waiting for a run that just finished, if any.
     * @param instance the finished instance
     */
    public void finished(Instance instance) {
        if (!this.waiting.isEmpty()) {
            CompletableFuture<Instance> future = this.waiting.remove(instance.runId());
            if (future != null) {
                future.complete(instance);
            }
        }
    }

    /**
     * Return the run ids waited for.
     * @return a snapshot of the run ids
     */
    public List<String> runIds() {
        return List.copyOf(this.waiting.keySet());
    }

    /**
     * Fail every waiting future, when the runner closes.
     * @param closed the exception of the closed runner
     */
    public void close(Supplier<? extends RuntimeException> closed) {
        this.waiting.values().forEach((future) -> future.completeExceptionally(closed.get()));
        this.waiting.clear();
    }
}
