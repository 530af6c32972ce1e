"""What a question's stated constraints are served by, besides the words that name them.

A three-person IT team is served by talent and outsourcing advice, a legacy ERP by integration
advice, patient data by privacy advice (agents/data/facets.yaml `related`): the plan gate keeps a
finding that speaks to a constraint, though it never names the ERP.
"""

from __future__ import annotations

from agents.language.vocab import load
from agents.offline.coverage import addresses
from agents.offline.facets import QuestionFacet

_RELATED: dict[str, list[str]] = load("facets")["related"]


def speaks_to(facet: QuestionFacet, quote: str) -> bool:
    """The quote answers the facet, or speaks to what its constraint concerns (a talent shortage to a
    three-person IT team, integration to a legacy ERP); a horizon is no subject."""
    if facet.kind == "horizon":
        return False
    low = quote.lower()
    return addresses(facet, quote) or any(w.lower() in low for w in _RELATED.get(facet.kind, ()))
