#!/usr/bin/env python3
"""Turn JMH JSON results into Markdown tables, one table per benchmark class.

Usage:
    java -jar hephaestus-benchmarks/target/benchmarks.jar -rf json -rff results.json
    python3 hephaestus-benchmarks/scripts/report.py results.json [more.json ...] [--all-secondary]

Use "-" to read one result file from standard input. The tables go to standard output.

Each row is one benchmark with its parameters: the JMH mode, the number of measured samples
(JMH's "Cnt"), the primary score with its error (the half-width of JMH's 99.9% confidence
interval; empty when JMH could not compute one, e.g. a single sample) and unit, and the bytes
allocated per operation (the "gc.alloc.rate.norm" secondary metric of "-prof gc") when present.
Every other secondary metric, such as a JMH auxiliary counter, follows its benchmark as an
indented row "  :name". The other metrics of the GC profiler (allocation rate, GC count and time)
are left out unless --all-secondary is given.

Rows keep the order of the result file, grouped by class; classes are ordered by package and name.
Only the Python 3.11 standard library is used.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass, field
from typing import Any

ALLOCATION_METRIC = "gc.alloc.rate.norm"

# Secondary metrics of "-prof gc" that are noise next to the normalised allocation.
GC_PROFILER_PREFIX = "gc."


@dataclass
class Row:
    """One benchmark (with one set of parameters) and its metrics."""

    method: str
    params: str
    mode: str
    count: str
    score: str
    error: str
    unit: str
    allocation: str
    secondary: list[tuple[str, str, str, str]] = field(default_factory=list)


def as_number(value: Any) -> float:
    """Return a JMH JSON number as a float; JMH writes NaN and infinities as strings."""
    if value is None:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def format_number(value: float) -> str:
    """Format a score the way a reader wants it: grouped thousands, about three significant digits."""
    if math.isnan(value):
        return ""
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    magnitude = abs(value)
    if magnitude == 0:
        return "0"
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.3f}"
    if magnitude >= 0.001:
        return f"{value:.3g}"
    return f"{value:.2e}"


def format_error(error: float) -> str:
    """Format a score error as "± e", or nothing when JMH gave none."""
    text = format_number(error)
    return f"± {text}" if text else ""


def sample_count(metric: dict[str, Any], result: dict[str, Any]) -> int:
    """Return the number of measured samples behind a metric, like JMH's "Cnt" column."""
    raw = metric.get("rawData")
    if isinstance(raw, list) and raw:
        return sum(len(fork) for fork in raw if isinstance(fork, list))
    histogram = metric.get("rawDataHistogram")
    if isinstance(histogram, list) and histogram:
        # Sample mode: per fork, per iteration, a list of [value, count] pairs.
        return sum(int(pair[1]) for fork in histogram for iteration in fork for pair in iteration)
    return int(result.get("forks", 0)) * int(result.get("measurementIterations", 0))


def split_name(benchmark: str) -> tuple[str, str]:
    """Split "pkg.Class.method" into ("pkg.Class", "method")."""
    owner, _, method = benchmark.rpartition(".")
    return owner, method


def format_params(params: dict[str, Any] | None) -> str:
    """Format JMH parameters as "name=value, ..." in the file's order."""
    if not params:
        return ""
    return ", ".join(f"{name}={value}" for name, value in params.items())


def metric_name(name: str) -> str:
    """Strip the "·" that older JMH versions put before profiler metrics."""
    return name.lstrip("·")


