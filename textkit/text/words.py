"""``tokenize()``: one text's words with a shared default tokenizer, traditional text read
as the command line reads it."""

from __future__ import annotations

from textkit.checks import text_arg
from textkit.text.normalize import cut_normalized, prepare
from textkit.text.tokenizer import Tokenizer

_default_tokenizers: dict[tuple[str, bool, str], Tokenizer] = {}


def tokenize(
    text: str,
    *,
    mode: str = "accurate",
    hmm: bool = True,
    pos: bool = False,
    backend: str = "jieba",
    normalize: bool | None = None,
) -> list[str] | list[tuple[str, str]]:
    """Tokenize one text with a shared default :class:`Tokenizer` (words, or (word, tag)
    pairs). Traditional text is cut as its simplified form and its words spelled as the
    text spells them (櫃檯 stays one word), as ``textkit tokenize`` does; ``normalize``:
    True for every text, False for none, None (default) for text that looks traditional."""
    key = (mode, hmm, backend)
    tokenizer = _default_tokenizers.get(key)
    if tokenizer is None:
        tokenizer = _default_tokenizers[key] = Tokenizer(mode, hmm=hmm, backend=backend)
    prepared = prepare(text_arg(text), normalize)
    if prepared is not None:
        return cut_normalized(tokenizer, prepared, pos=pos)  # type: ignore[no-any-return]
    return tokenizer.cut_pos(text) if pos else tokenizer.cut(text)
