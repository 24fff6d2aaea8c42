package io.hephaestus.sample.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard, the alert rules, their unit tests and their documentation in
 * {@code docs/observability}, found from the module's working directory upwards, and what the
 * tests read from them.
 */
final class ObservabilityFiles {

    static final String DASHBOARD = "hephaestus-dashboard.json";

    static final String ALERTS = "hephaestus-alerts.yml";

    static final String ALERTS_TEST = "hephaestus-alerts.test.yml";

    static final String README = "README.md";

    private ObservabilityFiles() {
    }

    /**
     * Return the {@code docs/observability} directory of the repository that holds the working
     * directory.
     * @return the absolute directory
     * @throws IllegalStateException if no parent of the working directory has it
     */
    static Path directory() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve("observability");
            if (Files.isRegularFile(candidate.resolve(DASHBOARD))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no docs/observability/" + DASHBOARD + " in " + start + " or a parent");
    }

    static Path file(String name) {
        return directory().resolve(name);
    }

    static String read(String name) {
        try {
            return Files.readString(file(name));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + file(name), ex);
        }
    }

    static JsonNode dashboard() {
        return new JsonMapper().readTree(read(DASHBOARD));
    }

    /**
     * Return the dashboard's panels that show data (every panel but rows), nested rows included.
     */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if ("row".equals(panel.path("type").asString())) {
                panel.path("panels").forEach(panels::add);
            }
            else {
                panels.add(panel);
            }
        }
        return panels;
    }

    /**
     * Return every query of the dashboard's panels.
     */
    static List<PanelQuery> panelQueries(JsonNode dashboard) {
        List<PanelQuery> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new PanelQuery(panel.path("title").asString(), target.path("refId").asString(),
                        target.path("expr").asString()));
            }
        }
        return queries;
    }

    /**
     * Return the alerting rules of the rules file, in file order.
     */
    @SuppressWarnings("unchecked")
    static List<AlertRule> alertRules() {
        Map<String, Object> file = new Yaml().load(read(ALERTS));
        List<AlertRule> rules = new ArrayList<>();
        for (Object group : (List<Object>) file.get("groups")) {
            for (Object rule : (List<Object>) ((Map<String, Object>) group).get("rules")) {
                Map<String, Object> fields = (Map<String, Object>) rule;
                if (fields.containsKey("alert")) {
                    rules.add(new AlertRule((String) fields.get("alert"), (String) fields.get("expr"),
                            (Map<String, String>) fields.getOrDefault("annotations", Map.of())));
                }
            }
        }
        return rules;
    }

    /**
     * One query of a dashboard panel.
     *
     * @param panel the panel's title
     * @param refId the query's id within the panel
     * @param expr the PromQL expression, with Grafana variables
     */
    record PanelQuery(String panel, String refId, String expr) {

        @Override
        public String toString() {
            return this.panel + " [" + this.refId + "]";
        }
    }

    /**
     * One alerting rule.
     *
     * @param name the alert's name
     * @param expr its PromQL expression
     * @param annotations its annotations
     */
    record AlertRule(String name, String expr, Map<String, String> annotations) {

        @Override
        public String toString() {
            return this.name;
        }
    }
}
