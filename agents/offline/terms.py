"""English-to-Chinese concept map and the metric lexicon.

TERM_MAP lets the lexical judge check an English statement (an LLM plan's, or a KPI name) against
a Chinese passage: each English concept names the Chinese words that would express it, beside the
shared GLOSSARY. METRICS turns metric language in evidence into named KPIs.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.language.vocab import load
from agents.state import Area

_TERMS = load("terms")
TERM_MAP: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _TERMS["term_map"].items()}


@dataclass(frozen=True)
class Metric:
    """A family of metrics; `terms` pairs each Chinese wording with its English KPI name."""

    key: str
    area: Area
    terms: tuple[tuple[str, str], ...]

    @property
    def triggers(self) -> tuple[str, ...]:
        return tuple(zh for zh, _ in self.terms)


METRICS: tuple[Metric, ...] = tuple(
    Metric(m["key"], m["area"], tuple((zh, en) for zh, en in m["terms"])) for m in _TERMS["metrics"]
)

# English KPI names are concepts too, so the judge can check them against the Chinese term.
for _metric in METRICS:
    for _zh, _en in _metric.terms:
        TERM_MAP[_en.lower()] = (*TERM_MAP.get(_en.lower(), ()), _zh)


def match_metric(sentence: str) -> Metric | None:
    for metric in METRICS:
        if any(t in sentence for t in metric.triggers):
            return metric
    return None


def metric_name(metric: Metric, sentence: str, language: str) -> str:
    """The KPI name as the evidence words it (Chinese) or its paired English name."""
    zh, en = next(((zh, en) for zh, en in metric.terms if zh in sentence), metric.terms[0])
    return zh if language == "zh" else en
