"""What a question asks AI to do (its use cases) and the subject words it names, with the words that
show a passage addresses each.

A manager's question names its use case as the object of the AI verb ("用AI做合同审查和法律检索",
"use AI for claims triage"); TF-IDF alone drops such phrases when their parts are everyday words
(合同, 审查). Both languages lean on libraries rather than a hand list of junk words: jieba's
part-of-speech tags and word frequencies say which Chinese words are everyday verbs, CC-CEDICT
translates English words, bm25s ships the English stopword list, and an English word whose best
translation is an everyday Chinese word ('place' -> 地方, 'group' -> 集团) is not a subject either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from bm25s.stopwords import STOPWORDS_EN_PLUS

from agents.language.dictionary import english_to_chinese, is_chinese_word
from agents.language.glossary import glossary_phrases, glossary_terms
from agents.language.pos import jieba
from agents.language.synonyms import alternatives
from agents.language.vocab import load
from store.index.lexical import EN_STOPWORDS

COMMON_VERB, COMMON_NOUN = 300, 2000  # jieba dictionary frequencies above which a word is everyday language
DOMAIN_TERM = (
    100  # a word rarer than this in jieba's dictionary (导诊, 排产, 投研) names a use case on its own
)
EN_COMMON = 10000  # an English word whose best translation is this frequent is everyday language
_SPEC: dict[str, Any] = load("facets")["asked"]
_EN_STOP = frozenset(STOPWORDS_EN_PLUS) | EN_STOPWORDS
_PLACE_FLAGS = ("ns", "nr")  # jieba's tags of place and person names
_NOT_SUBJECT_FLAGS = (
    "a",
    "v",
    "d",
    "r",
    "p",
    "c",
    "u",
    "m",
    "q",
    "b",
    "i",
    "l",
    "z",
    "t",
    "f",
    "e",
    "y",
    "o",
)


@dataclass(frozen=True)
class Asked:
    value: str  # as the question says it
    evidence: tuple[str, ...]  # words that show a passage addresses it
    parts: tuple[tuple[str, ...], ...] = ()  # words translated one by one: a passage must name each


def frequency(word: str) -> int:
    return int(jieba().dt.FREQ.get(word, 0))


def everyday(word: str, flag: str) -> bool:
    """A word too common to be a question's subject ('用到', '标准'); use cases ('导诊') are rare."""
    return frequency(word) >= (COMMON_VERB if flag.startswith("v") else COMMON_NOUN)


@cache
def _use_case_pattern(language: str) -> re.Pattern[str]:
    return re.compile(_SPEC["use_case"][language], re.IGNORECASE)


def _evidence(phrase: str, parts: Iterable[str]) -> tuple[str, ...]:
    """The phrase, its synonyms, its parts that are domain terms on their own (报修, 排产), and the
    words passages use for a known use case it names ('客服热线' is customer service: 客服, 呼叫中心)."""
    rare = [p for p in parts if len(p) >= 2 and p != phrase and frequency(p) < DOMAIN_TERM]
    known = [
        n for cues, names in _known_uses() if any(c in phrase for c in cues if not c.isascii()) for n in names
    ]
    return tuple(
        dict.fromkeys(
            [phrase, *alternatives(phrase), *rare, *(a for p in rare for a in alternatives(p)), *known]
        )
    )


