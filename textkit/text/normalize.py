"""Normalising Chinese text for analysis, with every character traced to the original.

:func:`normalize` folds compatibility forms (full-width letters, digits and symbols to
ASCII, CJK compatibility ideographs and Kangxi radicals to the usual ideographs) and
converts traditional characters to simplified ones (OpenCC's dictionaries, with the Taiwan
and Hong Kong variant forms). Each character of the result comes from one character of the
input, so a span found in the normalised text (a token, a keyword, a sentence) maps back to
how the user wrote it: :meth:`NormalizedText.original_span`, :func:`normalized_results`.

:func:`looks_traditional` tells whether a text is mostly traditional Chinese, cheaply
enough to run on every document.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from textkit.checks import text_arg
from textkit.errors import ConfigError, ResourceError
from textkit.text.tokenizer import consecutive_spans

OUTPUT_SCRIPTS = ("original", "simplified")

# Chinese text is punctuated with the full-width forms of these; they stay as they are,
# since sentence splitters (and readers of the output) expect them.
KEPT_FULL_WIDTH = "！，：；？"
# Compatibility decompositions that change only the look of a character, not its meaning
# (unlike <circle> ① -> 1, <super> m² -> m2 or <fraction> ½ -> 1⁄2, which are left alone).
_SAFE_TAGS = ("<wide>", "<narrow>", "<font>", "<noBreak>", "<vertical>", "<small>")
_FOLD_RANGES = (
    (0x00A0, 0x00A1),  # no-break space
    (0x2E80, 0x2FE0),  # CJK radicals supplement, Kangxi radicals
    (0x3000, 0x3001),  # ideographic space
    (0xF900, 0xFB00),  # CJK compatibility ideographs
    (0xFE10, 0xFE20),  # vertical forms
    (0xFE30, 0xFE70),  # CJK compatibility forms, small forms
    (0xFF01, 0xFFEF),  # half-width and full-width forms
    (0x1D400, 0x1D800),  # mathematical alphanumeric symbols
    (0x2F800, 0x2FA20),  # CJK compatibility ideographs supplement
)
_RADICALS = range(0x2E80, 0x2FE0)

# OpenCC's traditional -> simplified chains. Text that looks traditional is read with the
# Taiwan and Hong Kong variant forms too (OpenCC's own t2s/tw2s/hk2s each read one
# standard); other text only has its traditional characters converted, since the variant
# step would also turn simplified words (显著) into others (显着). TSCharactersExt is left
# out: it turns some rare characters into forms few fonts (and no jieba dictionary) have.
_TO_SIMPLIFIED = ["TSPhrases.ocd2", "TSCharacters.ocd2"]
_OPENCC_CHAINS = {
    "traditional": [
        ["TWVariantsRevPhrases.ocd2", "HKVariantsRevPhrases.ocd2", "TWVariantsRev.ocd2"]
        + ["HKVariantsRev.ocd2"],
        _TO_SIMPLIFIED,
    ],
    "mixed": [_TO_SIMPLIFIED],
}
_SCRIPT_DATA = Path(__file__).resolve().parent.parent / "data" / "script_chars.txt"
_STANDARD_DATA = Path(__file__).resolve().parent.parent / "data" / "standard_forms.txt"
# How far around a repair the segmenter looks to judge it.
REPAIR_CONTEXT = 4
# How much of a document decides whether it is traditional.
DETECT_CHARS = 4096

_lock = threading.Lock()
_converters: dict[str, Any] = {}

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A text, its normalised form, and where each normalised character comes from.

    ``text[i]`` was made from ``original[starts[i]:ends[i]]``: one character, or the whole
    phrase when a conversion changed a phrase's length. ``starts`` and ``ends`` are None
    when ``text[i]`` comes from ``original[i]`` (the usual case).
    """

    original: str
    text: str
    starts: Sequence[int] | None = None
    ends: Sequence[int] | None = None

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``original`` that ``text[start:end]`` was made from."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            at = self.starts[start] if start < len(self.starts) else len(self.original)
            return at, at
        return self.starts[start], self.ends[end - 1]

    def original_span(self, start: int, end: int) -> str:
        """How the user wrote ``text[start:end]``."""
        begin, stop = self.span(start, end)
        return self.original[begin:stop]

    def respell(self, fragment: str, start: int = 0) -> str:
        """How the user wrote ``fragment``, a piece of the normalised text (its first
        occurrence from ``start``); ``fragment`` itself when the text does not hold it."""
        at = self.text.find(fragment, start)
        if at < 0:
            return fragment
        return self.original_span(at, at + len(fragment))


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    table = {}
    for low, high in _FOLD_RANGES:
        for code in range(low, high):
            char = chr(code)
            folded = unicodedata.normalize("NFKC", char)
            if folded == char or len(folded) != 1 or char in KEPT_FULL_WIDTH:
                continue
            tag = unicodedata.decomposition(char).split(" ", 1)[0]
            canonical = not tag.startswith("<")  # a CJK compatibility ideograph
            if canonical or tag in _SAFE_TAGS or code in _RADICALS:
                table[code] = folded
    return table


