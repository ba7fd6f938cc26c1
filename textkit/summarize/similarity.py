"""How alike two sentences are, from the content words they share.

The graph weight is TextRank's word overlap normalised by length (Mihalcea & Tarau 2004, as
TextRank4ZH computes it): the number of distinct words two sentences share, divided by
``log(len(a)) + log(len(b))`` (lengths in words, repeats counted). The logarithm keeps long
sentences from winning on length alone, without punishing them as a product of lengths would.

The redundancy measure (for MMR) is the cosine of the two word sets: 1 for the same words,
0 for none in common.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

# Each sentence keeps its edges to this many most similar sentences (and those that keep
# it): a long document's graph grows linearly, not quadratically, with its length. A
# document of up to NEIGHBOURS + 1 sentences keeps every edge.
NEIGHBOURS = 20
_BLOCK_CELLS = 1 << 22  # similarity cells computed at a time (bounded memory: 32 MB)


def overlap_edges(
    words: Sequence[Sequence[str]], neighbours: int = NEIGHBOURS
) -> list[tuple[int, int, float]]:
    """The weighted edges ``(i, j, weight)``, i < j, of the sentence graph: shared distinct
    words / (log len_i + log len_j). Pairs with nothing in common, or two one-word
    sentences (a zero denominator), get no edge. Each sentence keeps its ``neighbours``
    strongest edges (and those of the sentences that keep it)."""
    n = len(words)
    logs = [math.log(max(len(s), 1)) for s in words]
    if n <= neighbours + 1:  # every pair, in plain Python: quicker on a few sentences
        sets = [set(s) for s in words]
        edges = []
        for i in range(n):
            for j in range(i + 1, n):
                denominator = logs[i] + logs[j]
                if denominator > 1e-12 and (shared := len(sets[i] & sets[j])):
                    edges.append((i, j, shared / denominator))
        return edges
    return _strongest_edges(words, logs, neighbours)


def _strongest_edges(
    words: Sequence[Sequence[str]], logs: list[float], neighbours: int
) -> list[tuple[int, int, float]]:
    """:func:`overlap_edges` of a long document: the shared-word counts come from a sparse
    product a block of rows at a time, and each row keeps its ``neighbours`` heaviest."""
    import numpy as np
    from scipy import sparse

    n = len(words)
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, sentence in enumerate(words):
        seen = {vocabulary.setdefault(w, len(vocabulary)) for w in sentence}
        rows.extend([i] * len(seen))
        cols.extend(seen)
    if not vocabulary:
        return []
    incidence = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(vocabulary)))
    transposed = incidence.T.tocsc()
    log_array = np.array(logs)
    found_a, found_b, found_w = [], [], []
    rows_per_block = max(1, _BLOCK_CELLS // n)
    for first in range(0, n, rows_per_block):
        shared = (incidence[first : first + rows_per_block] @ transposed).toarray()
        block = np.arange(first, first + len(shared))
        denominator = log_array[block, None] + log_array[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            weight = np.where(denominator > 1e-12, shared / denominator, 0.0)
        weight[np.arange(len(block)), block] = 0.0  # no self-loops
        top = np.argpartition(-weight, neighbours, axis=1)[:, :neighbours]
        top_weight = np.take_along_axis(weight, top, axis=1)
        keep = top_weight > 0
        found_a.append(np.broadcast_to(block[:, None], top.shape)[keep])
        found_b.append(top[keep])
        found_w.append(top_weight[keep])
    a, b, w = (np.concatenate(parts) for parts in (found_a, found_b, found_w))
    low, high = np.minimum(a, b), np.maximum(a, b)
    # An edge kept by both of its ends appears twice, with the same weight: once is enough.
    pairs, first_seen = np.unique(low * n + high, return_index=True)
    return list(
        zip((pairs // n).tolist(), (pairs % n).tolist(), w[first_seen].tolist(), strict=True)
    )


def word_set_cosine(a: set[str], b: set[str]) -> float:
    """|a & b| / sqrt(|a| |b|): 1 for the same word sets, 0 when they share nothing."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))
