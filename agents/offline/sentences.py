"""What a passage's sentences say for one area, before any question is read (cached per passage).

A sentence is a risk, a challenge or an action by its cue words (agents.language.lexicon), and a
KPI when it names a metric (agents.offline.terms). Each is rendered once in the answer language:
the evidence's own words (made imperative for actions; a listed item after its lead-in; a short
article whole), with a prior for its fit to the area. agents.offline.extract then weighs these
against the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from agents.language.lexicon import (
    ACTION_MODAL,
    ACTION_START,
    CAPABILITY,
    CHALLENGE_CUES,
    DEFINITION,
    FLUFF,
    ISSUE_LABEL,
    MITIGATION,
    PRACTICE,
    PROMO,
    PURPOSE,
    RISK_CUES,
    THREAT,
    TOPIC_TITLE,
    step_lead,
)
from agents.language.pos import opens_with_verb
from agents.language.text import (
    Segment,
    area_scores,
    clean,
    imperative,
    is_listing,
    segments,
    strip_connectors,
    tokens,
)
from agents.offline.articles import article_spans, in_articles, with_lead_in
from agents.offline.rules import as_rule
from agents.offline.terms import match_metric, metric_name
from agents.offline.topics import Topic, match_topic
from agents.state import Area, Language

Kind = Literal["challenge", "action", "risk", "kpi"]
_WEAK_START = re.compile(r"^(例如|比如|譬如|这|其|它|该|此|他们|她们|是|而|但)")
_HEADING_ISSUE = re.compile(r"问题|不可忽视|不容忽视")
_DANGLING = re.compile(r"^(是|而|但|并且|以及|和)")
_TABLE = re.compile(r"\t|\s{2,}")
_RHETORICAL = re.compile(r"[？?]$|^(如何|怎样|怎么)[^，。]{0,25}$")
_OPENS_LIST = re.compile(r"[：:]\s*$")
_REFERS_BACK = re.compile(r"^.{0,12}(这些|上述|以上|前述|这一|此类)")
# "该模型存在的局限性", "这款产品…": about one model or product the passage named before, not advice
_POINTS_AT = re.compile(r"(该|这款|此款|这个|那个)(模型|产品|应用|公司|平台|工具|方案|团队|算法)")
# '…的，处理者应当…': the condition a rule's duty applies under
_CONDITION = re.compile(r"^[^。；;]*?的，(?=[^。；;]*?(?:应当|必须|不得))")
# "这可以节省人力成本…": a bare 'this' as subject says what the sentence before it achieves
_THIS_DOES = re.compile(
    r"^(这样|这|此)(不仅|不但)?(可以|能够|能|将|会|也|就|便|使|让|进一步|直接|意味着|表明|说明|导致|有助于)"
)


def classify(sentence: str, heading: bool = False) -> Kind | None:
    """Risk, challenge or action by cue words; mitigations and purposes do not count as risks.

    A title ('实施AI客服的挑战与解决方案') names a subject and states nothing; an item labelled with an
    obstacle or a risk ('成本控制压力：…可能需要较高的成本') states it, whatever modal its body uses.
    """
    if heading and TOPIC_TITLE.search(sentence.rstrip("。.")):
        return None
    if DEFINITION.search(sentence):
        return None  # what a term means ('敏感个人信息，是指一旦被泄露…') is no risk and no step
    label = ISSUE_LABEL.match(sentence)
    if label is not None:
        return "risk" if any(c in label.group(0) for c in RISK_CUES) else "challenge"
    rest = MITIGATION.sub("", sentence)
    # a rule's condition ('发生或者可能发生个人信息泄露的，处理者应当立即…') says when its duty applies:
    # the duty is the action, not the incident it is for
    rest = _CONDITION.sub("", rest)
    if any(c in rest for c in RISK_CUES) and THREAT.search(rest):
        return "risk"
    rest = PURPOSE.sub("", rest)
    if any(c in rest for c in CHALLENGE_CUES) or (heading and _HEADING_ISSUE.search(rest)):
        return "challenge"
    if heading:
        return "action" if ACTION_START.match(strip_connectors(sentence)) else None
    advice = CAPABILITY.sub("", sentence)
    if ACTION_MODAL.search(advice) or (advice == sentence and ACTION_START.match(strip_connectors(sentence))):
        return "action"
    if PRACTICE.search(sentence):  # '企业会采取一系列措施…，如数据清洗…' names the steps it takes
        return "action"
    return None


def _table_row(raw: str) -> bool:
    """Cells set apart by tabs or runs of spaces within a line; the blank line between a heading and
    the item joined to it is no cell gap."""
    return any(_TABLE.search(line.strip()) for line in raw.splitlines())


def _step_item(text: str, advice: bool = False) -> bool:
    """A numbered item under a lead-in that names a phase's work or a procedure ('第三节 数据准备阶段：
    清洗数据，处理缺失…'), worded as an instruction: a step, though it has no modal."""
    step = step_lead(text)
    return step is not None and (advice or opens_with_verb(step[1]))  # with a modal it is one as it stands