def to_row(result: dict[str, Any], all_secondary: bool) -> Row:
    """Build the row of one JMH result."""
    _, method = split_name(result["benchmark"])
    primary = result.get("primaryMetric", {})
    row = Row(
        method=method,
        params=format_params(result.get("params")),
        mode=str(result.get("mode", "")),
        count=f"{sample_count(primary, result):,}",
        score=format_number(as_number(primary.get("score"))),
        error=format_error(as_number(primary.get("scoreError"))),
        unit=str(primary.get("scoreUnit", "")),
        allocation="",
    )
    for raw_name, metric in (result.get("secondaryMetrics") or {}).items():
        name = metric_name(raw_name)
        score = as_number(metric.get("score"))
        if name == ALLOCATION_METRIC:
            row.allocation = format_number(score)
            continue
        if name.startswith(GC_PROFILER_PREFIX) and not all_secondary:
            continue
        if math.isnan(score):
            # A text-only profiler result (such as -prof stack) has no number to show.
            continue
        row.secondary.append(
            (name, format_number(score), format_error(as_number(metric.get("scoreError"))),
             str(metric.get("scoreUnit", "")))
        )
    return row


def escape(text: str) -> str:
    """Escape the characters that would break a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def table(owner: str, rows: list[Row]) -> str:
    """Render the Markdown table of one benchmark class."""
    package, _, simple = owner.rpartition(".")
    with_params = any(row.params for row in rows)
    with_allocation = any(row.allocation for row in rows)
    header = ["benchmark"] + (["params"] if with_params else []) + ["mode", "cnt", "score", "error (99.9%)", "unit"]
    if with_allocation:
        header.append("alloc (B/op)")
    align = ["---"] + (["---"] if with_params else []) + ["---", "---:", "---:", "---:", "---"]
    if with_allocation:
        align.append("---:")
    lines = [f"### {simple}", ""]
    if package:
        lines += [f"`{package}`", ""]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join(align) + "|")
    for row in rows:
        cells = [f"`{row.method}`"] + ([row.params] if with_params else [])
        cells += [row.mode, row.count, row.score, row.error, row.unit]
        if with_allocation:
            cells.append(row.allocation)
        lines.append("| " + " | ".join(escape(cell) for cell in cells) + " |")
        for name, score, error, unit in row.secondary:
            cells = [f"&nbsp;&nbsp;`:{name}`"] + ([""] if with_params else [])
            cells += ["", "", score, error, unit]
            if with_allocation:
                cells.append("")
            lines.append("| " + " | ".join(escape(cell) for cell in cells) + " |")
    return "\n".join(lines)


def environment(results: list[dict[str, Any]]) -> str:
    """Describe the JMH and JVM versions the results came from."""
    seen: list[str] = []
    for result in results:
        text = (f"JMH {result.get('jmhVersion', '?')}, {result.get('vmName', 'JVM')} "
                f"{result.get('vmVersion', result.get('jdkVersion', '?'))}")
        if text not in seen:
            seen.append(text)
    return "; ".join(seen)


def load(paths: list[str]) -> list[dict[str, Any]]:
    """Read and concatenate the result lists of the given files ("-" is standard input)."""
    results: list[dict[str, Any]] = []
    for path in paths:
        if path == "-":
            data = json.load(sys.stdin)
        else:
            with open(path, encoding="utf-8") as file:
                data = json.load(file)
        if not isinstance(data, list):
            raise ValueError(f"{path}: expected a JMH JSON result list (-rf json), got {type(data).__name__}")
        results.extend(data)
    return results


def render(results: list[dict[str, Any]], all_secondary: bool = False) -> str:
    """Render every result, one table per benchmark class."""
    if not results:
        return "No benchmark results.\n"
    groups: dict[str, list[Row]] = {}
    for result in results:
        owner, _ = split_name(result["benchmark"])
        groups.setdefault(owner, []).append(to_row(result, all_secondary))
    parts = [f"Results of {environment(results)}."]
    parts += [table(owner, groups[owner]) for owner in sorted(groups, key=str.lower)]
    return "\n\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Print JMH JSON results (-rf json) as Markdown tables, one per benchmark class.")
    parser.add_argument("files", nargs="+", metavar="results.json", help="JMH JSON result files, or - for stdin")
    parser.add_argument("--all-secondary", action="store_true",
                        help="also show the GC profiler's rate, count and time metrics")
    args = parser.parse_args(argv)
    try:
        results = load(args.files)
    except (OSError, ValueError) as error:
        print(f"report.py: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(render(results, args.all_secondary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
