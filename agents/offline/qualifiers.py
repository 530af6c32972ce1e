"""Qualifiers a rule is stated for, so a rule for one level is not given to a question about another.

Regulations state many rules for one value of a qualifier: "三级应用的评审应当邀请至少一名外部专家"
holds for level-3 applications only, "L3数据仅可以…" for one data grade. A question that names its
own value ("a level-2 application", "二级应用上线前…") is not answered by a rule that names only
other values of the same group. A rule naming no value of the group, or the asked one, still applies;
"二级以上" covers every value from 二级 up. The groups and their words are data
(agents/data/qualifiers.yaml), so another corpus's tiers are added there.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import cache, lru_cache

import cn2an

from agents.language.vocab import load

_CN_NUMERAL = re.compile(r"[一二三四五六七八九两〇零]|十(?=[百千万亿元])")
BEFORE = 10  # characters before a number searched for the word that makes it a bound ('超过…20%')


@dataclass(frozen=True)
class Wanted:
    """What a question states: qualifier values by group, and amounts by dimension (money, percent)."""

    values: tuple[tuple[str, frozenset[int]], ...] = ()
    amounts: tuple[tuple[str, float], ...] = ()
    # what each share is of: the words just before it ('超预算15%' -> 超预算, '准确率从97%' -> 准确率从)
    of: tuple[str, ...] = ()

    def about(self, dim: str, text: str) -> bool:
        """A share the question states is measured against a rule's only when the rule speaks of what
        it is a share of: '准确率从97%掉到90%' is not '超出批准预算10%以上'."""
        if dim != "percent" or not self.of:
            return True
        return any(before[i : i + 2] in text for before in self.of for i in range(len(before) - 1))

    def __bool__(self) -> bool:
        return bool(self.values or self.amounts)


@dataclass(frozen=True)
class _Group:
    name: str
    zh: tuple[tuple[str, ...], ...]  # forms of each value, in value order
    en: tuple[tuple[str, ...], ...]


@cache
def _groups() -> tuple[_Group, ...]:
    data = load("qualifiers")["groups"]
    return tuple(
        _Group(
            name,
            tuple(tuple(v.get("zh", [])) for v in values),
            tuple(tuple(v.get("en", [])) for v in values),
        )
        for name, values in data.items()
    )


@cache
def _words(key: str) -> tuple[str, ...]:
    return tuple(sorted(load("qualifiers")[key], key=len, reverse=True))


@lru_cache(maxsize=1024)
def _english(form: str) -> re.Pattern[str]:
    words = r"[\s\-]+".join(re.escape(w) for w in re.split(r"[\s\-]+", form))
    return re.compile(rf"(?<![A-Za-z0-9]){words}(?![A-Za-z0-9])", re.IGNORECASE)


def _zh_values(group: _Group, text: str) -> frozenset[int]:
    """Values of the group a text names; 'X以上' names X and every value after it."""
    found: set[int] = set()
    last = len(group.zh) - 1
    for index, forms in enumerate(group.zh):
        for form in forms:
            start = text.find(form)
            while start >= 0:
                end = start + len(form)
                before, after = text[max(0, start - 3) : start], text[end : end + 3]
                if not any(before.endswith(w) for w in _words("not_after")):
                    if any(after.startswith(w) or form.endswith(w) for w in _words("up_from")):
                        found.update(range(index, last + 1))
                    elif any(after.startswith(w) or form.endswith(w) for w in _words("down_from")):
                        found.update(range(0, index + 1))
                    else:
                        found.add(index)
                start = text.find(form, start + 1)
    return frozenset(found)


@cache
def _amount_pattern() -> re.Pattern[str]:
    data = load("qualifiers")["amounts"]
    words = sorted({w for dim in data.values() for lang in dim.values() for w in lang}, key=len, reverse=True)
    number = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"  # '500,000' or '0.5'
    return re.compile(rf"{number}\s*({'|'.join(re.escape(w) for w in words)})", re.IGNORECASE)


@cache
def _scales() -> dict[str, tuple[str, float]]:
    """Unit word (lower-cased) -> (dimension, scale)."""
    data = load("qualifiers")["amounts"]
    return {
        w.lower(): (dim, float(k))
        for dim, langs in data.items()
        for units in langs.values()
        for w, k in units.items()
    }


OF_CHARS = 6  # characters before a share that say what it is a share of
_SHARE_OF = re.compile(r"[^\u4e00-\u9fff]|[从由到至了的是为超过高于低于达到]")  # not words of the subject


# a sum with its currency first ('RMB 450,000', '¥1.2 million'): money, scaled by the word after it
_CURRENCY_FIRST = re.compile(
    r"(?:\bRMB|\bCNY|[¥￥])\s*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(billion|million|thousand|k\b|万|亿)?",
    re.IGNORECASE,
)
_SUFFIX = {"billion": 1e9, "million": 1e6, "thousand": 1e3, "k": 1e3, "万": 1e4, "亿": 1e8}


def _amounts(text: str) -> list[tuple[str, float, int, int]]:
    """(dimension, value in base units, start, end) of every amount a text states."""
    out = []
    for m in _amount_pattern().finditer(text):
        dim, scale = _scales()[m.group(2).lower()]
        out.append((dim, float(m.group(1).replace(",", "")) * scale, m.start(), m.end()))
    for m in _CURRENCY_FIRST.finditer(text):
        if not any(start <= m.start(1) < end for _, _, start, end in out):  # 'RMB 3 million' is read once
            scale = _SUFFIX.get((m.group(2) or "").lower(), 1.0)
            out.append(("money", float(m.group(1).replace(",", "")) * scale, m.start(), m.end()))
    return out


def largest_money(text: str) -> float:
    """The largest sum of money a text states, in yuan, Chinese numerals read too ('五千万元'); 0 if
    none. A rule's fine is stated so; '最多罚多少' is answered by the largest."""
    if not any(w in text for w in ("元", "yuan", "RMB", "rmb")):
        return 0.0
    read = text
    if _CN_NUMERAL.search(text):
        with warnings.catch_warnings():  # cn2an warns of a unit it leaves alone ('500万元')
            warnings.simplefilter("ignore")
            read = cn2an.transform(text, "cn2an")
    return max((v for dim, v, _, _ in _amounts(read) if dim == "money"), default=0.0)


