"""What may stand in a plan besides being retrieved: the plan-level gate over chosen evidence.

Area extraction, the direct answer and the facet answers each choose evidence on their own. The
plan then must not show an example or a forecast as a step to take ('例如某银行…', '预计到2025年…'),
quote one passage twice (a sentence, and the article or list that holds it), or offer a row of
names as evidence for who asks: a list of companies that happens to hold '银行' says nothing to
a bank; only a question about one of the listed things (a use case, a system) is answered by it.
"""

from __future__ import annotations

from collections.abc import Sequence

from agents.language.lexicon import NOT_ADVICE
from agents.offline.answer import LISTED
from agents.offline.coverage import addresses
from agents.offline.facets import QuestionFacet
from agents.state import Claim

NAMED_BY_LISTS = frozenset({"use_case", "topic", "system"})  # facets a list of names can answer


def advice(claims: Sequence[Claim]) -> list[Claim]:
    """The claims that tell the reader what to do, not what others did or what may happen."""
    return [c for c in claims if not NOT_ADVICE.search(c.quote or c.text)]


def distinct(claims: Sequence[Claim]) -> list[Claim]:
    """The claims less those whose quote another claim of the same passage already holds."""

    def held(c: Claim, by: Claim) -> bool:
        a, b = c.quote or c.text, by.quote or by.text
        same = bool(set(c.evidence_ids) & set(by.evidence_ids))
        said = c.text.rstrip("。.；; ") in by.text  # a shortened longer answer may not say it all
        return same and a in b and said and (a != b or claims.index(by) < claims.index(c))

    return [c for c in claims if not any(held(c, other) for other in claims if other is not c)]


def names_only(claim: Claim, facets: Sequence[QuestionFacet]) -> bool:
    """A listed row of names that answers none of the question's use cases, topics or systems."""
    if not claim.text.startswith(tuple(LISTED.values())):
        return False
    return not any(f.kind in NAMED_BY_LISTS and addresses(f, claim.quote or claim.text) for f in facets)
