package io.hephaestus.core.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} driven by a {@link SettableClock}: tasks run when the test advances the
 * clock past their due time (tasks without delay run at once), so timers fire without sleeping.
 */
public final class ManualScheduler implements Scheduler {

    private final SettableClock clock;

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();

    private long sequence;

    public ManualScheduler(SettableClock clock) {
        this.clock = clock;
    }

    public SettableClock clock() {
        return this.clock;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable runnable) {
        if (delay.isZero() || delay.isNegative()) {
            runnable.run();
            return () -> {
            };
        }
        Task task = new Task(this.clock.instant().plus(delay), nextSequence(), runnable);
        synchronized (this) {
            this.tasks.add(task);
        }
        return () -> {
            synchronized (this) {
                this.tasks.remove(task);
            }
        };
    }

    /**
     * Move the clock forward and run every task that became due, in due order.
     */
    public void advance(Duration duration) {
        this.clock.advance(duration);
        runDue();
    }

    public void runDue() {
        List<Task> due = new ArrayList<>();
        synchronized (this) {
            Instant now = this.clock.instant();
            while (!this.tasks.isEmpty() && !this.tasks.peek().dueAt.isAfter(now)) {
                due.add(this.tasks.poll());
            }
        }
        due.forEach((task) -> task.runnable.run());
    }

    public synchronized int pending() {
        return this.tasks.size();
    }

    private synchronized long nextSequence() {
        return ++this.sequence;
    }

    private record Task(Instant dueAt, long sequence, Runnable runnable) implements Comparable<Task> {

        @Override
        public int compareTo(Task other) {
            int byTime = this.dueAt.compareTo(other.dueAt);
            return (byTime != 0) ? byTime : Long.compare(this.sequence, other.sequence);
        }
    }
}