def _direction_before(before: str) -> str | None:
    """'超过预算月均值' -> lower, '不超过' -> upper: the direction word nearest the number decides."""
    best: tuple[int, int, str] | None = None
    for way in ("lower", "upper"):
        for w in _words(f"{way}_before"):
            at = before.rfind(w)
            if at >= 0 and (best is None or (at + len(w), len(w)) > best[:2]):
                best = (at + len(w), len(w), way)
    return best[2] if best else None


def _ranges(text: str) -> list[tuple[str, float, float]]:
    """Per clause, the range its thresholds allow: '预算50万元（含）以上、500万元以下的' -> [50万, 500万]."""
    out = []
    for clause in re.split(r"[，,。；;：:]", text):
        bounds: dict[str, list[float]] = {}
        for dim, value, start, end in _amounts(clause):
            after = re.sub(r"^\s*[（(]含[)）]", "", clause[end : end + 8])
            way: str | None
            if any(after.startswith(w) for w in _words("lower_after")):
                way = "lower"
            elif any(after.startswith(w) for w in _words("upper_after")):
                way = "upper"
            else:
                way = _direction_before(clause[max(0, start - BEFORE) : start])
            if way is not None:
                lo, hi = bounds.setdefault(dim, [0.0, float("inf")])
                bounds[dim] = [max(lo, value), hi] if way == "lower" else [lo, min(hi, value)]
        out += [(dim, lo, hi) for dim, (lo, hi) in bounds.items()]
    return out


