package io.hephaestus.core.engine;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StackTracesTests {

    private static StackTraceElement[] frames(int count) {
        StackTraceElement[] frames = new StackTraceElement[count];
        for (int i = 0; i < count; i++) {
            frames[i] = new StackTraceElement("io.acme.Step", "m" + i, "Step.java", i + 1);
        }
        return frames;
    }

    @Test
    void formatRendersTheExceptionItsFramesAndItsCauses() {
        IllegalStateException thrown = new IllegalStateException("boom", new IOException("disk"));
        thrown.setStackTrace(frames(2));
        thrown.getCause().setStackTrace(frames(1));

        assertThat(StackTraces.format(thrown)).isEqualTo("java.lang.IllegalStateException: boom\n"
                + "\tat io.acme.Step.m0(Step.java:1)\n\tat io.acme.Step.m1(Step.java:2)\n"
                + "Caused by: java.io.IOException: disk\n\tat io.acme.Step.m0(Step.java:1)");
    }

    @Test
    void formatKeepsAtMostFiftyFramesPerException() {
        RuntimeException thrown = new RuntimeException("deep");
        thrown.setStackTrace(frames(500));

        String text = StackTraces.format(thrown);

        assertThat(text.lines().filter((line) -> line.startsWith("\tat "))).hasSize(StackTraces.MAX_FRAMES);
        assertThat(text).endsWith("\n\t... 450 more");
    }

    @Test
    void formatKeepsAtMostFiveCausesAndSurvivesACycle() {
        RuntimeException root = new RuntimeException("level 0");
        RuntimeException current = root;
        for (int level = 1; level <= 10; level++) {
            RuntimeException cause = new RuntimeException("level " + level);
            current.initCause(cause);
            current = cause;
        }
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);

        String chain = StackTraces.format(root);
        String cycle = StackTraces.format(a);

        assertThat(chain.lines().filter((line) -> line.startsWith("Caused by: java"))).hasSize(StackTraces.MAX_CAUSES);
        assertThat(chain).contains("level 5").doesNotContain("level 6").endsWith("Caused by: ... more causes omitted");
        assertThat(cycle.lines().filter((line) -> line.startsWith("Caused by:"))).hasSize(1);
    }

    @Test
    void framesReturnsTheOutermostExceptionsFramesWithoutPrefix() {
        IllegalStateException thrown = new IllegalStateException("boom", new IOException("disk"));
        thrown.setStackTrace(frames(2));

        assertThat(StackTraces.frames(StackTraces.format(thrown)))
            .containsExactly("io.acme.Step.m0(Step.java:1)", "io.acme.Step.m1(Step.java:2)");
        assertThat(StackTraces.frames("")).isEmpty();
    }
}