@lru_cache(maxsize=1)
def _fold_pattern() -> re.Pattern[str]:
    # A class of BMP characters is a quick bitmap lookup; supplementary characters are
    # matched by ranges (a long list of them is scanned one by one for every character).
    bmp = "".join(chr(k) for k in sorted(_fold_table()) if k < 0x10000)
    wide = "".join(f"{chr(low)}-{chr(high - 1)}" for low, high in _FOLD_RANGES if low >= 0x10000)
    return re.compile(f"[{bmp}]|[{wide}]")


def fold_forms(text: str) -> str:
    """Full-width ASCII to ASCII (but for the clause punctuation ``！，：；？``), and other
    compatibility forms that only change a character's look to the usual character. One
    character in, one out."""
    if _fold_pattern().search(text) is None:  # most text: one quick scan
        return text
    return text.translate(_fold_table())


def _opencc_config(share: Path, chain: list[list[str]]) -> dict[str, Any]:
    def group(files: list[str]) -> dict[str, Any]:
        dicts = [{"type": "ocd2", "file": str(share / name)} for name in files]
        return {"dict": {"type": "group", "match_policy": "short_circuit", "dicts": dicts}}

    return {
        "name": "Traditional Chinese (OpenCC, Taiwan or Hong Kong forms) to Simplified",
        "normalization": [
            {"dict": {"type": "ocd2", "file": str(share / "CJK_Compatibility_Ideographs.ocd2")}}
        ],
        "segmentation": {
            "type": "mmseg",
            "dict": {"type": "ocd2", "file": str(share / "TSPhrases.ocd2")},
        },
        "conversion_chain": [group(files) for files in chain],
    }


def _opencc(kind: str = "traditional") -> Any:
    """The converter for text that looks ``traditional``, or for ``mixed`` text (each
    loaded once per process, ~0.2 s)."""
    with _lock:
        if kind not in _converters:
            try:
                import opencc
            except ImportError:  # pragma: no cover - a dependency
                raise ResourceError("OpenCC is not installed", hint="pip install opencc") from None
            share = Path(opencc.__file__).resolve().parent / "clib" / "share" / "opencc"
            if not (share / "TSCharacters.ocd2").is_file():
                raise ResourceError(f"OpenCC's dictionaries are not in {share}")
            import json
            import tempfile

            # OpenCC reads a configuration only from a file; it is not needed once loaded.
            with tempfile.TemporaryDirectory(prefix="textkit-opencc-") as tmp:
                path = Path(tmp) / "t2s.json"
                config = _opencc_config(share, _OPENCC_CHAINS[kind])
                path.write_text(json.dumps(config), encoding="utf-8")
                _converters[kind] = opencc.OpenCC(str(path))
        return _converters[kind]


# OpenCC converts phrase by phrase; a phrase is never longer than a run between these.
_RUN_END = re.compile(r"[\s\u3000-\u303f\uff01-\uff0f\uff1a-\uff20!-/:-@\[-`{-~]")


Origins = tuple[array, array] | None  # (starts, ends) of NormalizedText


