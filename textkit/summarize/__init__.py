"""Key sentences of documents (extractive summaries) with TextRank.

``textkit.summarize`` is both this package and the function that summarizes a text: once
the package is imported, Python binds its name in ``textkit`` to the module, so the module
itself can be called (``textkit.summarize(text, 2)`` works whichever one the name holds).
"""

import sys
import types
from typing import Any

from textkit.summarize.summarizer import KeySentence, Summarizer, summarize

__all__ = ["KeySentence", "Summarizer", "summarize"]


class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> list[KeySentence]:
        return summarize(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
