"""Turning an input's bytes into text: which encoding, and what to do with bad bytes.

``auto`` decodes by byte-order mark, else UTF-8, else GB18030. A file that is UTF-8 but for
a few invalid bytes (a last character cut in half, a stray byte) is read with those bytes
replaced by U+FFFD and one notice naming the file and the count; with ``errors="strict"``
it is refused instead. A file that fits no encoding is refused with a hint naming the
encodings that would decode it, if any.
"""

from __future__ import annotations

import codecs
import contextlib
import threading
import unicodedata
from collections.abc import Callable

from textkit.errors import (
    BinaryInputError,
    ConfigError,
    DecodeError,
    InputError,
    MixedEncodings,
    ReplacedBytes,
)

AUTO = "auto"
ERROR_MODES = ("replace", "strict")

# Checked longest first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# In these encodings a NUL byte is ordinary; elsewhere it marks binary data.
_WIDE_CODECS = ("utf_16", "utf_32")
# Encodings a hint may suggest when neither UTF-8 nor GB18030 fits: the ones a Chinese
# (or East Asian) text file is likely to be in. Single-byte codecs decode anything, so a
# clean decode would prove nothing about them.
_SUGGESTED = ("big5", "big5hkscs", "shift_jis", "euc_jp", "euc_kr")
# A decode with replacements is accepted while the bad sequences are one, or at most this
# share of the bytes (a cut last character, a stray byte); beyond that the text is most
# likely in another encoding.
FEW_BAD_SHARE = 2e-3

Notice = Callable[[InputError], None]


def check_encoding(encoding: str) -> str:
    """Return ``encoding`` if it is ``auto`` or a text codec Python knows; raise LookupError
    otherwise (also for bytes-to-bytes codecs such as base64 or rot13)."""
    if encoding != AUTO and not codecs.lookup(encoding)._is_text_encoding:
        raise LookupError(f"{encoding} is not a text encoding")
    return encoding


def library_encoding(encoding: str, errors: str = "replace") -> str:
    """check_encoding for library callers: a typed error instead of a LookupError."""
    if errors not in ERROR_MODES:
        raise ConfigError(f"encoding errors must be one of {', '.join(ERROR_MODES)}")
    try:
        return check_encoding(encoding)
    except LookupError as exc:
        raise ConfigError(f"{exc}; pass a text encoding such as gb18030, or 'auto'") from None


# Binary files a user may take for text, by their first bytes: what each is and what to do.
_DOCUMENTS: tuple[tuple[bytes, str, str], ...] = (
    (
        b"PK\x03\x04",
        "a ZIP archive (Excel .xlsx, Word .docx?)",
        "save it as CSV UTF-8 or text first",
    ),
    (
        b"\xd0\xcf\x11\xe0",
        "an Office document (Excel .xls, Word .doc?)",
        "save it as CSV UTF-8 first",
    ),
    (b"%PDF", "a PDF document", "extract its text first (pdftotext FILE)"),
    (b"\x1f\x8b", "gzip-compressed", "decompress it first: zcat FILE | textkit ... -"),
)


def binary_error(source: str, head: bytes = b"") -> BinaryInputError:
    for magic, what, fix in _DOCUMENTS:
        if head.startswith(magic):
            return BinaryInputError(source, f"{what}, not text, skipped", hint=fix)
    # NUL bytes are also what UTF-16/32 text without a byte-order mark looks like.
    return BinaryInputError(
        source,
        "binary file (contains NUL bytes), skipped",
        hint="if it is UTF-16 or UTF-32 text without a byte-order mark, "
        "pass --encoding utf-16-le, utf-16-be or the like",
    )


def is_wide(codec: str) -> bool:
    return codecs.lookup(codec).name.replace("-", "_").startswith(_WIDE_CODECS)


def bom_codec(head: bytes) -> str | None:
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    return None


_seen = threading.local()  # offsets of the bad sequences of the decode under way


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    _seen.offsets.append(exc.start)  # type: ignore[attr-defined]
    return "\ufffd", exc.end  # type: ignore[attr-defined]


codecs.register_error("textkit-count", _count_and_replace)


def _bad_sequences(data: bytes, codec: str) -> tuple[str, int, int]:
    """``data`` decoded with bad sequences replaced, how many there were, and the offset
    of the first (-1 when none)."""
    _seen.offsets = []
    text = data.decode(codec, errors="textkit-count")
    found = _seen.offsets
    return text, len(found), found[0] if found else -1


