"""Evidence for the question's own facets: the sentences that name its industry, system or use case.

Area extraction picks what sounds like advice in each area; a question about a hospital's 导诊
also wants the passage that names 导诊, even when it is a table row of the industry report. For
each facet no chosen quote addresses yet, the best sentence of the plan's evidence that does is
added to the plan's answers, so a facet is either answered from the documents or named in `gaps`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from agents.grounding.quarantine import is_planted
from agents.language.lexicon import PROMO
from agents.language.text import clean, tokens
from agents.offline.answer import brand_roll, listed
from agents.offline.articles import ARTICLE_MAX, preamble_share
from agents.offline.coverage import addresses, industries_of
from agents.offline.facets import QuestionFacet
from agents.offline.qualifiers import asked as stated
from agents.offline.qualifiers import mismatched
from agents.offline.rows import row_text
from agents.offline.rules import as_rule
from agents.offline.sentences import passage_segments
from agents.offline.setting import Setting
from agents.offline.units import ARTICLE, refers_back
from agents.state import Claim, Evidence, Language

ANSWERABLE = frozenset(
    {"industry", "use_case", "topic", "system", "data", "residency", "team", "budget", "horizon"}
)
CONSTRAINTS = frozenset({"team", "residency", "budget", "horizon", "system"})
MIN_CHARS, MAX_CHARS = 10, 180
MAX_EXTRA = 4
_CELLS = re.compile(r"\t+|\s{2,}")
_LEAD_IN = re.compile(r"[：:]\s")  # an item quoted after the sentence that introduces its list


def _display(raw: str) -> str:
    """A table row reads as a list: cells joined by '、' (the quote keeps the row verbatim)."""
    cells = [c.strip() for c in _CELLS.split(raw) if c.strip()]
    return "、".join(dict.fromkeys(cells)) if len(cells) > 1 else raw


def facet_answers(
    facets: Sequence[QuestionFacet],
    evidence: Iterable[Evidence],
    chosen_quotes: Sequence[str],
    question: str,
    setting: Setting,
    language: Language,
    scene: frozenset[str] = frozenset(),
) -> list[Claim]:
    """One claim per facet that the chosen quotes leave unaddressed and some evidence sentence names.
    A topic only of the question's scene (`scene`: its background words, 'Our logistics company wants
    to connect… to an AI assistant.') is context: a passage naming it does not answer the question."""
    # a constraint (a small team, data residency) is answered by what a sentence itself says: advice
    # to outsource stays advice for a two-person team even in an article on AI customer service
    # an article whole: its exception keeps its rule
    segs = [(ev, seg) for ev in evidence for seg in passage_segments(ev.text)]
    pool = [
        (ev, seg.raw, setting.foreign(seg.raw, f"{ev.title} {ev.section}"), setting.foreign(seg.raw))
        for ev, seg in segs
        if not seg.heading
        and not PROMO.search(seg.raw)
        and not brand_roll(clean(seg.raw))  # '面壁智能 ModelBest ChatDEV、钉钉 钉钉AI助理…' names products
        and not refers_back(seg.raw)
        and not seg.raw.rstrip().endswith(("：", ":"))  # '…应当明确以下内容：' only announces a list
        # one condition of a list, without its lead-in
        and not (seg.raw.rstrip().endswith(("；", ";")) and not _LEAD_IN.search(seg.raw))
    ]
    shown_as = {seg.raw: seg.clean for _, seg in segs}
    asked = tokens(question)
    wanted = stated(question)
    out: list[Claim] = []
    quotes = list(chosen_quotes)
    own = industries_of(facets)
    for f in facets:
        if f.kind not in ANSWERABLE or any(addresses(f, q, own) for q in quotes):
            continue
        if f.kind == "topic" and f.evidence and all(w.lower() in scene for w in f.evidence):
            continue
        if f.kind == "horizon" and (f.months or 0) <= 12:
            continue  # any plan fits within a year: no sentence answers '今年' in particular
        # the passage naming the use case itself may sit among another industry's words (a table
        # row '生产计划/智能排产 … 仓储配送'): it still answers the use case, after a passage that does not
        fits = [
            (ev, raw, itself if f.kind in CONSTRAINTS else here)
            for ev, raw, here, itself in pool
            if MIN_CHARS <= len(raw) <= (ARTICLE_MAX if ARTICLE.match(raw) else MAX_CHARS)
            and (f.kind == "use_case" or not (itself if f.kind in CONSTRAINTS else here))
            and addresses(f, raw, own)
            and not is_planted(raw)
            and preamble_share(raw, question) == 1.0  # a scope clause ('本指引适用于…外包人员') answers none
            and not mismatched(raw, wanted)  # '不超过10万元的试用经费' is no budget rule for 260万
        ]
        if not fits:
            continue
        ev, raw, _ = max(fits, key=lambda x: (not x[2], len(tokens(x[1]) & asked), x[0].score, -len(x[1])))
        # a Markdown row under its column names; an item after its lead-in
        shown = row_text(ev.text, raw) or _display(shown_as.get(raw) or clean(raw))
        text = listed(as_rule(shown, raw, ev.text, ev.section, language), language)
        out.append(Claim(text=text, evidence_ids=[ev.chunk_id], quote=raw))
        quotes.append(raw)
        if len(out) >= MAX_EXTRA:
            break
    return out
