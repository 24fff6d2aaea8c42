package io.hephaestus.benchmarks.runner;

import java.util.Map;

/**
 * {@link RunnerBenchmarks} holds what the runner benchmarks share: the batch size, the thread
 * count, and the step body in its plain-map form (used by the {@code direct} and {@code futures}
 * baselines).
 *
 * <p>Every step body of every implementation does the same thing: it reads the values its
 * predecessors wrote (the first step reads the seed {@value #SEED} of the initial context), and
 * writes one plus the largest of them under its own key. A line of five steps therefore ends with
 * 5, the fan-out/fan-in shape with 3 at the join.
 */
final class RunnerBenchmarks {

    /** Workflows per throughput operation (the {@code @OperationsPerInvocation} of every class). */
    static final int BATCH = 1000;

    /** The key of the seed, 0, in the initial context. */
    static final String SEED = "n";

    /** The key each Hephaestus step writes its value under, inside its own context entry. */
    static final String VALUE = "value";

    /** The initial context (Hephaestus) and initial process variables (Flowable) of every workflow. */
    static final Map<String, Object> SEED_CONTEXT = Map.of(SEED, 0);

    /**
     * Threads given to each engine, one per core: the runner's step pool and the {@code futures}
     * executor have this many threads, Flowable's throughput batches are split over as many caller
     * threads, and the {@code direct} throughput benchmarks run on as many benchmark threads
     * ({@code @Threads(Threads.MAX)}), so that every implementation can use every core and none
     * gets more.
     */
    static final int THREADS = Runtime.getRuntime().availableProcessors();

    /** How long a benchmark waits for a batch before it declares the engine stuck, in seconds. */
    static final long STUCK_SECONDS = 60;

    private RunnerBenchmarks() {
    }

    /**
     * Put the seed into an empty plain context.
     * @param context the empty map
     * @return the map
     */
    static Map<String, Object> seed(Map<String, Object> context) {
        context.put(SEED, 0);
        return context;
    }

    /**
     * Run the step body of {@code key} with one predecessor on a plain map.
     * @param context the map
     * @param key the step's key
     * @param input the predecessor's key
     * @return the map
     */
    static Map<String, Object> increment(Map<String, Object> context, String key, String input) {
        context.put(key, (Integer) context.get(input) + 1);
        return context;
    }

    /**
     * Run the step body of {@code key} with three predecessors on a plain map.
     * @param context the map
     * @param key the step's key
     * @param first the first predecessor's key
     * @param second the second predecessor's key
     * @param third the third predecessor's key
     * @return the map
     */
    static Map<String, Object> increment(Map<String, Object> context, String key, String first, String second,
            String third) {
        int largest = Math.max((Integer) context.get(first),
                Math.max((Integer) context.get(second), (Integer) context.get(third)));
        context.put(key, largest + 1);
        return context;
    }

    /**
     * Fail the benchmark unless {@code actual} equals {@code expected}: a benchmark that measures
     * a broken workflow measures nothing.
     * @param what what is checked
     * @param expected the expected value
     * @param actual the actual value
     */
    static void check(String what, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            throw new IllegalStateException(what + ": expected " + expected + " but got " + actual);
        }
    }
}
