package io.hephaestus.sample.observability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.Yaml;

import io.hephaestus.sample.observability.ObservabilityFiles.AlertRule;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks {@code docs/observability/hephaestus-alerts.yml} with {@code promtool}: the rules are
 * valid, their unit tests pass, and every alert has a unit test in which it fires and one in which
 * it does not. The {@code promtool} tests fail in CI without it and are skipped elsewhere
 * ({@link RequiredTool}).
 */
class AlertRulesTests {

    @Test
    @ExtendWith(RequiredTool.class)
    void promtoolCheckRulesAcceptsEveryRule() {
        Path promtool = RequiredTool.find("promtool");
        Output output = run(promtool.toString(), "check", "rules", ObservabilityFiles.ALERTS);
        assertThat(output.exitCode()).as("promtool check rules:%n%s", output.text()).isZero();
        assertThat(output.text()).contains("SUCCESS: " + ObservabilityFiles.alertRules().size() + " rules found");
    }

    @Test
    @ExtendWith(RequiredTool.class)
    void promtoolTestRulesPassesTheUnitTestsOfEveryAlert() {
        Path promtool = RequiredTool.find("promtool");
        Output output = run(promtool.toString(), "test", "rules", ObservabilityFiles.ALERTS_TEST);
        assertThat(output.exitCode()).as("promtool test rules:%n%s", output.text()).isZero();
        assertThat(output.text()).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertHasAUnitTestWhereItFiresAndOneWhereItDoesNot() {
        Map<String, Object> file = new Yaml().load(ObservabilityFiles.read(ObservabilityFiles.ALERTS_TEST));
        assertThat((List<Object>) file.get("rule_files")).containsExactly(ObservabilityFiles.ALERTS);
        List<Map<String, Object>> cases = ((List<Map<String, Object>>) file.get("tests")).stream()
            .flatMap((test) -> ((List<Map<String, Object>>) test.get("alert_rule_test")).stream())
            .toList();
        List<AlertRule> rules = ObservabilityFiles.alertRules();
        assertThat(rules).isNotEmpty();
        for (AlertRule rule : rules) {
            List<List<Object>> expected = cases.stream()
                .filter((test) -> rule.name().equals(test.get("alertname")))
                .map((test) -> (List<Object>) test.get("exp_alerts"))
                .toList();
            assertThat(expected).as("unit tests of %s", rule).anySatisfy((alerts) -> assertThat(alerts).isNotEmpty());
            assertThat(expected).as("unit tests of %s", rule).anySatisfy((alerts) -> assertThat(alerts).isEmpty());
        }
    }

    /**
     * Run a command in {@code docs/observability}, where the test file names the rules file by a
     * relative path, and return its exit code and merged output.
     */
    private static Output run(String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ObservabilityFiles.directory().toFile())
            .redirectErrorStream(true);
        try {
            Process process = builder.start();
            // promtool's output is small; reading it to the end also waits for the exit.
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 30 s:\n" + text);
            }
            return new Output(process.exitValue(), text);
        }
        catch (IOException ex) {
            throw new AssertionError("cannot run " + String.join(" ", command), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), ex);
        }
    }

    private record Output(int exitCode, String text) {
    }
}
