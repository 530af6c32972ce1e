"""Offline synthesis: merge the specialists' findings into a phased, owned, cited plan.

Phases follow the usual adoption arc: foundations, governance, data and pilots in months 0-3,
integration and training in 3-6, scaling, monitoring and ROI review in 6-12. A topic template
fixes the phase, priority and owner when the action matches one; otherwise verbs decide
(制定/建立 early, 持续/扩大 late). The summary names each area's main challenge and the
roadmap's first steps, every fragment cited.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from agents.grounding.citations import CitationBook
from agents.grounding.support import supported
from agents.language.lexicon import ADVICE_QUESTION
from agents.language.text import jaccard, tokens
from agents.offline import gate, roadmap
from agents.offline.answer import Answer, direct_answers
from agents.offline.articles import in_articles
from agents.offline.conflicts import ruled_out
from agents.offline.corpus import DocumentFrequency
from agents.offline.coverage import coverage
from agents.offline.edges import captioned, last_content
from agents.offline.facet_answers import facet_answers
from agents.offline.facets import SCENE_CONSTRAINTS, find_facets, without_constraints
from agents.offline.focus import Focus
from agents.offline.mitigation import own_mitigation
from agents.offline.question import question_terms
from agents.offline.scope import broad, expand, profile_text
from agents.offline.setting import setting_of
from agents.offline.steps import Shape, pick_actions
from agents.offline.summary import LEAD_STEPS, key_clause, write_summary
from agents.offline.terms import match_metric
from agents.offline.topics import match_topic
from agents.state import (
    AdoptionPlan,
    Area,
    AreaFindings,
    Claim,
    CompanyProfile,
    Evidence,
    Language,
    PlanAction,
    PlanChallenge,
    PlanKPI,
    PlanRisk,
)

OFFLINE_NOTE = (
    "Offline mode quotes your documents in their original language and does not translate them; "
    "labels, owners and gaps are in English."
)
_FIGURE = re.compile(r"\d|[%％]|缩短至|降至|提升至|提高到")
CONTINUED = 2  # answering passages whose continuation is looked for
_MARKS = "#*● \t"  # heading marks around a line's words
_PRIORITY_RANK = {"high": 0, "medium": 1, "low": 2}


def _closing(quote: str, ev: Evidence) -> bool:
    """`quote` is the heading or caption the passage ends on."""
    return quote.strip(_MARKS) == last_content(ev.text).strip(_MARKS)


def _handed_on(before: str, found: Sequence[Answer], ev: Evidence, best: float) -> float:
    """The relevance a passage hands on to its successor: a caption's own, else its best answer's."""
    if not captioned(ev.text):
        return best
    return max((a.score for a in found if a.chunk_id == before and _closing(a.quote, ev)), default=0.0)


class Assembler:
    """Builds one plan draft; holds the citation book so every item cites through it."""

    def __init__(
        self,
        evidence: Mapping[str, Evidence],
        language: Language,
        df: DocumentFrequency | None = None,
        more: Callable[[list[Evidence]], list[tuple[str, Evidence]]] | None = None,
    ) -> None:
        self.language = language
        self.evidence = dict(evidence)
        self.df = df
        self.more = more  # fetches the passages that continue the given ones (agents.neighbors)
        self.added: list[Evidence] = []
        self.book = CitationBook(self.evidence, language)

    def context(self, claim: Claim) -> str:
        """Where the claim's evidence stands: its document's title and section."""
        found = [self.evidence[i] for i in claim.evidence_ids if i in self.evidence]
        return " ".join(f"{e.title} {e.section}" for e in found[:1])

    def passage(self, claim: Claim) -> str:
        """The passage the claim was read from."""
        return " ".join(self.evidence[i].text for i in claim.evidence_ids[:1] if i in self.evidence)

    def cite(self, claim: Claim) -> list[int]:
        return self.book.cite_all(claim.evidence_ids, statement=claim.text, quote=claim.quote)

    def build(
        self,
        question: str,
        areas: list[Area],
        findings: Sequence[AreaFindings],
        profile: CompanyProfile | None,
        facet_text: str = "",
    ) -> AdoptionPlan:
        lang = self.language
        facets = find_facets(facet_text or question, lang, profile)
        months = max((f.months or 0 for f in facets if f.kind == "horizon"), default=0) or None
        industry = next((f.key for f in facets if f.kind == "industry"), None)
        shape = Shape(months, industry, roadmap.lacking(facet_text or question))
        spans = roadmap.phases(months, lang)
        order = [p.id for p in spans]
        by_area = {f.area: f for f in findings}
        asker = f"{facet_text or question} {profile_text(profile)}".strip()
        # `against`: advice the question's own constraints rule out ('组建团队' for a 5-person IT team)
        setting, against = setting_of(asker, lang), ruled_out(asker)
        ordered = [gate.allowed(gate.usable(by_area[a]), against) for a in areas if a in by_area]
        found = gate.permitted(self._answers(question, profile, facet_text), against)
        answers = [a for a in found if not setting.foreign(a.quote or a.text, self.context(a))]
        expanded = expand(question, lang)
        asked_texts = [e.text for e in self.evidence.values()]
        asked = Focus(expanded, asked_texts, df=self.df)
        unanswered = gate.unanswered(asked, lang) and not ADVICE_QUESTION.search(question)
        if unanswered:
            # the question names what no evidence mentions ('多少块GPU', 版权 over a rulebook): the plan
            # is its gaps, not whatever each area's cue words found (a request for a plan still gets one)
            ordered, answers = [gate.emptied(f) for f in ordered], []
        if not broad(question):  # '需要采购多少GPU？': only what names GPU (or 算力) speaks to it
            ordered, answers = gate.counted_only(facets, question, ordered, answers)
        if not broad(question) and any(in_articles(e.text) for e in self.evidence.values()):
            # rules answer a narrow question in their deciding article; reports spread advice wide
            ordered = gate.on_question(expanded, answers, ordered, self.context, self.df)
        # findings that share nothing with a focused question, or only what it does not ask, are padding;
        # a plan for a named use or system keeps the obstacles and measures of that, steps from all areas
        wide = broad(question)
        if not wide or any(f.kind in gate.SUBJECTS for f in facets):
            # a small team or a budget is served by what speaks to it, not by every step naming 团队 or 预算
            unscened = expand(without_constraints(question, SCENE_CONSTRAINTS), lang)
            topic = Focus(unscened, asked_texts, df=self.df)
            kinds = gate.FINDINGS if wide else gate.KINDS
            ordered = gate.pertinent(
                ordered, topic, facets, question, answers, self.context, self.passage, kinds
            )
        per_area = {1: 6, 2: 5}.get(len(ordered), 3)
        actions: list[PlanAction] = []
        used: set[str] = set()  # one evidence sentence backs one action, in the first area that found it
        said: set[str] = set()  # and one statement is one action, whichever passage says it
        for f in ordered:
            # a sentence and the passage around it (heading, article) are one action, not two
            fresh = gate.distinct(
                [c for c in f.actions if not gate.overlaps(c.quote or c.text, used) and c.text not in said]
            )
            picked = pick_actions(fresh, f.area, lang, per_area, shape)
            for action in picked:
                claim = next(c for c in fresh if c.text == action.text)
                used.add(claim.quote or claim.text)
                said.add(claim.text)
                action.citations = self.cite(claim)
                if not set(action.citations) <= {n for a in actions for n in a.citations}:
                    actions.append(action)  # a heading cites the sentence under it: one action
        actions.sort(key=lambda a: (order.index(a.phase), _PRIORITY_RANK[a.priority]))
        spans, renamed = roadmap.steps_in_use(spans, {a.phase for a in actions})
        for action in actions:
            action.phase = renamed[action.phase]
        challenges: list[PlanChallenge] = []
        for f in ordered:  # two areas may name the same challenge: it is shown once, under the first
            for c in f.challenges[: 2 if len(ordered) > 2 else 3]:
                if all(c.text != kept.text for kept in challenges):
                    challenges.append(PlanChallenge(text=c.text, area=f.area, citations=self.cite(c)))
        risks: list[PlanRisk] = []
        for r in (r for f in ordered for r in self._risks(f)):  # two areas may find the same risk
            if all(r.risk != kept.risk for kept in risks):
                risks.append(r)
        kpis = self._kpis(ordered)
        chosen = [c.quote or c.text for c in [*answers, *(x for f in ordered for x in f.actions)]]
        scene = frozenset(t.word for t in question_terms(expanded) if t.background)
        extra = facet_answers(facets, self.evidence.values(), chosen, question, setting, lang, scene)
        extra = gate.permitted(
            [a for a in extra if not gate.names_only(a, facets)], against
        )  # list asked for
        if not broad(question):  # what a count or a price is asked of, facet answers must name too
            extra = gate.counted_only(facets, question, [], extra)[1]
        leading = gate.distinct([a for a in [*answers, *extra] if gate.leads(a, question, self.df)])
        nothing_else = not (actions or challenges or risks or kpis)
        # a plan with nothing else to show keeps its best answer rather than refuse an in-scope question
        answers = leading or (gate.distinct([*answers, *extra])[:1] if nothing_else else [])
        # with no answer to lead, the steps that match most of the question do (never area order)
        steps = sorted((c for f in ordered for c in f.actions), key=lambda c: -asked.score(c.quote or c.text))
        summary = write_summary(lang, ordered, risks, answers, self.cite, broad(question), steps[:LEAD_STEPS])
        facet_states, gaps = coverage(
            facets,
            [c.quote for c in self.book.citations],
            [e.text for e in self.evidence.values()],
            lang,
            in_corpus=(lambda w: self.df(w)[0] > 0) if self.df else None,
            used_spans={a.phase for a in actions},
            planned=bool(actions),  # 'the plan draws on nearby practice' only over a plan that has steps
            steps=[self.book.citations[n - 1].quote for a in actions for n in a.citations],
        )
        return AdoptionPlan(
            question=question,
            language=lang,
            mode="offline",
            areas=list(areas),
            summary=summary,
            summary_citations=sorted({int(n) for n in re.findall(r"\[(\d+)\]", summary)}),
            challenges=challenges,
            actions=actions,
            risks=risks,
            kpis=kpis,
            citations=list(self.book.citations),
            phases=spans,
            gaps=gaps,
            facets=facet_states,
            notes=[OFFLINE_NOTE] if lang == "en" else [],
            profile=profile,
        )

    def _answers(self, question: str, profile: CompanyProfile | None, facet_text: str = "") -> list[Claim]:
        """Evidence that answers the question itself; narrow questions get more of it. When an
        answering passage stops at a heading or list opener, the passage that continues it is
        fetched and read too."""
        asked = expand(f"{question} {profile_text(profile)}", self.language)
        # a follow-up continues the thread's question: its words weigh as background
        context = expand(facet_text, self.language) if facet_text and facet_text != question else ""
        limit = 2 if broad(question) else 4

        def find(inherit: dict[str, float]) -> list[Answer]:
            ranked = sorted(self.evidence.values(), key=lambda e: -e.score)
            # a continuation completes the answer it continues: it takes no other answer's place
            return direct_answers(
                asked, ranked, self.language, limit=limit + len(inherit), df=self.df, inherit=inherit,
                context=context,
            )  # fmt: skip

        found = find({})
        if self.more is not None and found:
            best = {a.chunk_id: max(b.score for b in found if b.chunk_id == a.chunk_id) for a in found}
            leading = sorted(best, key=lambda cid: -best[cid])[:CONTINUED]
            pairs = self.more([self.evidence[cid] for cid in leading])
            if pairs:
                self.added = [ev for _, ev in pairs if ev.chunk_id not in self.evidence]
                self.evidence.update({ev.chunk_id: ev for ev in self.added})
                # a chart's caption hands on only its own relevance, not that of the text above it
                inherit = {
                    ev.chunk_id: _handed_on(before, found, self.evidence[before], best[before])
                    for before, ev in pairs
                }
                found = find({cid: score for cid, score in inherit.items() if score > 0})
                # the heading or caption a passage ends on only announces what its successor says
                ended = {before for before, _ in pairs}
                found = [
                    a
                    for a in found
                    if not (a.chunk_id in ended and _closing(a.quote, self.evidence[a.chunk_id]))
                ]
        return [Claim(text=a.text, evidence_ids=[a.chunk_id], quote=a.quote) for a in found]

    def _risks(self, f: AreaFindings) -> list[PlanRisk]:
        """Each risk paired with the area's action that best answers it (same topic, shared words)."""
        out: list[PlanRisk] = []
        used: set[str] = set()
        for risk in f.risks[:3]:
            basis = risk.quote or risk.text
            topic = match_topic(basis, f.area)

            def fit(
                a: Claim, basis: str = basis, topic: object = topic, ids: list[str] = risk.evidence_ids
            ) -> float:
                same_topic = topic is not None and match_topic(a.quote or a.text, f.area) == topic
                same_chunk = bool(set(ids) & set(a.evidence_ids))
                overlap = jaccard(tokens(basis), tokens(a.quote or a.text))
                return overlap + (0.3 if same_topic else 0.0) + (0.2 if same_chunk else 0.0)

            own = own_mitigation(basis, f.area, self.language)
            cites = self.cite(risk)
            if own:  # the evidence names its own remedy ("…，需有效防御技术")
                out.append(
                    PlanRisk(risk=own[0] or risk.text, mitigation=own[1], area=f.area, citations=cites)
                )
                continue
            options = [a for a in f.actions if a.text not in used and fit(a) >= 0.08]
            if not options:
                continue
            # a mitigation that adds to the risk first; one that restates or swamps it only if no other
            m = max(options, key=lambda a: (not self._one_sided(risk, a), fit(a)))
            used.add(m.text)
            cites += [n for n in self.cite(m) if n not in cites]
            out.append(PlanRisk(risk=risk.text, mitigation=m.text, area=f.area, citations=cites))
        return out[:2]

    def _one_sided(self, risk: Claim, action: Claim) -> bool:
        """One quote alone carries the whole pair 'risk + mitigation': the pair says one thing twice."""
        statement = f"{risk.text} {action.text}"
        quotes = [risk.quote or risk.text, action.quote or action.text]
        return any(supported(statement, self.language, [q]) for q in quotes)

    def _kpis(self, findings: Sequence[AreaFindings]) -> list[PlanKPI]:
        out: dict[str, PlanKPI] = {}
        for f in findings:
            for claim in f.kpis:
                metric = match_metric(claim.quote or claim.text)
                key = metric.key if metric else claim.text
                if key in out:
                    continue
                target = ""  # only what the quote itself says: no canned reading
                if metric is not None:
                    clause = key_clause(claim.quote or "", metric.triggers)
                    target = clause if _FIGURE.search(clause) and len(clause) <= 40 else target
                out[key] = PlanKPI(name=claim.text, target=target, area=f.area, citations=self.cite(claim))
        return list(out.values())[:6]
