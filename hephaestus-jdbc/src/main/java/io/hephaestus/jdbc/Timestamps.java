package io.hephaestus.jdbc;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.jspecify.annotations.Nullable;

/**
 * {@link Timestamps} formats instants for {@link InstanceJson} and for the timestamp parameters of
 * {@link JdbcStorage} without {@code java.time.format}, which showed up as a tenth of the JVM's CPU
 * time of a write in a profile. Years 1 to 9999 only; callers fall back to {@code java.time} for
 * others.
 */
final class Timestamps {

    private static final long FIRST_SECOND = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();

    private static final long LAST_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    private Timestamps() {
    }

    /**
     * Return the instant as {@link Instant#toString()} does: ISO-8601 in UTC, with the fraction of
     * a second in groups of three digits, as many as needed.
     * @param instant the instant
     * @return the text, equal to {@code instant.toString()}
     */
    static String iso(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            return instant.toString();
        }
        StringBuilder text = new StringBuilder(30);
        appendDateTime(text, seconds, 'T');
        int nanos = instant.getNano();
        if (nanos != 0) {
            text.append('.');
            if (nanos % 1_000_000 == 0) {
                appendPadded(text, nanos / 1_000_000, 3);
            }
            else if (nanos % 1_000 == 0) {
                appendPadded(text, nanos / 1_000, 6);
            }
            else {
                appendPadded(text, nanos, 9);
            }
        }
        return text.append('Z').toString();
    }

    /**
     * Return the instant as PostgreSQL reads a {@code timestamptz}, rounded to the microsecond the
     * way the PostgreSQL JDBC driver rounds a bound {@code OffsetDateTime} (500 ns and more round
     * up), or null outside the years 1 to 9999.
     * @param instant the instant
     * @return such as {@code 2026-12-06 02:38:00.123457+00}, or null
     */
    static @Nullable String postgresql(Instant instant) {
        long seconds = instant.getEpochSecond();
        int micros = (instant.getNano() + 500) / 1_000;
        if (micros == 1_000_000) {
            seconds++;
            micros = 0;
        }
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            return null;
        }
        StringBuilder text = new StringBuilder(32);
        appendDateTime(text, seconds, ' ');
        text.append('.');
        appendPadded(text, micros, 6);
        return text.append("+00").toString();
    }

    private static void appendDateTime(StringBuilder text, long epochSecond, char separator) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        appendPadded(text, time.getYear(), 4);
        text.append('-');
        appendPadded(text, time.getMonthValue(), 2);
        text.append('-');
        appendPadded(text, time.getDayOfMonth(), 2);
        text.append(separator);
        appendPadded(text, time.getHour(), 2);
        text.append(':');
        appendPadded(text, time.getMinute(), 2);
        text.append(':');
        appendPadded(text, time.getSecond(), 2);
    }

    private static void appendPadded(StringBuilder text, int value, int digits) {
        for (int limit = 10, i = 1; i < digits; i++, limit *= 10) {
            if (value < limit) {
                text.append('0');
            }
        }
        text.append(value);
    }
}
