package io.hephaestus.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.hephaestus.core.runtime.Runner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the walk-through of the sample honest: the main README and the sample's README must tell
 * the same one (the text between their {@code <!-- walk-through -->} markers), and its
 * {@code curl} commands, run against the sample, must take the order to completion, restarting the
 * sample on the same database wherever the walk-through says so (a {@code <!-- restart -->}
 * marker). The sample runs on an H2 file of its own, as it does by default, never on the
 * developer's {@code ./data}.
 */
class ReadmeWalkThroughTests {

    private static final Pattern WALK_THROUGH = Pattern
        .compile("<!-- walk-through\\b[^>]*-->\\n(.*?)<!-- /walk-through -->", Pattern.DOTALL);

    private static final Pattern SHELL_BLOCK = Pattern.compile("```shell\\n(.*?)```", Pattern.DOTALL);

    private static final Pattern RESTART = Pattern.compile("<!-- restart\\b[^>]*-->");

    private static final Path SAMPLE_README = Path.of("README.md");

    private static final Path MAIN_README = Path.of("..", "README.md");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    private Path directory;

    @Test
    void bothReadmesTellTheSameWalkThrough() throws IOException {
        String sample = walkThrough(SAMPLE_README);
        String main = walkThrough(MAIN_README);

        assertThat(sample).contains("curl ");
        assertThat(main).as("the walk-through in %s must be the one in %s", MAIN_README, SAMPLE_README)
            .isEqualTo(sample);
    }

    @Test
    void walkThroughCommandsTakeTheOrderToCompletionAcrossARestart() throws Exception {
        List<List<Curl>> parts = RESTART.splitAsStream(walkThrough(SAMPLE_README))
            .map(ReadmeWalkThroughTests::curls)
            .toList();
        assertThat(parts).as("the walk-through restarts the sample once").hasSize(2);
        assertThat(parts).allSatisfy((part) -> assertThat(part).isNotEmpty());
        List<Curl> afterRestart = parts.get(parts.size() - 1);
        Curl last = afterRestart.get(afterRestart.size() - 1);
        String database = "jdbc:h2:file:" + this.directory.resolve("sample").toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE";

        for (int i = 0; i < parts.size(); i++) {
            try (ConfigurableApplicationContext sample = start(database)) {
                List<Curl> commands = parts.get(i);
                boolean lastPart = (i == parts.size() - 1);
                for (Curl command : lastPart ? commands.subList(0, commands.size() - 1) : commands) {
                    HttpResponse<String> response = send(sample, command);
                    assertThat(response.statusCode()).as("%s answered %s", command, response.body())
                        .isBetween(200, 299);
                }
                if (lastPart) {
                    // "A second later": the last command reads the order once it has finished.
                    String orderId = last.path().substring(last.path().lastIndexOf('/') + 1);
                    sample.getBean(Runner.class).awaitFinished("order", orderId, Duration.ofSeconds(10));
                    HttpResponse<String> shown = send(sample, last);

                    assertThat(shown.statusCode()).isEqualTo(200);
                    assertThat(shown.body()).contains("\"status\":\"completed\"")
                        .contains("reservation_id")
                        .contains("tracking_number")
                        .contains("\"message\"")
                        .contains("pay-" + orderId);
                }
            }
        }
    }

    private static ConfigurableApplicationContext start(String database) {
        return new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
                "--spring.datasource.url=" + database, "--sample.ship-wait=100ms", "--spring.main.banner-mode=off");
    }

    private static String walkThrough(Path readme) throws IOException {
        Matcher matcher = WALK_THROUGH.matcher(Files.readString(readme));
        assertThat(matcher.find()).as("%s has a <!-- walk-through --> ... <!-- /walk-through --> block", readme)
            .isTrue();
        return matcher.group(1);
    }

    private HttpResponse<String> send(ConfigurableApplicationContext sample, Curl command)
            throws IOException, InterruptedException {
        int port = ((WebServerApplicationContext) sample).getWebServer().getPort();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + command.path()))
            .timeout(Duration.ofSeconds(10));
        command.headers().forEach(request::header);
        request.method(command.method(), (command.data() != null) ? HttpRequest.BodyPublishers.ofString(command.data())
                : HttpRequest.BodyPublishers.noBody());
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Parse the {@code curl} lines of a walk-through's shell blocks; a flag this parser does not
     * know fails the test, so the README keeps to commands that are checked.
     */
    private static List<Curl> curls(String walkThrough) {
        List<Curl> curls = new ArrayList<>();
        Matcher blocks = SHELL_BLOCK.matcher(walkThrough);
        while (blocks.find()) {
            for (String line : blocks.group(1).replace("\\\n", " ").split("\n")) {
                if (line.startsWith("curl ")) {
                    curls.add(Curl.parse(line));
                }
            }
        }
        return curls;
    }

    /**
     * One {@code curl} command of the walk-through.
     *
     * @param method the HTTP method
     * @param path the path on the sample
     * @param headers the request headers
     * @param data the body, or {@code null}
     */
    private record Curl(String method, String path, Map<String, String> headers, String data) {

        static Curl parse(String line) {
            List<String> words = words(line);
            String method = "GET";
            String url = null;
            String data = null;
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < words.size(); i++) {
                String word = words.get(i);
                switch (word) {
                    case "-s" -> {
                    }
                    case "-X" -> method = words.get(++i);
                    case "-H" -> {
                        String[] header = words.get(++i).split(":", 2);
                        headers.put(header[0].trim(), header[1].trim());
                    }
                    case "-d" -> data = words.get(++i);
                    default -> {
                        assertThat(word).as("curl option in: %s", line).doesNotStartWith("-");
                        url = word;
                    }
                }
            }
            assertThat(url).as("URL in: %s", line).startsWith("localhost:8080/");
            if (data != null && method.equals("GET")) {
                method = "POST";
            }
            return new Curl(method, url.substring("localhost:8080".length()), headers, data);
        }

        /**
         * Split a shell line into words, honouring single quotes as the walk-through uses them.
         */
        private static List<String> words(String line) {
            List<String> words = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            boolean quoted = false;
            boolean inWord = false;
            for (char c : line.toCharArray()) {
                if (c == '\'') {
                    quoted = !quoted;
                    inWord = true;
                }
                else if (Character.isWhitespace(c) && !quoted) {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                }
                else {
                    word.append(c);
                    inWord = true;
                }
            }
            assertThat(quoted).as("unbalanced quote in: %s", line).isFalse();
            if (inWord) {
                words.add(word.toString());
            }
            return words;
        }
    }
}
