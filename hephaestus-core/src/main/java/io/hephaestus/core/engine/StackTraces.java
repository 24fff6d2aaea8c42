package io.hephaestus.core.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * {@link StackTraces} renders the exception a step threw as the bounded text kept in
 * {@link Failure#stackTrace()}: the format of {@link Throwable#printStackTrace()}, with at most
 * {@link #MAX_FRAMES} frames per exception and at most {@link #MAX_CAUSES} causes, so that a deep
 * stack or a long cause chain cannot make an instance grow without bound.
 *
 * @since 0.1.0
 */
public final class StackTraces {

    /** The most frames kept per exception. */
    public static final int MAX_FRAMES = 50;

    /** The most causes kept after the exception itself. */
    public static final int MAX_CAUSES = 5;

    private static final String FRAME = "\tat ";

    private StackTraces() {
    }

    /**
     * Render an exception and its causes, bounded.
     * @param thrown the exception
     * @return lines separated by {@code \n}: the exception, its frames, then each {@code Caused by:}
     */
    public static String format(Throwable thrown) {
        StringBuilder text = new StringBuilder(1024);
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable current = thrown;
        for (int level = 0; current != null && seen.add(current); level++) {
            if (level > MAX_CAUSES) {
                text.append("Caused by: ... more causes omitted\n");
                break;
            }
            if (level > 0) {
                text.append("Caused by: ");
            }
            text.append(current).append('\n');
            StackTraceElement[] frames = current.getStackTrace();
            int shown = Math.min(frames.length, MAX_FRAMES);
            for (int i = 0; i < shown; i++) {
                text.append(FRAME).append(frames[i]).append('\n');
            }
            if (frames.length > shown) {
                text.append("\t... ").append(frames.length - shown).append(" more\n");
            }
            current = current.getCause();
        }
        if (text.length() > 0) {
            text.setLength(text.length() - 1);
        }
        return text.toString();
    }

    /**
     * Return the frames of the outermost exception in a trace rendered by {@link #format}, as the
     * telemetry events' {@code stacktrace} metadata lists them.
     * @param stackTrace a rendered trace, possibly empty
     * @return the frames, without the {@code at} prefix
     */
    public static List<String> frames(String stackTrace) {
        List<String> frames = new ArrayList<>();
        for (String line : stackTrace.split("\n", -1)) {
            if (line.startsWith("Caused by: ")) {
                break;
            }
            if (line.startsWith(FRAME)) {
                frames.add(line.substring(FRAME.length()));
            }
        }
        return List.copyOf(frames);
    }
}
