"""Numbered citations that can only point at evidence retrieved for this plan.

Both synthesizers (offline and LLM) and the verifier go through `CitationBook`: it refuses
ids that are not in the plan's evidence, and it guarantees every quote is a verbatim substring
of the cited chunk (the claimed quote if it is one, else the chunk's best-supporting sentence).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from agents.grounding.support import best_sentence
from agents.offline.units import thicken
from agents.state import Citation, Evidence, Language


class CitationBook:
    def __init__(self, evidence: Mapping[str, Evidence], language: Language) -> None:
        self.evidence = evidence
        self.language = language
        self._by_key: dict[tuple[str, str], int] = {}
        self.citations: list[Citation] = []
        self.unknown_ids: set[str] = set()

    def cite(self, chunk_id: str, *, quote: str | None = None, statement: str = "") -> int | None:
        """The citation number for (chunk, quote); None when the chunk is not this plan's evidence."""
        ev = self.evidence.get(chunk_id)
        if ev is None:
            self.unknown_ids.add(chunk_id)
            return None
        if not quote or quote not in ev.text:
            quote = best_sentence(statement, self.language, ev.text)[0] if statement else ev.text.strip()
        quote = thicken(ev.text, quote)  # a bare heading is thin evidence: add the sentence under it
        key = (chunk_id, quote)
        if key not in self._by_key:
            number = len(self.citations) + 1
            self._by_key[key] = number
            self.citations.append(Citation.of(ev, number, quote))
        return self._by_key[key]

    def cite_all(self, chunk_ids: Sequence[str], *, statement: str, quote: str | None = None) -> list[int]:
        out: list[int] = []
        for cid in dict.fromkeys(chunk_ids):
            n = self.cite(cid, quote=quote, statement=statement)
            if n is not None and n not in out:
                out.append(n)
        return out
