"""What distinguishes groups of documents: for each label, the terms most associated with
it against all other labels, by the weighted log-odds ratio with an informative Dirichlet
prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words").

Terms are the keyword candidates of each document (content words and recurring noun
phrases, as in :class:`~textkit.keywords.extractor.KeywordExtractor`), counted over the
documents of each label. For term w, label i and the rest j, with counts y and totals n,
and the prior alpha_w = alpha0 * (w's share of the whole corpus):

    delta = log((y_wi + a_w) / (n_i + a0 - y_wi - a_w))
            - log((y_wj + a_w) / (n_j + a0 - y_wj - a_w))
    z = delta / sqrt(1 / (y_wi + a_w) + 1 / (y_wj + a_w))

The z-score is the weight: how many standard deviations the term leans towards the label.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from itertools import islice

from textkit.keywords.candidates import Keywords
from textkit.keywords.diversity import distinct

# alpha0, the prior's total count, as a multiple of the corpus's total count: 1 takes the
# whole corpus as the background (its words' shares), weighing as much as the data.
PRIOR_WEIGHT = 1.0
MIN_COUNT = 3  # a term met fewer times in the whole corpus is left out (too little evidence)


def log_odds(
    counts: dict[str, Counter[str]],
    top_k: int = 10,
    *,
    prior_weight: float = PRIOR_WEIGHT,
    min_count: int = MIN_COUNT,
) -> dict[str, Keywords]:
    """Per label (in sorted order), its ``top_k`` terms (0: all with z > 0) by z-score,
    best first (ties alphabetical), none inside another. ``counts``: label -> term ->
    occurrences."""
    total: Counter[str] = Counter()
    for per_label in counts.values():
        total.update(per_label)
    n = sum(total.values())
    result: dict[str, Keywords] = {}
    if not n:
        return {label: [] for label in sorted(counts)}
    a0 = prior_weight * n
    terms = [w for w, c in total.items() if c >= min_count]
    for label in sorted(counts):
        own = counts[label]
        n_i = sum(own.values())
        n_j = n - n_i
        scored = []
        for w in terms:
            a_w = a0 * total[w] / n
            y_i = own.get(w, 0)
            y_j = total[w] - y_i
            delta = math.log((y_i + a_w) / (n_i + a0 - y_i - a_w)) - math.log(
                (y_j + a_w) / (n_j + a0 - y_j - a_w)
            )
            z = delta / math.sqrt(1.0 / (y_i + a_w) + 1.0 / (y_j + a_w))
            if z > 0:
                scored.append((-z, w))
        scored.sort()
        # As for keywords: no term inside another (电话 and 打电话), the better one stays.
        ranked = distinct((w, -neg) for neg, w in scored)
        result[label] = list(islice(ranked, top_k) if top_k else ranked)
    return result


def count_terms(extractor: object, records: Iterable[tuple[str, str]]) -> dict[str, Counter[str]]:
    """label -> term -> occurrences over (text, label) pairs, terms from ``extractor``'s
    :meth:`terms`."""
    counts: dict[str, Counter[str]] = {}
    for text, label in records:
        counts.setdefault(label, Counter()).update(extractor.terms(text))  # type: ignore[attr-defined]
    return counts
