"""Chinese tokenization: a :class:`Tokenizer` object over jieba (or its Rust port, rjieba).

Each Tokenizer owns its dictionary: a user dictionary loaded into one instance never leaks
into another, nor into jieba's global tokenizer. The default dictionary is loaded once per
process and shared; jieba's cache lives in the user's private cache directory, not in /tmp.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textkit.checks import text_arg
from textkit.errors import ConfigError, ResourceError
from textkit.io.resources import read_resource_text

MODES = ("accurate", "search", "all")
BACKENDS = ("jieba", "fast")

# jieba's user-dictionary line: word, then an optional frequency, then an optional POS tag.
_USER_DICT_LINE = re.compile(r"^(.+?)(?:\s+(\d+))?(?:\s+([A-Za-z]+))?$")

_lock = threading.RLock()
_jieba_base: Any = None  # the initialised default jieba.Tokenizer, shared read-only
_pos_base: dict[str, str] | None = None  # jieba's word -> POS tag table


@dataclass(frozen=True, slots=True)
class UserWord:
    word: str
    freq: int | None
    tag: str | None


def read_user_dict(path: str | Path) -> list[UserWord]:
    """Parse a jieba user dictionary (``word [freq] [tag]`` per line, UTF-8); tab-separated
    lines (``textkit newwords -f tsv``: word, count, scores) give their first two fields."""
    text = read_resource_text(path, "user dictionary")
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if first.startswith("{") or first.lower().startswith("word,"):
        raise ResourceError(
            f"{path}: JSON lines or CSV, not a user dictionary ('word [freq] [tag]' lines)",
            hint="`textkit newwords -o words.txt` writes one",
        )
    words = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if "\t" in line:  # a table of words: its first column, and a count after it
            fields = [field.strip() for field in line.split("\t")]
            if lineno == 1 and fields[0].lower() == "word":
                continue  # its header
            count = fields[1] if fields[1].isascii() and fields[1].isdigit() else ""
            line = f"{fields[0]} {count}".strip()
        match = _USER_DICT_LINE.match(line)
        if match is None or not match.group(1).strip():  # pragma: no cover - regex matches all
            raise ResourceError(f"{path}:{lineno}: not a 'word [freq] [tag]' line")
        word, freq, tag = match.groups()
        words.append(UserWord(word.strip(), int(freq) if freq else None, tag))
    return words


@contextlib.contextmanager
def _quiet_jieba() -> Iterator[None]:
    """Silence jieba's "Building prefix dict..." chatter without changing it for good."""
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _base_jieba() -> Any:
    global _jieba_base
    with _lock:
        if _jieba_base is None:
            import jieba

            from textkit.io.cache import cache_dir

            base = jieba.Tokenizer()
            base.tmp_dir = str(cache_dir())
            with _quiet_jieba():
                base.initialize()
            _jieba_base = base
        return _jieba_base


def _base_pos_tags() -> dict[str, str]:
    global _pos_base
    with _lock:
        if _pos_base is None:
            table: dict[str, str] = {}
            # jieba's dict.txt lines are "word freq tag"; read the same file posseg reads.
            with _base_jieba().get_dict_file() as handle:
                for raw in handle:
                    parts = raw.decode("utf-8").split()
                    if len(parts) == 3:
                        table[parts[0]] = parts[2]
            _pos_base = table
        return _pos_base


def _strip_spaces(tokens: Sequence[str]) -> list[str]:
    return [t for t in tokens if not t.isspace() and t]


# jieba cuts full-width letters and digits (ｉＰｈｏｎｅ１５) one by one. The tokenizer
# segments a copy where they are ASCII (one character for one) and returns the words as
# the text writes them.
_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def _ascii_alnum(text: str) -> str | None:
    """``text`` with full-width letters and digits made ASCII, or None when it has none."""
    if _FULL_WIDTH_ALNUM.search(text) is None:
        return None
    return _FULL_WIDTH_ALNUM.sub(lambda m: chr(ord(m.group()) - 0xFEE0), text)


def consecutive_spans(words: Sequence[str]) -> list[tuple[int, int]]:
    """The spans of ``words`` that follow one another (an accurate-mode cut)."""
    spans, start = [], 0
    for word in words:
        spans.append((start, start + len(word)))
        start += len(word)
    return spans


