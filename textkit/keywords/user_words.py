"""Words of a user dictionary weigh what their pieces weigh.

A user dictionary keeps a word whole (定形相变材料) where jieba's dictionary alone cuts it
into pieces (定形 相变 材料). Unless the IDF table lists the word itself, it is scored as
the phrase of its pieces would be: its IDF is the sum of theirs, and in the length terms
of the score it counts as that many tokens, alone or inside a longer phrase. Adding a word
to the dictionary then changes where the text is cut (the word is one candidate, seen once
or more, and its pieces no longer stand alone inside it) but not what the word weighs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textkit.text.idf import IdfTable

Weight = tuple[float, int]  # IDF, pieces


class PieceWeights:
    """The IDF and piece count of user-dictionary words, found when first asked for."""

    def __init__(self, words: Iterable[str], idf: IdfTable, backend: str) -> None:
        self.words = frozenset(words)
        self._idf = idf
        self._backend = backend
        self._plain: Any = None  # the dictionary alone, built on first use
        self._memo: dict[str, Weight | None] = {}

    def __bool__(self) -> bool:
        return bool(self.words)

    def of(self, word: str) -> Weight | None:
        """``word``'s weight as its pieces: None when it is no user word or one piece (it
        then weighs as any word the IDF table lacks). Call it for words the table lacks."""
        if word not in self.words:
            return None
        if word not in self._memo:
            self._memo[word] = self._weigh(word)
        return self._memo[word]

    def _weigh(self, word: str) -> Weight | None:
        if self._plain is None:
            from textkit.text.tokenizer import Tokenizer

            self._plain = Tokenizer(backend=self._backend)
        pieces = self._plain.cut(word)
        if len(pieces) < 2:
            return None
        weights, unknown = self._idf.weights, self._idf.unknown
        total = 0.0
        for piece in pieces:
            value = weights.get(piece)
            total += unknown if value is None else value
        return total, len(pieces)
