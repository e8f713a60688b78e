"""Just enough of PromQL and of our YAML files to list the metric names an expression uses.

No YAML library is among the project's dependencies, so `rule_exprs` reads the `expr:` values of a
Prometheus rule file in the two forms promtool accepts and our files use: a plain scalar on the key's
line, or a block scalar (`|` / `>`) indented below it. promtool itself checks the full syntax.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Aggregation operators, functions (Prometheus 2.x and 3.x) and keywords: never metric names.
AGGREGATIONS = _words(
    """sum min max avg group stddev stdvar count count_values bottomk topk quantile limitk limit_ratio"""
)
FUNCTIONS = _words(
    """abs absent absent_over_time acos acosh asin asinh atan atanh avg_over_time ceil changes clamp clamp_max
    clamp_min cos cosh count_over_time day_of_month day_of_week day_of_year days_in_month deg delta deriv
    double_exponential_smoothing exp floor histogram_avg histogram_count histogram_fraction histogram_quantile
    histogram_stddev histogram_stdvar histogram_sum holt_winters hour idelta increase info irate label_join
    label_replace last_over_time ln log10 log2 mad_over_time max_over_time min_over_time minute month pi
    predict_linear present_over_time quantile_over_time rad rate resets round scalar sgn sin sinh sort
    sort_by_label sort_by_label_desc sort_desc sqrt stddev_over_time stdvar_over_time sum_over_time tan tanh time
    timestamp vector year"""
)
KEYWORDS = _words("""by without on ignoring group_left group_right and or unless bool offset atan2 start end inf nan""")
GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", re.IGNORECASE)
STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
IDENT = re.compile(r"(?<![A-Za-z0-9_:.$])[a-zA-Z_:][a-zA-Z0-9_:]*")


def metric_names(expr: str) -> set[str]:
    """Metric names an expression selects (label names, functions, keywords, durations left out).

    Raises ValueError for a call of something that is no PromQL function.
    """
    text = STRING.sub('""', expr)
    text = re.sub(r"\{[^{}]*\}", " ", text)  # label matchers
    text = re.sub(r"\[[^\[\]]*\]", " ", text)  # ranges and subqueries, incl. Grafana's $__rate_interval
    text = GROUPING.sub(" ", text)  # by (...), on (...), group_left (...)
    text = re.sub(r"\$\{[^}]*\}|\$\w+", " ", text)  # remaining Grafana variables
    names = set()
    for match in IDENT.finditer(text):
        word = match.group(0)
        called = text[match.end() :].lstrip().startswith("(")
        if word.lower() in KEYWORDS or word in AGGREGATIONS:
            continue
        if called:
            if word not in FUNCTIONS:
                raise ValueError(f"{word!r} is called like a function but is no PromQL function: {expr!r}")
            continue
        names.add(word)
    return names


def rule_exprs(text: str) -> list[str]:
    """The `expr:` values of a Prometheus rule file (plain or block scalars)."""
    lines = text.splitlines()
    exprs = []
    for i, line in enumerate(lines):
        match = re.match(r"^(\s*)(?:-\s+)?expr:\s*(.*?)\s*$", line)
        if not match:
            continue
        indent, value = len(match.group(1)), match.group(2)
        if value[:1] in ("|", ">"):
            block = []
            for following in lines[i + 1 :]:
                if following.strip() and len(following) - len(following.lstrip()) <= indent:
                    break
                block.append(following.strip())
            exprs.append(" ".join(part for part in block if part))
        else:
            exprs.append(_unquote(value))
    return exprs


def alert_names(text: str) -> list[str]:
    """The `alert:` names of a Prometheus rule file."""
    return [_unquote(m) for m in re.findall(r"^\s*-?\s*alert:\s*(\S+)\s*$", text, re.MULTILINE)]


def alert_test_cases(text: str) -> list[tuple[str, bool]]:
    """(alertname, fires) for every `alert_rule_test` case of a promtool test file.

    `fires` is True when the case expects at least one alert (`exp_alerts:` followed by `- exp_labels`),
    False for `exp_alerts: []`.
    """
    cases = []
    for chunk in re.split(r"^\s*-\s+eval_time:", text, flags=re.MULTILINE)[1:]:
        name = re.search(r"^\s*alertname:\s*(\S+)\s*$", chunk, re.MULTILINE)
        expected = re.search(r"^\s*exp_alerts:\s*(\[\s*\])?\s*$", chunk, re.MULTILINE)
        if name and expected:
            fires = expected.group(1) is None and re.search(r"^\s*-\s+exp_labels:", chunk, re.MULTILINE) is not None
            cases.append((_unquote(name.group(1)), fires))
    return cases


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value
