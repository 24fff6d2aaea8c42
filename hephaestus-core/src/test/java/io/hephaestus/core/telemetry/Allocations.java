package io.hephaestus.core.telemetry;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Measures the heap the current thread allocates, where the JVM supports it.
 */
final class Allocations {

    private Allocations() {
    }

    /**
     * Return the bytes the current thread allocated while running {@code action}, after one
     * warm-up run. Skips the test when the JVM cannot measure allocations.
     * @param action the code to measure
     * @return the allocated bytes
     */
    static long measure(Runnable action) {
        assumeThat(ManagementFactory.getThreadMXBean()).isInstanceOf(com.sun.management.ThreadMXBean.class);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        long thread = Thread.currentThread().getId();
        action.run();
        long before = threads.getThreadAllocatedBytes(thread);
        action.run();
        return threads.getThreadAllocatedBytes(thread) - before;
    }
}