def _few(bad: int, size: int) -> bool:
    return bad <= max(1.0, FEW_BAD_SHARE * size)


def _plausible(data: bytes) -> list[str]:
    """Encodings among the usual East Asian ones that decode ``data`` cleanly."""
    fits = []
    for codec in _SUGGESTED:
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        fits.append(codec)
    return fits


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _undecodable(source: str, data: bytes, first: int, what: str) -> DecodeError:
    fits = _plausible(data)
    hint = (
        f"it decodes as {' or '.join(fits)}: pass --encoding {fits[0]}"
        if fits
        else "it may not be a text file; if it is, pass its --encoding"
    )
    where = f"line {_line_of(data, first)}, byte {first}"
    return DecodeError(source, f"{what} ({where})", hint=hint)


def decode_bytes(
    data: bytes,
    source: str,
    encoding: str = AUTO,
    errors: str = "replace",
    on_notice: Notice | None = None,
) -> str:
    """Decode a whole input; raise BinaryInputError or DecodeError naming ``source``.

    With ``errors="replace"`` a few bad bytes become U+FFFD and ``on_notice`` hears of it
    (a :class:`ReplacedBytes`, not a failure); with ``"strict"`` they are refused."""
    codec = bom_codec(data) if encoding == AUTO else encoding
    if codec is None:  # auto, no byte-order mark
        if b"\0" in data:
            raise binary_error(source, data)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if _cut_at_the_end(exc, data):  # UTF-8 cut in its last character
                text = data[: exc.start].decode("utf-8") + "\ufffd"
                return _replaced(text, source, data, "utf-8", 1, exc.start, errors, on_notice)
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            return _big5_instead(data, text)
        mixed = _mixed_lines(data)
        if mixed is not None:
            text, first_gb = mixed
            if on_notice is not None:
                on_notice(
                    MixedEncodings(
                        source,
                        f"{_MIXED} (the first GBK one: line {first_gb})",
                    )
                )
            return text
        # Neither fits cleanly. Long UTF-8 text never decodes as GB18030 (its newlines
        # break the byte pairs), so a few bad bytes mean UTF-8 with a flaw, not GB18030.
        text, bad, first = _bad_sequences(data, "utf-8")
        if not _few(bad, len(data)):
            raise _undecodable(source, data, first, "neither UTF-8 nor GB18030")
        return _replaced(text, source, data, "utf-8", bad, first, errors, on_notice)
    if b"\0" in data and not is_wide(codec):
        raise binary_error(source, data)
    try:
        return data.decode(codec).removeprefix("\ufeff")
    except UnicodeDecodeError:
        pass
    text, bad, first = _bad_sequences(data, codec)
    if not _few(bad, len(data)):
        raise _undecodable(source, data, first, f"cannot decode as {codec}")
    return _replaced(text, source, data, codec, bad, first, errors, on_notice).removeprefix(
        "\ufeff"
    )


_MIXED = "lines in UTF-8 and in GB18030/GBK: each line read in its own encoding"


