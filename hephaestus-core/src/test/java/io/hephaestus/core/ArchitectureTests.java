package io.hephaestus.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules about what the core may depend on, checked on its sources: no framework, a pure engine, and
 * every package null-marked.
 */
class ArchitectureTests {

    private static final Path SOURCES = Paths.get("src/main/java/io/hephaestus/core");

    private static Map<Path, String> sources() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter((file) -> file.toString().endsWith(".java"))
                .collect(Collectors.toMap((file) -> file, ArchitectureTests::read));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static List<Path> filesIn(String pkg, String... forbidden) {
        return sources().entrySet().stream()
            .filter((entry) -> entry.getKey().startsWith(SOURCES.resolve(pkg)))
            .filter((entry) -> Stream.of(forbidden).anyMatch(entry.getValue()::contains))
            .map(Map.Entry::getKey)
            .sorted()
            .collect(Collectors.toList());
    }

    @Test
    void coreUsesNoFrameworkAndNoMetricsLibrary() {
        assertThat(filesIn("", "import org.springframework", "import io.micrometer", "import jakarta.")).isEmpty();
    }

    @Test
    void engineIsPureAndKnowsNothingOfTheRuntime() {
        assertThat(filesIn("engine", "import io.hephaestus.core.runtime", "Instant.now()", "System.currentTimeMillis",
                "System.nanoTime", "new Thread", "Executor", "LoggerFactory")).isEmpty();
    }

    @Test
    void definitionsAndStepsDoNotDependOnTheRuntime() {
        assertThat(filesIn("definition", "import io.hephaestus.core.runtime")).isEmpty();
        assertThat(filesIn("steps", "import io.hephaestus.core.runtime")).isEmpty();
        assertThat(filesIn("telemetry", "import io.hephaestus.core.runtime", "import io.hephaestus.core.engine")).isEmpty();
    }

    @Test
    void everyPackageIsNullMarked() {
        List<Path> packages = sources().keySet().stream().map(Path::getParent).distinct().sorted()
            .collect(Collectors.toList());
        assertThat(packages).isNotEmpty().allSatisfy((pkg) -> assertThat(pkg.resolve("package-info.java"))
            .as(pkg.toString()).exists().content().contains("@NullMarked"));
    }
}