@cache
def qualifier_words() -> frozenset[str]:
    """Every word that names a qualifier value (二级, 高风险, L3): it narrows a question, and is not
    what the question asks about."""
    return frozenset(f.lower() for g in _groups() for forms in (*g.zh, *g.en) for f in forms)


@lru_cache(maxsize=4096)
def asked(question: str) -> Wanted:
    """The qualifier values and amounts a question names (its English words included)."""
    values: list[tuple[str, frozenset[int]]] = []
    for group in _groups():
        found = set(_zh_values(group, question))
        for index, forms in enumerate(group.en):
            if any(_english(f).search(question) for f in forms):
                found.add(index)
        if found:
            values.append((group.name, frozenset(found)))
    stated = _amounts(question)
    amounts = tuple(dict.fromkeys((dim, value) for dim, value, _, _ in stated))
    of = tuple(
        _SHARE_OF.sub("", question[max(0, start - OF_CHARS) : start])
        for dim, _, start, _ in stated
        if dim == "percent"
    )
    return Wanted(tuple(values), amounts, tuple(w for w in of if len(w) >= 2))


def without_values(text: str) -> str:
    """English text less the qualifier values it names ('level 3', 'high risk'): their Chinese words
    come from search_terms, and the dictionary would read 'level' as 程度 and 'high' as 高速."""
    for group in _groups():
        for forms in group.en:
            for form in forms:
                text = _english(form).sub(" ", text)
    return text


def search_terms(question: str) -> list[str]:
    """The Chinese word of each value an English question names ('level-2' -> 二级): a search word.
    One word per value: its other forms are the same value, not more of the question."""
    by_name = {g.name: g for g in _groups()}
    return [by_name[name].zh[v][0] for name, values in asked(question).values for v in sorted(values)]


def named_forms(question: str) -> list[frozenset[str]]:
    """The Chinese forms of each qualifier value a question names ('high risk' -> 三级, 高风险): one
    value however the documents write it."""
    by_name = {g.name: g for g in _groups()}
    return [frozenset(by_name[name].zh[v]) for name, values in asked(question).values for v in sorted(values)]


def fits(text: str, wanted: Wanted) -> bool:
    """The text states a threshold range that holds the question's amount ('500万元（含）以上' for
    6 million RMB): the rule for exactly that case."""
    ranges = _ranges(text) if wanted.amounts else []
    return any(
        d == dim and lo <= v <= hi and wanted.about(dim, text)
        for d, lo, hi in ranges
        for dim, v in wanted.amounts
    )


def names_wanted(text: str, wanted: Wanted) -> bool:
    """The text states its rule for a qualifier value the question names ('三级应用的日志…' for a
    high-risk question): one of the extra rules that level carries."""
    by_name = {g.name: g for g in _groups()}
    return any(_zh_values(by_name[name], text) & values for name, values in wanted.values)


GENERAL_CLAUSE = 12  # characters: a shorter clause (an article's number, a heading) binds nothing
_CLAUSES = re.compile(r"[。；;]")


def mismatched(text: str, wanted: Wanted) -> bool:
    """The text states its rule only for values of a group other than the ones the question names,
    or only for amounts the question's amount is outside of."""
    if not wanted:
        return False
    by_name = {g.name: g for g in _groups()}
    for name, values in wanted.values:
        named = _zh_values(by_name[name], text)
        # '日志应当保存不少于180日；三级应用的日志应当保存不少于3年。' binds every level in its first clause
        general = any(
            len(c.strip()) >= GENERAL_CLAUSE and not _zh_values(by_name[name], c)
            for c in _CLAUSES.split(text)
        )
        if named and not named & values and not general:
            return True
    if wanted.amounts:
        ranges = _ranges(text)
        for dim in {d for d, _ in wanted.amounts if wanted.about(d, text)}:
            mine = [(lo, hi) for d, lo, hi in ranges if d == dim]
            amounts = [v for d, v in wanted.amounts if d == dim]
            if mine and not any(lo <= v <= hi for lo, hi in mine for v in amounts):
                return True
    return False
