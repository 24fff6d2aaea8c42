package io.hephaestus.core.engine;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.hephaestus.core.engine.Status.CANCELLED;
import static io.hephaestus.core.engine.Status.COMPLETED;
import static io.hephaestus.core.engine.Status.FAILED;
import static io.hephaestus.core.engine.Status.PENDING;
import static io.hephaestus.core.engine.Status.RUNNING;
import static io.hephaestus.core.engine.Status.WAITING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class StatusTests {

    private static final List<Status[]> ILLEGAL = List.of(
            // terminal statuses are absorbing, even towards themselves
            pair(COMPLETED, PENDING), pair(COMPLETED, RUNNING), pair(COMPLETED, WAITING), pair(COMPLETED, COMPLETED),
            pair(COMPLETED, FAILED), pair(COMPLETED, CANCELLED),
            pair(FAILED, PENDING), pair(FAILED, RUNNING), pair(FAILED, WAITING), pair(FAILED, COMPLETED),
            pair(FAILED, FAILED), pair(FAILED, CANCELLED),
            pair(CANCELLED, PENDING), pair(CANCELLED, RUNNING), pair(CANCELLED, WAITING), pair(CANCELLED, COMPLETED),
            pair(CANCELLED, FAILED), pair(CANCELLED, CANCELLED),
            // a pending instance has run nothing, so nothing can wait or be done
            pair(PENDING, WAITING), pair(PENDING, COMPLETED),
            // Done runs before completion, so a waiting instance must run again first
            pair(WAITING, COMPLETED), pair(WAITING, PENDING),
            pair(RUNNING, PENDING));

    private static final List<Status[]> LEGAL = List.of(
            pair(PENDING, PENDING), pair(PENDING, RUNNING), pair(PENDING, FAILED), pair(PENDING, CANCELLED),
            pair(RUNNING, RUNNING), pair(RUNNING, WAITING), pair(RUNNING, COMPLETED), pair(RUNNING, FAILED),
            pair(RUNNING, CANCELLED),
            pair(WAITING, WAITING), pair(WAITING, RUNNING), pair(WAITING, FAILED), pair(WAITING, CANCELLED));

    static Stream<Arguments> transitions() {
        return Stream.concat(ILLEGAL.stream().map((p) -> transition(p, false)),
                LEGAL.stream().map((p) -> transition(p, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transitions")
    void canTransitionToFollowsTheTable(Status from, Status to, boolean legal) {
        assertThat(from.canTransitionTo(to)).isEqualTo(legal);
    }

    @Test
    void tableCoversEveryPairExactlyOnce() {
        Set<String> pairs = new HashSet<>();
        Stream.concat(ILLEGAL.stream(), LEGAL.stream())
            .forEach((p) -> assertThat(pairs.add(p[0] + "->" + p[1])).as("%s -> %s listed once", p[0], p[1]).isTrue());

        assertThat(pairs).hasSize(Status.values().length * Status.values().length);
    }

    @Test
    void pendingRunningAndWaitingAreActiveTheOthersTerminal() {
        assertThat(Stream.of(Status.values()).filter(Status::isActive)).containsExactly(PENDING, RUNNING, WAITING);
        assertThat(Stream.of(Status.values()).filter(Status::isTerminal)).containsExactly(COMPLETED, FAILED, CANCELLED);
    }

    @Test
    void valueIsTheLowerCaseNameAndParsesBack() {
        for (Status status : Status.values()) {
            assertThat(status.value()).isEqualTo(status.name().toLowerCase());
            assertThat(Status.parse(status.value())).isSameAs(status);
        }
        assertThat(Status.parse(" Waiting ")).isSameAs(WAITING);
    }

    @Test
    void parseRejectsUnknownValuesListingTheValidOnes() {
        assertThatIllegalArgumentException().isThrownBy(() -> Status.parse("paused"))
            .withMessage("unknown status 'paused'; expected one of pending, running, waiting, completed, failed, cancelled");
    }

    private static Status[] pair(Status from, Status to) {
        return new Status[] { from, to };
    }

    private static Arguments transition(Status[] pair, boolean legal) {
        String label = pair[0].value() + " -> " + pair[1].value() + (legal ? " is legal" : " is illegal");
        return arguments(Named.of(label, pair[0]), pair[1], legal);
    }
}
