package io.hephaestus.jdbc;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Timestamps}.
 */
class TimestampsTests {

    private static final DateTimeFormatter POSTGRESQL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSx");

    @Test
    void isoIsWhatInstantToStringSaysForEveryPrecision() {
        SplittableRandom random = new SplittableRandom(42);
        long first = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(first, last + 1), random.nextInt(1_000_000_000));
            for (ChronoUnit unit : new ChronoUnit[] { ChronoUnit.NANOS, ChronoUnit.MICROS, ChronoUnit.MILLIS,
                    ChronoUnit.SECONDS }) {
                Instant truncated = instant.truncatedTo(unit);
                assertThat(Timestamps.iso(truncated)).isEqualTo(truncated.toString());
            }
        }
    }

    @Test
    void isoOutsideYearsOneToNineThousandNineHundredNinetyNineFallsBackToInstant() {
        for (Instant instant : new Instant[] { Instant.MIN, Instant.MAX, Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("0000-12-31T23:59:59.5Z") }) {
            assertThat(Timestamps.iso(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void postgresqlRoundsToTheMicrosecondHalfUp() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(0, 4_000_000_000L), random.nextInt(1_000_000_000));
            long nanos = instant.getNano() % 1_000;
            Instant rounded = instant.truncatedTo(ChronoUnit.MICROS).plusNanos((nanos >= 500) ? 1_000 : 0);
            assertThat(Timestamps.postgresql(instant))
                .isEqualTo(POSTGRESQL.format(OffsetDateTime.ofInstant(rounded, ZoneOffset.UTC)));
        }
        assertThat(Timestamps.postgresql(Instant.parse("2026-12-31T23:59:59.999999500Z")))
            .isEqualTo("2027-01-01 00:00:00.000000+00");
    }

    @Test
    void postgresqlOutsideYearsOneToNineThousandNineHundredNinetyNineIsNull() {
        assertThat(Timestamps.postgresql(Instant.MAX)).isNull();
        assertThat(Timestamps.postgresql(Instant.parse("0000-06-01T00:00:00Z"))).isNull();
        assertThat(Timestamps.postgresql(Instant.parse("9999-12-31T23:59:59.9999996Z"))).isNull();
    }
}
