package io.hephaestus.sample;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented way to turn the Hephaestus health contributor off works in the sample, whose
 * readiness group includes {@code hephaestus}: the application starts and is ready.
 */
@SpringBootTest(properties = "management.health.hephaestus.enabled=false")
class HealthTurnedOffTests {

    @Autowired
    private HealthEndpoint health;

    @Test
    void sampleStartsAndIsReadyWithTheHephaestusContributorTurnedOff() {
        assertThat(this.health.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
        assertThat(this.health.healthForPath("hephaestus").getStatus()).isEqualTo(Status.UP);
    }
}
