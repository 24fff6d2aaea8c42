package io.hephaestus.benchmarks.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * {@link Starters} are the caller threads that start (and resume) the workflows of a batch, as the
 * request threads of an application would: the batch is split into as many contiguous ranges as
 * there are starters, each run by one of them. With one starter the batch runs on the calling
 * thread itself.
 */
final class Starters implements AutoCloseable {

    private final int count;

    private final ExecutorService executor;

    /**
     * Create the starter threads.
     * @param count how many, positive
     */
    Starters(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("starters must be positive, got " + count);
        }
        this.count = count;
        this.executor = (count == 1) ? null : Executors.newFixedThreadPool(count, (task) -> {
            Thread thread = new Thread(task, "benchmark-starter");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Run {@code body} for every index of a batch, split over the starters, and return when all have run.
     * @param size the batch size
     * @param body what to do for one index
     * @throws IllegalStateException if the body failed for an index
     */
    void split(int size, IntConsumer body) {
        if (this.executor == null) {
            for (int i = 0; i < size; i++) {
                body.accept(i);
            }
            return;
        }
        List<Future<?>> parts = new ArrayList<>(this.count);
        for (int part = 0; part < this.count; part++) {
            int from = (int) ((long) size * part / this.count);
            int to = (int) ((long) size * (part + 1) / this.count);
            parts.add(this.executor.submit(() -> {
                for (int i = from; i < to; i++) {
                    body.accept(i);
                }
            }));
        }
        for (Future<?> part : parts) {
            try {
                part.get();
            }
            catch (ExecutionException ex) {
                throw new IllegalStateException("a starter failed: " + ex.getCause(), ex.getCause());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting a batch", ex);
            }
        }
    }

    @Override
    public void close() {
        if (this.executor != null) {
            this.executor.shutdownNow();
        }
    }
}
