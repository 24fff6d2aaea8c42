package io.hephaestus.core.internal;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InstantSourcesTests {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:01.900Z");

    @Test
    void nanosBetweenCountsAcrossSecondBoundaries() {
        assertThat(InstantSources.nanosBetween(T0, T0.plusMillis(200))).isEqualTo(200_000_000L);
        assertThat(InstantSources.nanosBetween(T0, T0.plus(Duration.ofSeconds(3, 7)))).isEqualTo(3_000_000_007L);
        assertThat(InstantSources.nanosBetween(T0, T0.plusNanos(1))).isEqualTo(1L);
    }

    @Test
    void nanosBetweenIsNeverNegative() {
        assertThat(InstantSources.nanosBetween(T0, T0)).isZero();
        assertThat(InstantSources.nanosBetween(T0, T0.minusNanos(1))).isZero();
        assertThat(InstantSources.nanosBetween(T0, T0.minusSeconds(5))).isZero();
    }

    @Test
    void nanosBetweenSaturatesInsteadOfOverflowing() {
        assertThat(InstantSources.nanosBetween(Instant.EPOCH, Instant.EPOCH.plus(Duration.ofDays(365L * 300))))
            .isEqualTo(Long.MAX_VALUE);
    }
}
