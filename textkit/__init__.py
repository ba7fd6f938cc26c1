"""textkit: fast, pipe-friendly Chinese text analysis.

The public API is imported lazily (``from textkit import Tokenizer`` loads only what it
needs), so importing textkit, or running ``textkit --help``, stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# name -> module that defines it
_EXPORTS = {
    "Document": "textkit.io.readers",
    "iter_documents": "textkit.io.readers",
    "read_text": "textkit.io.readers",
    "Tokenizer": "textkit.text.tokenizer",
    "tokenize": "textkit.text.words",
    "load_stopwords": "textkit.text.stopwords",
    "split_sentences": "textkit.text.sentences",
    "Summarizer": "textkit.summarize.summarizer",
    "summarize": "textkit.summarize.summarizer",
    "TextkitError": "textkit.errors",
    "TextClassifier": "textkit.classify.model",
    "train_classifier": "textkit.classify.training",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'textkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