@cache
def _known_uses() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(cues, names) of the use cases agents/data/facets.yaml knows."""
    return tuple((tuple(u["cues"]), tuple(u["names"])) for u in load("facets")["use_cases"].values())


def chinese_use_cases(question: str, skip: frozenset[str]) -> list[Asked]:
    """The phrases a Chinese question wants AI for, split at conjunctions and everyday verbs, with
    everyday verbs and nouns trimmed from their edges ('处理业主报修电话' -> 业主报修)."""
    out: list[Asked] = []
    for m in _use_case_pattern("zh").finditer(question):
        runs: list[list[tuple[str, str]]] = [[]]
        tails: dict[int, str] = {}  # a generic noun that ends a run's job ('收益' + '管理')
        pairs = [(p.word, p.flag) for p in jieba().posseg.cut(m.group("object"))]
        for i, (word, flag) in enumerate(pairs):
            # an everyday verb with an object after it ('处理业主报修') is the request, not the job;
            # one that ends the phrase ('辅助诊断') is part of it
            object_follows = i + 1 < len(pairs) and pairs[i + 1][1] not in ("c", "x", "uj", "p")
            verb = flag == "v" and everyday(word, flag) and object_follows
            if word in skip and flag in ("n", "vn") and runs[-1]:
                tails[len(runs) - 1] = word
            if flag in ("c", "x", "uj", "p") or word in skip or verb:
                runs.append([])
            else:
                runs[-1].append((word, flag))
        for n, run in enumerate(runs):
            # (a noun only: '异常预警' ends in the job itself, not in a channel)
            while (
                len(run) > 1
                and run[-1][1] == "n"
                and everyday(*run[-1])
                and not all(everyday(*t) for t in run)
            ):
                run.pop()  # '报修电话' -> 报修: a trailing everyday word names the channel, not the job
            phrase = "".join(w for w, _ in run)
            if len(phrase) >= 2 and not (len(run) == 1 and everyday(*run[0])):
                evidence = _evidence(phrase, [w for w, _ in run])
                tail = tails.get(n)
                # '收益管理' is not 收益 alone (a game's '商业收益'): a passage names both
                if tail and len(run) == 1:
                    whole = phrase + tail
                    out.append(Asked(whole, (whole, *evidence), ((whole, *evidence), (tail,))))
                elif len(run) >= 3 and len(run[-1][0]) >= 2 and run[-1][0] not in evidence:
                    # '温控异常预警' is not 温控 alone (a smart home's '智能温控系统'): its last word, the
                    # job itself, must be named too
                    job = run[-1][0]
                    out.append(Asked(phrase, evidence, (evidence, (job, *alternatives(job)))))
                else:
                    out.append(Asked(phrase, evidence))
    return out


def english_use_cases(question: str, skip: frozenset[str]) -> list[Asked]:
    """What an English question wants AI for ('generative AI for contract drafting', 'an AI triage
    pilot'): the subject words of the phrase after 'AI', as one use case with their translations."""
    out: list[Asked] = []
    for m in _use_case_pattern("en").finditer(question):
        subjects = english_subjects(m.group("object"), skip)
        if subjects:
            value = " ".join(
                w for w in m.group("object").lower().split() if any(w in a.value for a in subjects)
            )
            evidence = tuple(dict.fromkeys(z for a in subjects for z in a.evidence))
            out.append(
                Asked(value, evidence, tuple(a.evidence for a in subjects) if len(subjects) > 1 else ())
            )
    return out


def _verb_context(words: list[str], i: int) -> bool:
    """An English word used as a verb: 'wants to', 'moving an AI pilot', 'to use'."""
    after = words[i + 1] if i + 1 < len(words) else ""
    before = words[i - 1] if i else ""
    return after in _SPEC["en_verb_next"] or before in _SPEC["en_verb_prev"]


def _takes_object(words: list[str], i: int) -> bool:
    """An -ing word after a preposition with a noun after it is a verb ('for checking loan
    applications'); 'for forecasting' and 'demand forecasting' name a job."""
    return (
        words[i].endswith("ing")
        and 0 < i < len(words) - 1
        and words[i - 1] in _EN_STOP
        and words[i + 1] not in _EN_STOP
    )


def _names_a_thing(parts: list[str]) -> bool:
    """A phrase whose head can be a noun, and a single word that is no adjective: 'predictive',
    'checking' (a verb) and 'look like' name nothing; 'auto parts', 'maintenance' do. Words
    lemminflect does not know (acronyms, new terms) pass."""
    from lemminflect import getAllLemmas  # loads its tables on first use

    head = getAllLemmas(parts[-1])
    if not head:
        return True
    gerund = parts[-1].endswith("ing") and "VERB" in head  # 'contract drafting', 'forecasting'
    return (gerund or "NOUN" in head) and (len(parts) > 1 or "ADJ" not in head)


def without_verbs(text: str) -> str:
    """The text without English words that follow a subject or modal ('a chatbot that stores
    data', 'we bank on'): such a word is no industry the question names."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9\-]*", text)
    low = [w.lower() for w in words]
    verbs = {w for i, w in enumerate(low) if i and low[i - 1] in _SPEC["en_verb_prev"]}
    if not verbs:
        return text
    return re.sub(
        r"[A-Za-z][A-Za-z0-9\-]*", lambda m: "" if m.group(0).lower() in verbs else m.group(0), text
    )


def english_subjects(question: str, skip: frozenset[str]) -> list[Asked]:
    """English words and phrases CC-CEDICT (or the domain glossary) translates that name a subject,
    rarest translation first, each with its Chinese words as evidence."""
    words = re.findall(r"[a-z][a-z0-9\-]*", question.lower())
    verbs = {w for i, w in enumerate(words) if _verb_context(words, i) or _takes_object(words, i)}
    found: list[tuple[int, Asked]] = []
    pairs = english_to_chinese(question)
    # the domain's own phrases ('recommendation engine' -> 推荐系统) are one subject, their words no others
    phrases = glossary_phrases(question)
    inside = {f for p in phrases for w in p.split() for f in (w, f"{w}s", f"{w}es")}
    pairs = [(p, s) for p, s in pairs if not set(p.lower().split()) <= inside] + [(p, []) for p in phrases]
    seen = {w for phrase, _ in pairs for w in phrase.lower().split()} | inside
    pairs += [(w, []) for w in words if w not in seen and glossary_terms(w)]  # 'triage': glossary only
    for phrase, senses in pairs:
        parts = phrase.lower().split()
        if (
            phrase.isupper()
            or any(p in _EN_STOP or p in skip or p in verbs for p in parts)
            or len(phrase) < 4
            or not _names_a_thing(parts)
        ):
            continue
        # a phrase CEDICT knows ('demand forecasting' -> 需求预测) outranks the glossary's word in it
        glossed = [] if len(parts) > 1 and senses else glossary_terms(phrase)
        zh = [z for z in dict.fromkeys([*glossed, *senses[:2]]) if len(z) >= 2]
        if not zh or any(z in skip for z in zh) or frequency(zh[0]) >= EN_COMMON:
            continue
        # the domain glossary knows its words are subjects; otherwise jieba's tag of the best translation says
        flag = next(jieba().posseg.cut(zh[0])).flag
        if not glossed and flag.startswith(_NOT_SUBJECT_FLAGS) and flag != "vn":
            continue
        if flag in _PLACE_FLAGS and re.search(rf"\b{re.escape(phrase[:1].upper() + phrase[1:])}\b", question):
            continue  # where the asker is ('in Chengdu'), not what the documents should answer
        best = glossed or zh[:1]  # a dictionary's second sense is often another meaning ('contract' -> 承包)
        # the glossary's word for the phrase stays as evidence: 'staff training' (人员培训) is 培训 too
        wider = [] if glossed else [g for g in glossary_terms(phrase) if len(g) >= 2]
        evidence = tuple(dict.fromkeys([*best, *(a for z in best for a in alternatives(z)), *wider]))
        found.append((frequency(zh[0]), Asked(phrase.lower(), evidence)))
    found.sort(key=lambda x: x[0])
    # once each, rarest first; 'courier' and 'couriers' translate alike: one subject, the rarer spelling
    return list({a.evidence: a for _, a in reversed(found)}.values())[::-1]


def whole_word(question: str, word: str) -> str:
    """The word with the character the segmenter cut off ('区块' + '链' -> 区块链), if a word."""
    at = question.find(word)
    longer = question[at : at + len(word) + 1] if at >= 0 else word
    return longer if len(longer) > len(word) and is_chinese_word(longer) else word
