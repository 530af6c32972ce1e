"""Numbered citations that can only point at evidence retrieved for this plan.

Both synthesizers (offline and LLM) and the verifier go through `CitationBook`: it refuses
ids that are not in the plan's evidence, and it guarantees every quote is a verbatim substring
of the cited chunk (the claimed quote if it is one, else the chunk's best-supporting sentence).
A quote that is part of another quote of the same document is one citation, not two: the shorter
statement cites the longer quote, which holds it word for word.
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
            merged = self._merge(chunk_id, quote)
            if merged is not None:
                return merged
            number = len(self.citations) + 1
            self._by_key[key] = number
            self.citations.append(Citation.of(ev, number, quote))
        return self._by_key[key]

    def _merge(self, chunk_id: str, quote: str) -> int | None:
        """The number of a citation of this document that holds `quote` or is held by it (which then
        grows to `quote`, with its chunk), so one passage's sentence and the article around it are
        cited once, even when overlapping chunks both hold them."""
        source = self.evidence[chunk_id].source
        for (cid, known), number in list(self._by_key.items()):
            if self.evidence[cid].source != source or not (quote in known or known in quote):
                continue
            if known in quote:  # the longer quote replaces the shorter under the same number
                self.citations[number - 1] = Citation.of(self.evidence[chunk_id], number, quote)
                del self._by_key[(cid, known)]
                self._by_key[(chunk_id, quote)] = number
            return number
        return None

    def cite_all(self, chunk_ids: Sequence[str], *, statement: str, quote: str | None = None) -> list[int]:
        out: list[int] = []
        for cid in dict.fromkeys(chunk_ids):
            n = self.cite(cid, quote=quote, statement=statement)
            if n is not None and n not in out:
                out.append(n)
        return out