def _found_spans(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of ``words`` given in the order of their starts (a cut_all), each found from
    the previous one's start."""
    spans, floor = [], 0
    for word in words:
        at = text.find(word, floor)
        if at < 0:  # pragma: no cover - engines return pieces of their input
            at = floor
        spans.append((at, at + len(word)))
        floor = at
    return spans


def _search_spans(words: Sequence[str], whole: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of a search-mode cut, from the accurate cut ``whole`` it refines: each word of
    ``whole`` comes after its own sub-words."""
    spans = []
    bounds = consecutive_spans(whole)
    index = 0
    for word in words:
        if index >= len(whole):  # pragma: no cover - engines refine their accurate cut
            spans.append((bounds[-1][1], bounds[-1][1]) if bounds else (0, 0))
            continue
        start = bounds[index][0]
        if word == whole[index]:
            spans.append(bounds[index])
            index += 1
        else:
            at = max(whole[index].find(word), 0)
            spans.append((start + at, start + at + len(word)))
    return spans


class Tokenizer:
    """Segment Chinese (and mixed) text into words.

    ``mode``: ``accurate`` (default), ``search`` (also the sub-words of long words) or ``all``
    (every dictionary word found). ``hmm`` lets jieba guess words missing from its
    dictionary. ``backend``: ``jieba`` (the reference) or ``fast`` (rjieba, a Rust port).
    Whitespace tokens are dropped.
    """

    def __init__(
        self,
        mode: str = "accurate",
        *,
        hmm: bool = True,
        user_dict: str | Path | None = None,
        backend: str = "jieba",
    ) -> None:
        if mode not in MODES:
            raise ConfigError(f"unknown mode {mode!r}; choose from {', '.join(MODES)}")
        if backend not in BACKENDS:
            raise ConfigError(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")
        self.mode = mode
        self.hmm = hmm
        self.backend = backend
        self.user_dict = str(user_dict) if user_dict else None
        self._user_words = read_user_dict(user_dict) if user_dict else []
        self._engine: Any = None
        self._pos_engine: Any = None
        self._dict_engine: Any = None

    def __getstate__(self) -> dict[str, Any]:
        # Sent to worker processes as configuration only; engines are rebuilt there.
        return {**self.__dict__, "_engine": None, "_pos_engine": None, "_dict_engine": None}

    def __repr__(self) -> str:
        return (
            f"Tokenizer(mode={self.mode!r}, hmm={self.hmm}, backend={self.backend!r}, "
            f"user_dict={self.user_dict!r})"
        )

    # Engines are built on first use, so constructing a Tokenizer is free.
    def _jieba(self) -> Any:
        if self._engine is None:
            self._engine = self._build_jieba()
        return self._engine

    def _build_jieba(self) -> Any:
        base = _base_jieba()
        if not self._user_words:
            return base
        import jieba

        engine = jieba.Tokenizer()
        engine.tmp_dir = base.tmp_dir
        engine.FREQ = dict(base.FREQ)  # a private copy: user words must not leak
        engine.total = base.total
        engine.initialized = True
        for uw in self._user_words:
            engine.add_word(uw.word, uw.freq, uw.tag)
        return engine

    def _dictionary(self) -> Any:
        """jieba's engine, whatever the backend: it holds the dictionary's frequencies."""
        if self.backend == "jieba":
            return self._jieba()
        if self._dict_engine is None:
            self._dict_engine = self._build_jieba()
        return self._dict_engine

    def _rjieba(self) -> Any:
        if self._engine is None:
            if not self._user_words:
                from textkit.text.fastcut import default_engine

                # rjieba's words, with its dictionary loaded only as far as short inputs need.
                self._engine = default_engine()
            else:
                import rjieba

                engine = rjieba.Jieba()
                for uw in self._user_words:
                    engine.add_word(uw.word, uw.freq, uw.tag)
                self._engine = engine
        return self._engine

    def cut(self, text: str, *, keep_spaces: bool = False) -> list[str]:
        """Return the words of ``text`` (whitespace tokens dropped unless ``keep_spaces``)."""
        ascii_form = _ascii_alnum(text_arg(text))
        if ascii_form is None:
            words = self._cut(text)
        else:
            words = [text[a:b] for _, a, b in self._cut_spans(ascii_form)]
        return words if keep_spaces else _strip_spaces(words)

    def cut_spans(self, text: str) -> list[tuple[str, int, int]]:
        """Return ``(word, start, end)`` for each word of ``text``, whitespace included."""
        ascii_form = _ascii_alnum(text_arg(text))
        spans = self._cut_spans(text if ascii_form is None else ascii_form)
        return [(text[a:b], a, b) for _, a, b in spans]

    def _cut_spans(self, text: str) -> list[tuple[str, int, int]]:
        words = self._cut(text)
        if self.mode == "search":
            spans = _search_spans(words, self._cut(text, "accurate"))
        elif self.mode == "accurate" and sum(map(len, words)) == len(text):
            spans = consecutive_spans(words)
        else:
            spans = _found_spans(text, words)
        return [(w, a, b) for w, (a, b) in zip(words, spans, strict=True)]

    def _cut(self, text: str, mode: str | None = None) -> list[str]:
        mode = mode or self.mode
        if self.backend == "fast":
            engine = self._rjieba()
            if mode == "all":
                return engine.cut_all(text)
            if mode == "search":
                return engine.cut_for_search(text, self.hmm)
            return engine.cut(text, self.hmm)
        engine = self._jieba()
        if mode == "all":
            return list(engine.cut(text, cut_all=True))
        if mode == "search":
            return list(engine.cut_for_search(text, HMM=self.hmm))
        return list(engine.cut(text, HMM=self.hmm))

    def cut_pos(self, text: str, *, keep_spaces: bool = False) -> list[tuple[str, str]]:
        """Return ``(word, tag)`` pairs with jieba's POS tags (accurate mode only)."""
        if self.mode != "accurate":
            raise ConfigError("POS tags are only available in accurate mode")
        ascii_form = _ascii_alnum(text_arg(text))
        source = text if ascii_form is None else ascii_form
        if self.backend == "fast":
            pairs = self._rjieba().tag(source, self.hmm)
        else:
            pairs = [(p.word, p.flag) for p in self._posseg().cut(source, HMM=self.hmm)]
        if ascii_form is not None:
            spans = consecutive_spans([w for w, _ in pairs])
            pairs = [(text[a:b], tag) for (a, b), (_, tag) in zip(spans, pairs, strict=True)]
        if keep_spaces:
            return list(pairs)
        return [(w, t) for w, t in pairs if w and not w.isspace()]

    def knows(self, word: str) -> bool:
        """Whether ``word`` is in the dictionary (jieba's, plus the user dictionary)."""
        return self._dictionary().FREQ.get(word, 0) > 0

    def suggest_freq(self, word: str) -> int:
        """The frequency a user-dictionary entry needs for the dictionary alone to keep
        ``word`` whole (jieba's ``suggest_freq``)."""
        return int(self._dictionary().suggest_freq(word, tune=False))

    def _posseg(self) -> Any:
        if self._pos_engine is None:
            import jieba.posseg

            engine = object.__new__(jieba.posseg.POSTokenizer)
            engine.tokenizer = self._jieba()
            engine.word_tag_tab = dict(_base_pos_tags())
            for uw in self._user_words:
                if uw.tag:
                    engine.word_tag_tab[uw.word] = uw.tag
            self._pos_engine = engine
        return self._pos_engine


# jieba (and rjieba) segment each run of these characters on its own: cutting a text
# anywhere else gives the same tokens as tokenizing it whole.
_JIEBA_BLOCK_CHAR = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]")
BLOCK_CHARS = 1 << 20


def split_blocks(text: str, size: int = BLOCK_CHARS) -> Iterator[tuple[str, bool]]:
    """Cut ``text`` into pieces of about ``size`` characters, each with a flag for the last.

    Cuts fall on a character jieba splits on anyway (punctuation, spaces), found looking
    back from the limit; only a run of more than ``size`` characters without one (no
    punctuation in a megabyte) is cut at the limit, where a word may be split.
    """
    start, end = 0, len(text)
    while end - start > size:
        cut = start + size
        while cut > start and _JIEBA_BLOCK_CHAR.match(text, cut - 1):
            cut -= 1
        if cut == start:
            cut = start + size
        yield text[start:cut], False
        start = cut
    yield text[start:], True


def cut_texts(tokenizer: Tokenizer, texts: list[str], pos: bool = False) -> list[list[Any]]:
    """Tokenize many texts (a worker-pool task): words, or (word, tag) pairs with ``pos``.

    In a worker process the tokenizer's engine is built once and reused for every chunk.
    """
    from textkit.io.parallel import worker_cache

    warm = worker_cache(("tokenizer", repr(tokenizer)), lambda: tokenizer)
    if pos:
        return [warm.cut_pos(text) for text in texts]
    return [warm.cut(text) for text in texts]
