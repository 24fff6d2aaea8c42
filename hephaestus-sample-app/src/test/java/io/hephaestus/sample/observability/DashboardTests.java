package io.hephaestus.sample.observability;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.hephaestus.sample.observability.ObservabilityFiles.AlertRule;
import io.hephaestus.sample.observability.ObservabilityFiles.PanelQuery;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the structure of {@code docs/observability/hephaestus-dashboard.json} and that it and
 * the alert rules use only the metrics the README documents. {@link PrometheusEndToEndTests}
 * evaluates the queries against a real Prometheus.
 */
class DashboardTests {

    /** A Hephaestus series name with its selector, if any. */
    private static final Pattern SERIES = Pattern.compile("(hephaestus_[a-z_]+)(\\{[^}]*})?");

    private static final String DATASOURCE = "${datasource}";

    private final JsonNode dashboard = ObservabilityFiles.dashboard();

    @Test
    void dashboardIsAnImportableDashboardOfACurrentGrafana() {
        assertThat(this.dashboard.path("schemaVersion").asInt()).isBetween(39, 42);
        assertThat(this.dashboard.path("uid").asString()).isEqualTo("hephaestus-workflows");
        assertThat(this.dashboard.path("title").asString()).isNotBlank();
        assertThat(this.dashboard.path("id").isNull()).as("id is null so that import creates a dashboard").isTrue();
        assertThat(this.dashboard.path("__inputs").isMissingNode())
            .as("no __inputs: the datasource variable picks the data source").isTrue();
    }

    @Test
    void datasourceVariableSelectsAPrometheusDataSource() {
        JsonNode datasource = variable("datasource");
        assertThat(datasource.path("type").asString()).isEqualTo("datasource");
        assertThat(datasource.path("query").asString()).isEqualTo("prometheus");
    }

    @Test
    void workflowVariableListsTheWorkflowsOfAHephaestusMetricWithMultiSelectAndAll() {
        JsonNode workflow = variable("workflow");
        assertThat(workflow.path("type").asString()).isEqualTo("query");
        assertThat(workflow.path("datasource").path("uid").asString()).isEqualTo(DATASOURCE);
        assertThat(workflow.path("definition").asString()).isEqualTo("label_values(hephaestus_instances, workflow)");
        assertThat(workflow.path("query").path("query").asString()).isEqualTo(workflow.path("definition").asString());
        assertThat(workflow.path("multi").asBoolean()).isTrue();
        assertThat(workflow.path("includeAll").asBoolean()).isTrue();
        assertThat(workflow.path("allValue").asString()).isEqualTo(".*");
        assertThat(DocumentedMetrics.seriesNames()).contains("hephaestus_instances");
    }

    @Test
    void everyPanelHasADescriptionUniqueIdAndQueriesOnTheDatasourceVariable() {
        List<JsonNode> panels = ObservabilityFiles.panels(this.dashboard);
        assertThat(panels).hasSizeGreaterThanOrEqualTo(10);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels) {
            String title = panel.path("title").asString();
            assertThat(title).isNotBlank();
            assertThat(panel.path("description").asString()).as("description of %s", title).hasSizeGreaterThan(40);
            assertThat(ids.add(panel.path("id").asInt())).as("unique id of %s", title).isTrue();
            assertThat(panel.path("datasource").path("uid").asString()).as("datasource of %s", title)
                .isEqualTo(DATASOURCE);
            assertThat(panel.path("targets")).as("queries of %s", title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asString()).isEqualTo(DATASOURCE);
                assertThat(target.path("expr").asString()).as("query of %s", title).isNotBlank();
            }
        }
    }

    @Test
    void everyPanelQuerySelectsOnlyDocumentedMetricsOfTheChosenWorkflows() {
        Set<String> documented = DocumentedMetrics.seriesNames();
        for (PanelQuery query : ObservabilityFiles.panelQueries(this.dashboard)) {
            List<String> series = new ArrayList<>();
            Matcher matcher = SERIES.matcher(query.expr());
            while (matcher.find()) {
                series.add(matcher.group(1));
                assertThat(matcher.group(2)).as("selector of %s in %s", matcher.group(1), query)
                    .contains("workflow=~\"$workflow\"");
            }
            assertThat(series).as("metrics of %s", query).isNotEmpty().allMatch(documented::contains);
        }
    }

    @Test
    void alertRulesUseOnlyDocumentedMetricsAndTheScrapeHealth() {
        Set<String> documented = DocumentedMetrics.seriesNames();
        for (AlertRule rule : ObservabilityFiles.alertRules()) {
            List<String> series = new ArrayList<>();
            Matcher matcher = SERIES.matcher(rule.expr());
            while (matcher.find()) {
                series.add(matcher.group(1));
            }
            if (series.isEmpty()) {
                assertThat(rule.expr()).as("expression of %s", rule).startsWith("up{job=\"hephaestus\"}");
            }
            assertThat(series).as("metrics of %s", rule).allMatch(documented::contains);
        }
    }

    @Test
    void dashboardShowsEveryFamilyTheIssueAsksFor() {
        List<PanelQuery> queries = ObservabilityFiles.panelQueries(this.dashboard);
        assertThat(queries).extracting(PanelQuery::expr)
            .anyMatch((expr) -> expr.contains("rate(hephaestus_workflow_start_total"))
            .anyMatch((expr) -> expr.contains("rate(hephaestus_workflow_stop_total"))
            .anyMatch((expr) -> expr.contains("rate(hephaestus_workflow_exception_total"))
            .anyMatch((expr) -> expr.contains("by (workflow, failed_step)"))
            .anyMatch((expr) -> expr.contains("by (workflow, step, kind)"))
            .anyMatch((expr) -> expr.contains("histogram_quantile(0.99, sum by (workflow, le) "
                    + "(rate(hephaestus_workflow_stop_duration_seconds_bucket"))
            .anyMatch((expr) -> expr.contains("histogram_quantile(0.5, sum by (workflow, step, le) "
                    + "(rate(hephaestus_step_stop_duration_seconds_bucket"))
            .anyMatch((expr) -> expr.contains("sum by (workflow, source, le) "
                    + "(rate(hephaestus_step_resume_wait_duration_seconds_bucket"))
            .anyMatch((expr) -> expr.startsWith("max by (workflow, status) (hephaestus_instances"))
            .noneMatch((expr) -> expr.contains("sum by (workflow, status) (hephaestus_instances"));
    }

    private JsonNode variable(String name) {
        for (JsonNode variable : this.dashboard.path("templating").path("list")) {
            if (name.equals(variable.path("name").asString())) {
                return variable;
            }
        }
        throw new AssertionError("the dashboard has no variable '" + name + "'");
    }
}