def _render(
    kind: Kind, clean: str, area: Area, language: Language, item: bool = False
) -> tuple[str, Topic | None] | None:
    """The statement for a sentence: the evidence's own words (made imperative for actions, except
    a listed item, whose lead-in names who must act).

    English plans quote the Chinese sentence too, under English labels: offline mode does not
    translate, and it never writes an English sentence its quote does not support."""
    text = imperative(clean) if kind == "action" and not item else strip_connectors(clean)
    return text, match_topic(clean, area)


def passage_segments(passage_text: str) -> list[Segment]:
    """The passage's segments, a listed item joined to its lead-in and a short article's sentences
    joined into the article (agents.offline.articles)."""
    out: list[Segment] = []
    spans = article_spans(passage_text)
    taken: set[tuple[int, int]] = set()
    for seg in segments(passage_text):
        at = passage_text.find(seg.raw) if spans and not seg.heading else -1
        span = next((sp for sp in spans if sp[0] <= at < sp[1]), None)
        if span is not None:
            if span not in taken:
                taken.add(span)
                raw = passage_text[span[0] : span[1]]
                out.append(Segment(raw, clean(raw)))
            continue
        item = None if seg.heading else with_lead_in(passage_text, seg.raw)
        out.append(seg if item is None else Segment(item.quote, item.text))
    return out


def _metric_name(sentence: str, language: Language) -> str | None:
    metric = match_metric(sentence)
    return None if metric is None else metric_name(metric, sentence, language)


@dataclass(frozen=True)
class _Sentence:
    """What a passage sentence says for one area, independent of the question (cached)."""

    kind: Kind
    raw: str
    text: str  # the rendered statement
    tokens: frozenset[str]
    basis: str  # what relevance reads: the sentence, or a listed item after its lead-in
    prior: float  # area fit, topic, heading and style, before question relevance and rank
    topic: Topic | None
    fit: bool  # the sentence speaks the area's language (lexicon or topic)
    step: bool = False  # a listed step of a named phase or procedure (_step_item)


Sentence = _Sentence  # what callers may name


@lru_cache(maxsize=4096)
def analyse(passage_text: str, area: Area, language: Language, section: str = "") -> tuple[_Sentence, ...]:
    out: list[_Sentence] = []
    # a regulation's chapter headed in the area's words ('第七章 安全事件处置') holds the area's
    # rules, named in them or not; a report's section is looser and vouches for nothing
    section_fits = area_scores(section).get(area, 0) > 0 and in_articles(passage_text)
    for seg in passage_segments(passage_text):
        text = strip_connectors(seg.clean)
        joined = "\n" in seg.raw  # an item joined to its lead-in: only such a span crosses lines
        if len(text) < 8 or len(text) > 220 or _table_row(seg.raw) or _DANGLING.search(text):
            continue
        if _OPENS_LIST.search(seg.raw):
            continue  # '…应当明确以下内容：' announces a list; on its own it says nothing
        if _POINTS_AT.search(text) or _THIS_DOES.match(text) or _THIS_DOES.match(seg.clean.lstrip()):
            continue  # points at what an earlier sentence named: out of its passage it is about nothing
        if seg.raw.startswith("|") or is_listing(text):
            continue  # table cells or a run of names: no predicate, so no challenge, risk or action
        if PROMO.search(text) or _RHETORICAL.search(text) or FLUFF.search(text):
            continue
        fit = area_scores(text).get(area, 0)
        topic = match_topic(text, area)
        on_topic = topic is not None and topic.area == area
        prior = min(fit, 6) * 0.5 - (0.8 if _WEAK_START.search(text) else 0) - (0.5 if len(text) > 90 else 0)
        prior -= 0.6 if _REFERS_BACK.search(text) else 0
        kinds: list[Kind] = []
        kind = classify(text, seg.heading)
        step = joined and _step_item(text, advice=kind is not None)
        if kind is None and step:
            kind = "action"
        if seg.heading and kind == "action" and not on_topic:
            kind = None  # a bare heading is advice only when it names a topic of this area
        if kind is not None:
            kinds.append(kind)
        if not seg.heading and match_metric(text) is not None:
            kinds.append("kpi")
        for k in kinds:
            name = _metric_name(text, language) if k == "kpi" else None
            rendered = (
                (name, topic) if name else None if k == "kpi" else _render(k, text, area, language, joined)
            )
            if rendered:
                shown = (
                    rendered[0]
                    if k == "kpi"
                    else as_rule(rendered[0], seg.raw, passage_text, section, language)
                )
                bonus = (0.6 if on_topic else 0.0) + (2.0 if seg.heading and k == "challenge" else 0.0)
                sentence = _Sentence(
                    k,
                    seg.raw,
                    shown,
                    tokens(text),
                    text if joined else seg.raw,
                    prior + bonus,
                    rendered[1],
                    fit > 0 or on_topic or section_fits,
                    step and k == "action",
                )
                out.append(sentence)
    return tuple(out)
