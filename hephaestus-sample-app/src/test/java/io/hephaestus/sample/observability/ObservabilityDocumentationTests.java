package io.hephaestus.sample.observability;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import io.hephaestus.sample.observability.ObservabilityFiles.AlertRule;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that {@code docs/observability/README.md} describes every dashboard panel and has the
 * runbook every alert links to, and that the main README points at it.
 */
class ObservabilityDocumentationTests {

    private static final String RUNBOOKS = "docs/observability/README.md#";

    private final String guide = ObservabilityFiles.read(ObservabilityFiles.README);

    @Test
    void guideDescribesEveryPanelOfTheDashboard() {
        List<JsonNode> panels = ObservabilityFiles.panels(ObservabilityFiles.dashboard());
        assertThat(panels).isNotEmpty();
        for (JsonNode panel : panels) {
            assertThat(this.guide).contains("- **" + panel.path("title").asString() + "**: ");
        }
    }

    @Test
    void everyAlertHasASummaryADescriptionAndARunbookParagraphInTheGuide() {
        List<AlertRule> rules = ObservabilityFiles.alertRules();
        assertThat(rules).isNotEmpty();
        for (AlertRule rule : rules) {
            assertThat(rule.annotations()).as("annotations of %s", rule)
                .containsOnlyKeys("summary", "description", "runbook_url");
            assertThat(rule.annotations().get("summary")).as("summary of %s", rule).isNotBlank();
            assertThat(rule.annotations().get("description")).as("description of %s", rule).hasSizeGreaterThan(60);
            // GitHub's anchor of a heading that is one word: the word in lower case.
            assertThat(rule.annotations().get("runbook_url")).as("runbook of %s", rule)
                .isEqualTo(RUNBOOKS + rule.name().toLowerCase(Locale.ROOT));
            String heading = "\n### " + rule.name() + "\n";
            assertThat(this.guide).as("runbook heading of %s", rule).contains(heading);
            String runbook = this.guide.substring(this.guide.indexOf(heading) + heading.length());
            assertThat(runbook.substring(0, runbook.indexOf("\n#") > 0 ? runbook.indexOf("\n#") : runbook.length()))
                .as("runbook of %s", rule)
                .contains("\n1. ");
            assertThat(this.guide).as("alerts table row of %s", rule).contains("| `" + rule.name() + "` |");
        }
    }

    @Test
    void guideTellsHowToAggregateTheInstanceGaugeOverNodes() {
        assertThat(this.guide).contains("max by (workflow, status) (hephaestus_instances)").contains("never `sum`");
    }

    @Test
    void mainReadmeLinksTheDashboardTheAlertsAndTheGuideAfterTheSpringBootPart() throws IOException {
        String readme = Files.readString(DocumentedMetrics.readme());
        int springBoot = readme.indexOf("\n## Spring Boot\n");
        int section = readme.indexOf("\n## Dashboards and alerts\n");
        int differences = readme.indexOf("\n## What is different from the original\n");
        assertThat(springBoot).isPositive();
        assertThat(section).isGreaterThan(springBoot);
        assertThat(differences).isGreaterThan(section);
        assertThat(readme.substring(section, differences)).contains("(docs/observability/README.md)")
            .contains("(docs/observability/hephaestus-dashboard.json)")
            .contains("(docs/observability/hephaestus-alerts.yml)")
            .contains("(docs/observability/hephaestus-alerts.test.yml)");
        assertThat(readme.indexOf("\n## ", springBoot + 1)).as("the next section after Spring Boot")
            .isEqualTo(section);
    }
}
