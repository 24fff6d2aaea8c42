package io.hephaestus.benchmarks.runner;

import java.util.Map;

import org.flowable.engine.delegate.DelegateExecution;
import org.flowable.engine.delegate.JavaDelegate;

/**
 * {@link FlowableIncrement} is the Flowable service task of the runner benchmarks, the same body
 * as {@link Increment} on process variables: it reads the variables its predecessors wrote (or the
 * seed {@code n}), and sets a variable named after its activity id to one plus the largest.
 *
 * <p>The BPMN files under {@code bpmn/} reference it with {@code flowable:class}, so Flowable
 * instantiates it once per activity and calls it synchronously in the caller's thread. The
 * predecessors come from a table keyed by activity id rather than from field injection, so the
 * delegate costs one map lookup and no expression evaluation.
 */
public final class FlowableIncrement implements JavaDelegate {

    private static final String[] SEED = { RunnerBenchmarks.SEED };

    private static final Map<String, String[]> INPUTS = Map.ofEntries(
            // W1: bpmn/linear.bpmn20.xml
            Map.entry("step1", SEED), Map.entry("step2", new String[] { "step1" }),
            Map.entry("step3", new String[] { "step2" }), Map.entry("step4", new String[] { "step3" }),
            Map.entry("step5", new String[] { "step4" }),
            // W2: bpmn/parallel.bpmn20.xml
            Map.entry("first", SEED), Map.entry("branch1", new String[] { "first" }),
            Map.entry("branch2", new String[] { "first" }), Map.entry("branch3", new String[] { "first" }),
            Map.entry("join", new String[] { "branch1", "branch2", "branch3" }),
            // W3: bpmn/waiting.bpmn20.xml
            Map.entry("before", SEED), Map.entry("after", new String[] { "before" }));

    @Override
    public void execute(DelegateExecution execution) {
        String key = execution.getCurrentActivityId();
        int largest = Integer.MIN_VALUE;
        for (String input : INPUTS.get(key)) {
            largest = Math.max(largest, (Integer) execution.getVariable(input));
        }
        execution.setVariable(key, largest + 1);
    }
}
