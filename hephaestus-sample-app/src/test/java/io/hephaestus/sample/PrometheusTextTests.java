package io.hephaestus.sample;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests of {@link PrometheusText}, the parser the end-to-end test checks the scrape with.
 */
class PrometheusTextTests {

    @Test
    void parsesHelpTypeAndSamplesWithLabelsAndSpecialValues() {
        PrometheusText text = PrometheusText.parse("""
                # HELP jobs_total Jobs done, "quoted" \\\\ help
                # TYPE jobs_total counter
                jobs_total{queue="a\\"b",path="c:\\\\d",note="x\\ny",} 3.0
                jobs_total{queue="z"} 1e3 1712345678000
                # TYPE latency_seconds histogram
                latency_seconds_bucket{le="0.1"} 0
                latency_seconds_bucket{le="+Inf"} 2
                latency_seconds_count 2
                latency_seconds_sum 0.25
                # TYPE temperature gauge
                temperature NaN
                # a free comment
                """);

        assertThat(text.type("jobs_total")).contains("counter");
        assertThat(text.value("jobs_total", "queue", "a\"b")).isEqualTo(3.0);
        assertThat(text.find("jobs_total", "queue", "a\"b").get(0).labels()).containsEntry("path", "c:\\d")
            .containsEntry("note", "x\ny");
        assertThat(text.value("jobs_total", "queue", "z")).isEqualTo(1000.0);
        assertThat(text.value("latency_seconds_bucket", "le", "+Inf")).isEqualTo(2.0);
        assertThat(text.value("latency_seconds_sum")).isEqualTo(0.25);
        assertThat(text.value("temperature")).isNaN();
        assertThat(text.samples()).hasSize(7);
    }

    @Test
    void rejectsAnInvalidMetricName() {
        assertThatIllegalArgumentException().isThrownBy(() -> PrometheusText.parse("# TYPE x gauge\n1x 1\n"))
            .withMessageContaining("line 2");
    }

    @Test
    void rejectsAnUnquotedLabelValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx{a=b} 1\n"))
            .withMessageContaining("expected '\"'");
    }

    @Test
    void rejectsAnInvalidLabelName() {
        assertThatIllegalArgumentException().isThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx{1a=\"b\"} 1\n"))
            .withMessageContaining("label name");
    }

    @Test
    void rejectsAValueThatIsNotAFloat() {
        assertThatIllegalArgumentException().isThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx 1,5\n"))
            .withMessageContaining("invalid value");
    }

    @Test
    void rejectsASampleWithoutTypeLine() {
        assertThatIllegalArgumentException().isThrownBy(() -> PrometheusText.parse("y 1\n"))
            .withMessageContaining("no # TYPE");
    }

    @Test
    void rejectsAnUnknownType() {
        assertThatIllegalArgumentException().isThrownBy(() -> PrometheusText.parse("# TYPE y meter\ny 1\n"))
            .withMessageContaining("# TYPE");
    }
}
