"""Several asks in one question text, each to be answered on its own.

'风险等级怎么定、由谁审批、上线前要满足什么条件？' lists three asks with '、'; 'Who approves it, is this
level of automation allowed, and how often must it be re-reviewed?' joins three with commas and
'and'. Read as one question, no rule matches enough of it to count; read one ask at a time, each
ask's rule answers it fully (agents.offline.focus scores each).
"""

from __future__ import annotations

import re

from agents.language.glossary import expand_query

# 'Who approves it, is this allowed, and how often…?': English asks joined by commas and 'and'
_LEAD = re.compile(r"^(?:within|in|for|by|at|after|before|under|to|from|on)\s+(?=\w)", re.I)
_EN_ASKS = re.compile(  # 'Within how many hours…', 'For how long…': a preposition may lead the question word
    rf"(?:{_LEAD.pattern[1:]})?(who|whom|what|which|when|where|why|how|is|are|can|could|do|does|must|should|may)\b",
    re.I,
)
_EN_ASK_SPLIT = re.compile(
    r",\s*(?:and\s+|or\s+)?(?=(?:who|whom|what|which|when|where|why|how|is|are|can|could|do|does|must|should|may)\b)"
    r"|\s+and\s+(?=(?:who|what|which|when|where|how|is|are|can|do|does|must|should)\b)",
    re.I,
)
_EN_SENTENCE = re.compile(r"(?<=[.?!])\s+")
_FIRST_CJK = re.compile(r"\s[\u4e00-\u9fff]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# '风险等级怎么定、由谁审批、上线前要满足什么条件？': one sentence asking several things, each piece
# with a question word of its own
_OWN_ASK = re.compile(
    r"怎么|怎样|如何|由谁|是谁|谁|多少|多久|多大|多长|多高|几|是否|能否|能不能|可不可以|要不要|有没有|吗"
)
_ASKS = re.compile(
    r"怎么|怎样|如何|由谁|是谁|谁|什么|哪些|哪个|哪里|多少|多久|多大|多长|多高|几|是否|能否|能不能|可不可以|要不要|有没有|吗"
)


def english_asks(question: str) -> list[str]:
    """'Who approves it, is this allowed, and how often must it be re-reviewed?' as one question per
    ask, each with its Chinese terms; the whole text when it asks one thing. A clause without a
    question word ('We want X, and how do we start?') asks nothing of its own."""
    english = _FIRST_CJK.split(question, maxsplit=1)[0]
    asking = [s for s in _EN_SENTENCE.split(english) if s.rstrip().endswith("?")]
    clauses = [c.strip(" ,?") for s in asking for c in _EN_ASK_SPLIT.split(s) if c.strip(" ,?")]
    # the copy without framing words repeats the asks that keep their question word
    asks = list(dict.fromkeys(_LEAD.sub("", c) for c in clauses if _EN_ASKS.match(c)))
    if len(asks) < 2:
        return [question]
    out = []
    for ask in asks:
        expanded = expand_query(f"{ask}?")
        out.append(expanded if isinstance(expanded, str) else " ".join(expanded))
    # an ask with no term to look for ('What first?') is how the question is put, not one of its own
    out = [q for q in out if _CJK.search(q)]
    return out if len(out) > 1 else [question]


def listed_asks(part: str) -> list[str]:
    """A question listing its asks with '、' or '，' as one question per ask, after the statements
    before them (the company's setting, which no ask stands for alone); the part itself otherwise.
    '数据使用上要办哪些手续，日志要保存多久？' asks two things; '哪些数据、哪些场景不能用？' one thing of
    two subjects: a piece before '、' asks on its own only with a question word that is no
    determiner ('怎么定', '由谁审批')."""
    if not part.endswith(("？", "?")):
        return [part]
    head, _, last = part[:-1].rpartition("。")
    tokens = re.split(r"([、，,])", last)
    pieces, seps = tokens[0::2], ["", *tokens[1::2]]
    lead = 0
    while lead < len(pieces) and not _ASKS.search(pieces[lead]):
        lead += 1  # '如果先在一个地市分公司试点，' sets the scene of the asks after it
    context = "".join(p + s for p, s in zip(pieces[:lead], seps[1 : lead + 1], strict=False))
    asks: list[str] = []
    for i in range(lead, len(pieces)):
        before = pieces[i - 1] if i > lead else ""
        own = _OWN_ASK if seps[i] == "、" else _ASKS
        if asks and own.search(before) and _ASKS.search(pieces[i]):
            asks.append(pieces[i])
        elif asks:
            asks[-1] += seps[i] + pieces[i]
        else:
            asks.append(pieces[i])
    if len(asks) < 2:
        return [part]
    scene = f"{head}。{context}" if head else context
    return [*([scene] if scene else []), *(f"{q}？" for q in asks)]
