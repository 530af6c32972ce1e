"""Domain lexicons for offline routing and extraction, loaded from agents/data/lexicon.yaml.

The offline advisor has no model, so what an area "is" and what an action or a risk "sounds
like" lives in data: weighted area terms in Chinese and English, cue words that classify
evidence sentences, owner roles, and the patterns that mark a request as out of scope.
"""

from __future__ import annotations

import re
from typing import Any, cast

from agents.language.vocab import load
from agents.state import Area
from store.index.lexical import STOPWORDS

_LEX: dict[str, Any] = load("lexicon")
_PATTERNS: dict[str, str] = _LEX["patterns"]


def _pattern(name: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(_PATTERNS[name], flags)


AREA_TERMS = cast(dict[Area, dict[str, int]], _LEX["area_terms"])
CORE_TERMS: tuple[str, ...] = tuple(_LEX["core_terms"])  # the question is about AI adoption at all
PLAN_CUES: tuple[str, ...] = tuple(_LEX["plan_cues"])  # plan-shaped requests get every area
ISSUE_CUES: tuple[str, ...] = tuple(_LEX["issue_cues"])  # obstacles in general get every area too
MEASURE_CUES: tuple[str, ...] = tuple(_LEX["measure_cues"])  # how to measure results: KPIs answer
BROAD_CUES: tuple[str, ...] = tuple(_LEX["broad_cues"])  # broad planning requests, unless an area is named
PLAN_REQUEST = _pattern("plan_request", re.IGNORECASE)  # 'How should a manufacturer start with AI?'
ROLLOUT_CUES: tuple[str, ...] = tuple(_LEX["rollout_cues"])  # 'how do we roll it out?': every area
RISK_CUES: tuple[str, ...] = tuple(_LEX["risk_cues"])
CHALLENGE_CUES: tuple[str, ...] = tuple(_LEX["challenge_cues"])
KPI_CUES: tuple[str, ...] = tuple(_LEX["kpi_cues"])
OWNERS = cast(dict[Area, dict[str, str]], _LEX["owners"])
AREA_LABELS = cast(dict[Area, dict[str, str]], _LEX["area_labels"])
AREA_QUERY = cast(dict[Area, str], _LEX["area_query"])  # each specialist's own search angle
AREA_ISSUES = cast(dict[Area, str], _LEX["area_issues"])  # the obstacles each area's sources name
GENERIC: frozenset[str] = STOPWORDS | frozenset(_LEX["generic_words"].split())  # words with no topic
FUNCTION_CHARS: frozenset[str] = frozenset(_LEX["function_chars"])  # never join a word
FRAME: frozenset[str] = frozenset(_LEX["frame_words"].split())  # words that frame, not name, a topic

ACTION_MODAL = _pattern("action_modal")  # modal verbs that make a sentence advice
ACTION_START = _pattern("action_start")
STEPS_ASKED = _pattern("steps_asked", re.IGNORECASE)  # asks for the procedure: phases and steps
STEP_LEAD = _pattern("step_lead", re.IGNORECASE)  # a lead-in whose numbered items are steps
ACTION_VERBS = _pattern("action_verbs")
MITIGATION = _pattern("mitigation")  # risk words inside a mitigation describe an action, not a risk
THREAT = _pattern("threat")  # a risk sentence says something may go wrong
THE_DOCUMENTS = _pattern("the_documents", re.IGNORECASE)
VERDICT = _pattern("verdict")
CREDIT_LINE = _pattern("credit_line", re.IGNORECASE)  # a chart's source line, no content of its own
RANK_OPENER = _pattern("rank_opener", re.IGNORECASE)  # opens a survey's ranking with its leader
RANK_ENTRY = _pattern("rank_entry", re.IGNORECASE)  # a later entry of that ranking, with its share
ORDINAL_FIRST = _pattern("ordinal_first", re.IGNORECASE)  # the first step of a sequence the text walks
ORDINAL_NEXT = _pattern("ordinal_next", re.IGNORECASE)  # a later step of that sequence
DURATION_ASK = _pattern("duration_ask", re.IGNORECASE)  # asks how long something takes
DURATION = _pattern("duration", re.IGNORECASE)  # states a span of time
MOST_MONEY = _pattern("most_money", re.IGNORECASE)  # asks for the largest sum (a fine's cap)
ASPECT = _pattern("aspect")  # the side of the roll-out a question confines itself to
CAPABILITY = _pattern("capability")  # "AI可以…" describes the technology, not advice to the reader
PURPOSE = _pattern("purpose")
NOT_ADVICE = _pattern("not_advice", re.IGNORECASE)  # an example or a forecast, never a step
PREDICATE = _pattern("predicate", re.IGNORECASE)  # a run of names has none of these words
ISSUE_LABEL = _pattern("issue_label")  # '成本控制压力：…' states an obstacle or risk, not advice
TOPIC_TITLE = _pattern("topic_title", re.IGNORECASE)  # a title names a subject, it states nothing
FLUFF = _pattern("fluff")
PRACTICE = _pattern("practice", re.IGNORECASE)  # measures spelled out as steps: advice without a modal
ELABORATION = _pattern("elaboration", re.IGNORECASE)  # spells out the sentence before it
RULE_QUESTION = _pattern("rule_question", re.IGNORECASE)  # asks who, how many, whether: a fact or rule
ADVICE_QUESTION = _pattern("advice_question", re.IGNORECASE)  # asks what to do
PREAMBLE = _pattern("preamble")  # a regulation's enactment, scope or definition clause
DEFINITION = _pattern("definition")  # a term's definition: neither a risk nor a step
PREAMBLE_ASKED = _pattern("preamble_asked", re.IGNORECASE)  # a question about purpose, scope or terms
PROMO = _pattern("promo")  # sentences that sell, introduce or cite rather than advise
OFF_TOPIC = _pattern("off_topic", re.IGNORECASE)
INJECTION = _pattern("injection", re.IGNORECASE)
FOLLOW_UP = _pattern("follow_up", re.IGNORECASE)  # an opening that continues the thread's topic


def step_lead(text: str) -> tuple[str, str] | None:
    """(lead-in, item) of an item joined to a lead-in that names a phase's work or a procedure
    ('第三节 数据准备阶段：清洗数据…'); None for any other text."""
    lead, colon, item = text.partition("：")
    return (lead, item) if colon and STEP_LEAD.search(lead + colon) else None