def _convert_aligned(text: str, kind: str) -> tuple[str, Origins]:
    """``text`` converted to simplified characters, and where each character comes from
    (None when the i-th comes from the i-th, as for almost every text)."""
    convert = _opencc(kind).convert
    converted = convert(text)
    if len(converted) == len(text):
        return converted, None
    # A phrase changed length: convert run by run; align the runs that change.
    pieces: list[str] = []
    starts, ends = array("l"), array("l")
    start = 0
    for end in [m.end() for m in _RUN_END.finditer(text)] + [len(text)]:
        run = text[start:end]
        out = convert(run) if run else ""
        pieces.append(out)
        if len(out) == len(run):
            starts.extend(range(start, end))
            ends.extend(range(start + 1, end + 1))
        else:
            _align(run, out, start, starts, ends)
        start = end
    return "".join(pieces), (starts, ends)


def _align(run: str, out: str, offset: int, starts: array, ends: array) -> None:
    """Where each character of ``out`` (the conversion of ``run``) comes from: characters
    left as they were map to themselves; a replaced phrase's characters share it out."""
    from difflib import SequenceMatcher

    for op, i1, i2, j1, j2 in SequenceMatcher(None, run, out, autojunk=False).get_opcodes():
        if op == "equal":
            starts.extend(range(offset + i1, offset + i2))
            ends.extend(range(offset + i1 + 1, offset + i2 + 1))
            continue
        size, made = i2 - i1, j2 - j1
        for k in range(made):
            starts.append(offset + i1 + k * size // made)
            ends.append(offset + i1 + -(-(k + 1) * size // made))


def to_simplified(text: str) -> str:
    """``text`` with traditional characters converted to simplified ones (OpenCC)."""
    return normalize(text).text


def normalize(text: str, traditional: bool | None = None) -> NormalizedText:
    """Fold compatibility forms (:func:`fold_forms`) and convert traditional characters to
    simplified ones, keeping where each character comes from.

    ``traditional``: whether ``text`` is traditional Chinese (its Taiwan and Hong Kong
    variant forms are then read too); None asks :func:`looks_traditional`.
    """
    folded = fold_forms(text_arg(text))
    if traditional is None:
        traditional = looks_traditional(folded)
    converted, origins = _convert_aligned(folded, "traditional" if traditional else "mixed")
    if traditional:
        converted = _repair(converted)
    if origins is None:
        return NormalizedText(text, converted)
    return NormalizedText(text, converted, *origins)


def _repair(converted: str) -> str:
    """Mend the two things OpenCC gets wrong for simplified Chinese, keeping the length:

    - a word it spells in a form mainland text does not use (座標 -> 座标 for 坐标, 論著 ->
      论着): the word's usual simplified form (:func:`standard_forms_table`);
    - a character it keeps traditional because a rare phrase matched across two words
      (對於單組 read as 對 於單 組, the name 於單): its usual simplified character.

    Either is taken only where the segmenter then reads a dictionary word through it, so
    乾隆 keeps its 乾 (干隆 is no word) and 讨论着 is left alone (讨论 著 has no 论著).
    """
    candidates: list[tuple[int, int, str]] = []
    fixes, pattern = _standard_forms()
    for match in pattern.finditer(converted):
        candidates.append((match.start(), match.end(), fixes[match.group()]))
    traditional, _ = _patterns or _script_patterns()
    for match in traditional.finditer(converted):
        usual = _opencc("mixed").convert(match.group())
        if len(usual) == 1 and usual != match.group():
            candidates.append((match.start(), match.end(), usual))
    if not candidates:
        return converted
    chars = list(converted)
    for start, end, form in sorted(candidates):
        if _reads_as_word(chars, start, end, form):
            chars[start:end] = form
    return "".join(chars)


def _reads_as_word(chars: list[str], start: int, end: int, form: str) -> bool:
    """Whether ``form`` in place of ``chars[start:end]`` is read within one dictionary word
    of two or more characters."""
    low = max(0, start - REPAIR_CONTEXT)
    context = "".join(chars[low:start]) + form + "".join(chars[end : end + REPAIR_CONTEXT])
    begin, stop = start - low, start - low + len(form)
    return any(
        a <= begin and stop <= b and b - a >= 2
        for _, a, b in _dictionary_segmenter().cut_spans(context)
    )


@lru_cache(maxsize=1)
def _dictionary_segmenter() -> Any:
    from textkit.text.tokenizer import Tokenizer

    # Dictionary words only: the HMM would glue any two characters into a "word".
    return Tokenizer(hmm=False, backend="fast")


@lru_cache(maxsize=1)
def _standard_forms() -> tuple[dict[str, str], re.Pattern[str]]:
    """The shipped :func:`standard_forms_table`, and a pattern finding its words."""
    try:
        lines = _STANDARD_DATA.read_text(encoding="utf-8").splitlines()
    except OSError as exc:  # pragma: no cover - shipped with the package
        raise ResourceError(f"{_STANDARD_DATA}: cannot read: {exc.strerror}") from None
    fixes = dict(line.split("\t") for line in lines if "\t" in line)
    words = sorted(fixes, key=len, reverse=True)  # the longest word at a place wins
    return fixes, re.compile("|".join(map(re.escape, words)))


def standard_forms_table(min_freq: int = 10) -> dict[str, str]:
    """Derive the word repairs of :func:`normalize` from jieba's dictionary and OpenCC.

    Every dictionary word goes to traditional script (OpenCC's s2t, s2tw and s2hk) and back
    through this converter. A word that comes back as another word of the same length is
    repaired to the original when the original is the usual form (at least ``min_freq`` in
    the dictionary and twice as frequent as what came back) and is simplified itself.
    (textkit ships the result in data/standard_forms.txt.)
    """
    import opencc

    from textkit.text.tokenizer import Tokenizer

    freq: dict[str, int] = Tokenizer()._dictionary().FREQ
    words = [w for w, f in freq.items() if len(w) >= 2 and f >= min_freq]
    simplified = _opencc("mixed").convert
    table: dict[str, str] = {}
    for source in ("s2t", "s2tw", "s2hk"):
        # One conversion of all words, a line each: OpenCC's phrases never span a newline.
        there = opencc.OpenCC(source).convert("\n".join(words))
        back, _ = _convert_aligned(fold_forms(there), "traditional")
        for word, came_back in zip(words, back.split("\n"), strict=True):
            if came_back == word or len(came_back) != len(word):
                continue
            if freq[word] >= 2 * max(freq.get(came_back, 0), 1) and simplified(word) == word:
                table[came_back] = word
    return dict(sorted(table.items()))


_patterns: tuple[re.Pattern[str], re.Pattern[str]] | None = None


def _script_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Characters written only in traditional text, and only in simplified text."""
    global _patterns
    if _patterns is None:
        try:
            lines = _SCRIPT_DATA.read_text(encoding="utf-8").splitlines()
        except OSError as exc:  # pragma: no cover - shipped with the package
            raise ResourceError(f"{_SCRIPT_DATA}: cannot read: {exc.strerror}") from None
        fields = dict(line.split("\t", 1) for line in lines if "\t" in line)
        _patterns = (
            re.compile(f"[{fields['traditional']}]"),
            re.compile(f"[{fields['simplified']}]"),
        )
    return _patterns


def script_counts(text: str) -> tuple[int, int]:
    """How many characters of ``text`` (of its first DETECT_CHARS) exist only in traditional
    writing, and how many only in simplified writing."""
    traditional, simplified = _patterns or _script_patterns()
    if traditional.search(text, 0, DETECT_CHARS) is None:  # most simplified text stops here
        return 0, 0
    sample = text[:DETECT_CHARS]
    return len(traditional.findall(sample)), len(simplified.findall(sample))


def looks_traditional(text: str) -> bool:
    """Whether ``text`` is mostly traditional Chinese: it has more characters found only in
    traditional writing than characters found only in simplified writing."""
    traditional, simplified = _patterns or _script_patterns()
    if traditional.search(text, 0, DETECT_CHARS) is None:
        return False
    sample = text[:DETECT_CHARS]
    return len(traditional.findall(sample)) > len(simplified.findall(sample))


def script_tables() -> tuple[str, str]:
    """Derive the characters of :func:`script_counts` from OpenCC: those this converter
    changes (traditional), and those OpenCC's s2t changes (simplified), minus the ones in
    both. (textkit ships them in data/script_chars.txt, so that detecting needs no OpenCC.)"""
    import opencc

    to_traditional = opencc.OpenCC("s2t").convert
    convert = _opencc("traditional").convert
    # BMP blocks only: a regular expression class of BMP characters is a quick bitmap.
    blocks = [(0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)]
    chars = [chr(code) for low, high in blocks for code in range(low, high)]
    traditional = {c for c in chars if convert(c) != c}
    simplified = {c for c in chars if to_traditional(c) != c}
    return (
        "".join(sorted(traditional - simplified)),
        "".join(sorted(simplified - traditional)),
    )


def check_output_script(script: str) -> str:
    if script not in OUTPUT_SCRIPTS:
        raise ConfigError(
            f"unknown output script {script!r}; choose from {', '.join(OUTPUT_SCRIPTS)}"
        )
    return script


def prepare(text: str, normalize_mode: bool | None = None) -> NormalizedText | None:
    """The normalised form of ``text``, or None when it is analysed as it is.

    ``normalize_mode``: True normalises every text, False none, None (automatic) those
    that :func:`looks_traditional`.
    """
    if normalize_mode is False:
        return None
    traditional = looks_traditional(text)
    if normalize_mode is None and not traditional:
        return None
    return normalize(text, traditional)


class Preparing:
    """What an analyser that normalises its texts (keywords, summaries) shares: its
    ``normalize`` mode (see :func:`prepare`) and a count of the texts it ``converted``
    because they looked traditional."""

    normalize: bool | None
    converted: int

    def _prepare(self, text: str) -> NormalizedText | None:
        """The normalised form of ``text``, or None; counts an automatic conversion."""
        prepared = prepare(text, self.normalize)
        if prepared is not None and self.normalize is None:
            self.converted += 1
        return prepared


def _spelling(result: Any) -> str:
    return result if isinstance(result, str) else result[0]


def _respelled(result: Any, spelling: str) -> Any:
    if isinstance(result, str):
        return spelling
    return type(result)((spelling, *result[1:]))


def normalized_results(
    extract: Callable[[str], Sequence[T]],
    text: str,
    *,
    normalize_mode: bool | None = None,
    output_script: str = "original",
    spelling: Callable[[T], str] = _spelling,
    respelled: Callable[[T, str], T] = _respelled,
) -> tuple[list[T], bool]:
    """Run ``extract`` (keywords, key sentences, ...) on the normalised ``text`` and give each
    result the spelling it has in ``text``.

    A result is a string, or a tuple whose first item is the string (``(keyword, weight)``);
    ``spelling``/``respelled`` read and replace the string of other kinds of results. A
    result string that is not a piece of the normalised text is kept as it is. With
    ``output_script="simplified"`` the results stay as ``extract`` gave them.
    ``normalize_mode``: see :func:`prepare`. Returns the results and whether ``text`` was
    normalised.
    """
    check_output_script(output_script)
    prepared = prepare(text_arg(text), normalize_mode)
    if prepared is None:
        return list(extract(text)), False
    results = list(extract(prepared.text))
    if output_script == "simplified" or not prepared.changed:
        return results, True
    return [respelled(r, prepared.respell(spelling(r))) for r in results], True


def cut_normalized(
    tokenizer: Any, prepared: NormalizedText, *, pos: bool = False, output_script: str = "original"
) -> list[Any]:
    """The words of ``prepared.text`` (as ``tokenizer.cut``, or ``cut_pos`` with ``pos``),
    spelled as in ``prepared.original`` unless ``output_script`` is ``simplified``."""
    keep = check_output_script(output_script) == "simplified"
    if pos:
        pairs = tokenizer.cut_pos(prepared.text, keep_spaces=True)
        if not keep:
            spans = consecutive_spans([w for w, _ in pairs])
            pairs = [
                (prepared.original_span(a, b), t)
                for (a, b), (_, t) in zip(spans, pairs, strict=True)
            ]
        return [(w, t) for w, t in pairs if w and not w.isspace()]
    spans = tokenizer.cut_spans(prepared.text)
    words = [w if keep else prepared.original_span(a, b) for w, a, b in spans]
    return [w for w in words if w and not w.isspace()]


def cut_texts_normalized(
    tokenizer: Any, texts: list[str], pos: bool = False, output_script: str = "original"
) -> list[list[Any]]:
    """:func:`textkit.text.tokenizer.cut_texts` for texts to normalise first (a worker-pool
    task): each text's words, spelled as ``output_script`` says."""
    from textkit.io.parallel import worker_cache

    warm = worker_cache(("tokenizer", repr(tokenizer)), lambda: tokenizer)
    return [
        cut_normalized(warm, normalize(text), pos=pos, output_script=output_script)
        for text in texts
    ]
