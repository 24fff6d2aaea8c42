package io.hephaestus.sample.observability;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Finds the Prometheus command-line tools on the {@code PATH}, and, registered with
 * {@code @ExtendWith(RequiredTool.class)}, decides before a test class starts (and before its
 * Spring context loads) whether it can run: in CI ({@code CI=true}) a missing {@code promtool} or
 * {@code prometheus} fails the class, elsewhere it is skipped with one message saying how to
 * install them.
 */
final class RequiredTool implements ExecutionCondition {

    private static final List<String> TOOLS = List.of("promtool", "prometheus");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        List<String> missing = TOOLS.stream().filter((tool) -> locate(tool).isEmpty()).toList();
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("promtool and prometheus are on the PATH");
        }
        String message = String.join(" and ", missing) + " not on the PATH: install the Debian package "
                + "'prometheus' (apt-get install -y prometheus), which .ci/run does in CI";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + "; with CI=true these tests must run, not skip");
        }
        return ConditionEvaluationResult.disabled(message + "; skipped because CI is not true");
    }

    /**
     * Return the path of an executable on the {@code PATH}.
     * @param name the executable's name, such as {@code promtool}
     * @return the executable
     * @throws AssertionError if it is not there (the condition lets no test that needs it run)
     */
    static Path find(String name) {
        return locate(name).orElseThrow(() -> new AssertionError("'" + name + "' is not on the PATH"));
    }

    private static Optional<Path> locate(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