def _mixed_lines(data: bytes) -> tuple[str, int] | None:
    """The text of a file whose every line is UTF-8 or reads as GB18030 Chinese (files of
    both encodings put together), with the number of its first GB18030 line; None when a
    line is neither (or none is GB18030). A UTF-8 line with a flaw is not taken for
    GB18030: read so, its Han characters are mostly outside GB2312."""
    parts: list[str] = []
    first_gb = 0
    for lineno, raw in enumerate(data.splitlines(keepends=True), 1):
        try:
            parts.append(raw.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            return None
        if not _reads_as_gbk(text):
            return None
        parts.append(text)
        first_gb = first_gb or lineno
    return ("".join(parts), first_gb) if first_gb else None


def _reads_as_gbk(text: str) -> bool:
    """Whether a line decoded as GB18030 is Chinese: its letters mostly GB2312 characters."""
    letters = _letters(text)
    return bool(letters) and sum(map(_in_gb2312, letters)) >= 0.8 * len(letters)


def _letters(text: str) -> list[str]:
    """The non-ASCII letters of ``text`` (private-use characters too: mis-decoded bytes)."""
    return [ch for ch in text if ord(ch) > 127 and unicodedata.category(ch) in ("Lo", "Co")]


def _cut_at_the_end(exc: UnicodeDecodeError, data: bytes) -> bool:
    """Whether UTF-8 decoding failed only because the data ends inside a character (a
    file cut short) after UTF-8 text with a character of three bytes or more, as Chinese
    has (two GB18030 bytes can look like the start of a UTF-8 character, and a GB18030
    pair like a two-byte one: 一 = D2 BB = Cyrillic һ)."""
    return (
        exc.reason == "unexpected end of data"
        and exc.end == len(data)
        and len(data) - exc.start < 4
        and max(data[: exc.start].decode("utf-8"), default="\0") >= "\u0800"
    )


def _replaced(
    text: str,
    source: str,
    data: bytes,
    codec: str,
    bad: int,
    first: int,
    errors: str,
    on_notice: Notice | None,
) -> str:
    line = _line_of(data, first)
    if errors == "strict":
        raise DecodeError(
            source,
            f"{bad} invalid byte sequence(s) for {codec}, the first on line {line}",
            hint="pass --encoding-errors replace to read it with them replaced",
        )
    if on_notice is not None:
        on_notice(
            ReplacedBytes(
                source,
                f"{bad} invalid byte sequence(s) for {codec} replaced with U+FFFD "
                f"(the first on line {line})",
            )
        )
    return text


# Letters needed to tell Big5 from GB18030: a few suffice, as Big5 read as GB18030 gives
# mostly letters outside GB2312's Han characters (kana, rare Han).
MIN_LETTERS_TO_TELL = 2
MIN_HAN_ONLY = 6  # ... or this many, when the GB18030 reading shows only Han characters


def _big5_instead(data: bytes, gb_text: str) -> str:
    """``gb_text``, or the Big5 reading of ``data`` when that is what the bytes are.

    Nearly every Big5 byte pair is also a valid GB18030 pair, so Big5 text decodes as
    GB18030 without error, as nonsense. Simplified Chinese in GBK spells its letters with
    GB2312's Han characters almost only (99%+); Big5 read as GB18030 gives under half of
    them, and kana or private-use characters among them."""
    letters = _letters(gb_text[:20_000])
    if len(letters) < MIN_LETTERS_TO_TELL:
        return gb_text
    han = [ch for ch in letters if "\u4e00" <= ch <= "\u9fff"]
    common = sum(1 for ch in han if _in_gb2312(ch))
    if common >= 0.8 * len(letters):
        return gb_text
    if len(han) == len(letters) and len(letters) < MIN_HAN_ONLY:
        return gb_text  # a few rare Han characters (一阷) may well be GB18030: no kana seen
    try:
        return data.decode("big5")
    except UnicodeDecodeError:
        return gb_text


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def sniff_line_codec(head: bytes, source: str, encoding: str) -> str:
    """Choose the codec of a stream read line by line, from its first bytes."""
    if encoding != AUTO:
        return encoding
    bom = bom_codec(head)
    if bom is not None:
        return bom
    if b"\0" in head:
        raise binary_error(source, head)
    for codec in ("utf-8", "gb18030"):
        try:
            # final=False: a multi-byte character cut at the end of the sample is fine.
            text = codecs.getincrementaldecoder(codec)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        if codec == "gb18030" and _big5_instead(head, text) is not text:
            return "big5"
        return codec
    # Neither decodes the sample cleanly: read as UTF-8, the bad lines reported alone.
    return "utf-8"


def decode_line(
    raw: bytes, source: str, codec: str, errors: str, on_error: Notice, gbk_too: bool = False
) -> str | None:
    """One line's text; a line that does not decode goes to ``on_error`` as a failure
    (None returned), or, with a few bad bytes and ``errors="replace"``, is decoded with
    them replaced and reported as a notice. ``gbk_too`` (a UTF-8 input whose encoding was
    detected): a line that reads as GB18030 Chinese is taken so, with a notice."""
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        start = exc.start
    if gbk_too:
        with contextlib.suppress(UnicodeDecodeError):
            text = raw.decode("gb18030")
            if _reads_as_gbk(text):
                name = source.rpartition(":")[0] or source
                on_error(MixedEncodings(name, _MIXED))
                return text
    text, bad, _ = _bad_sequences(raw, codec)
    if errors == "replace" and _few(bad, len(raw)):
        on_error(ReplacedBytes(source, f"{bad} invalid byte sequence(s) replaced with U+FFFD"))
        return text
    on_error(
        DecodeError(
            source,
            f"cannot decode as {codec} (byte {start} of the line), line skipped",
            hint="pass --encoding NAME",
        )
    )
    return None
