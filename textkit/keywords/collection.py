"""Collection-aware IDF: words that a collection of long documents repeats weigh less in it.

In scientific abstracts, 技术, 算法, 系统 and 性能 are in a large share of the documents:
they say what kind of text the collection holds, not what one abstract is about. jieba's
background table cannot know that; the collection's own document frequencies can.

Only collections of long documents (a median of at least ``MIN_MEDIAN_CHARS`` characters)
get the table. A short text (a review, a title, a comment) says few words, each once, and
the words its collection repeats are mostly what it is about: 外卖 and 送餐 in a complaint
about a late delivery, 电池 in a review of a phone battery. Lowering them leaves the list
to weaker words.

A word in at least ``MIN_SHARE`` of the N documents (the first ``WINDOW`` of the input,
at most ``WINDOW_CHARS`` characters) gets the blend :func:`textkit.text.idf.blended_idf` of
its document frequency there with its background IDF b (worth ``PRIOR_DOCUMENTS``
documents, as in ``textkit idf``), when that is lower than b: a word the collection holds
more often than the background expects weighs less, no word weighs more. The document
being scored is not evidence about itself, so a word's frequency is counted without one of
its documents (df - 1, out of N - 1). Rarer words keep their weight: a method a few
abstracts of 2,000 name is still the topic of each. The extractor applies the table to
keywords of one word; a phrase keeps its words' background IDF, as it names something
more specific (仿真模型, 社会特征).

A word the segmenter invents (not in its dictionary) and a document says once is no
keyword: more often a broken word than a new one. Said in ``CONFIRM_DOCUMENTS`` documents
of the collection, it is a word the dictionary lacks (送餐, 差评, 微博, 美股), long
documents or short: it is a keyword like any other, and its weight is the blend of its
document frequency with the background table's unknown-word IDF, as above.

Fewer than ``MIN_DOCUMENTS`` documents, or short ones with no such word, leave the
background table alone: few counts say little, and a handful of files is scored exactly as
each file alone.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from textkit.text.idf import NON_WORD, PRIOR_DOCUMENTS, IdfTable, blended_idf

MIN_DOCUMENTS = 50  # a run with fewer documents uses the background table only
# Documents read ahead from the start of the input to count frequencies: at most WINDOW,
# and no more once they hold WINDOW_CHARS characters (memory and time stay bounded).
WINDOW = 2000
WINDOW_CHARS = 100_000
MIN_SHARE = 0.03  # only a word in at least this share of the documents is lowered
# Documents of a shorter median length (characters) keep the background table.
MIN_MEDIAN_CHARS = 100
CONFIRM_DOCUMENTS = 5  # an invented word in this many documents is a word


def window_size(texts: Iterable[str]) -> int:
    """How many of ``texts`` (from the first) the frequencies are counted on."""
    count = chars = 0
    for text in texts:
        if count >= WINDOW or chars >= WINDOW_CHARS:
            break
        count += 1
        chars += len(text)
    return count


def long_documents(texts: Sequence[str]) -> bool:
    """Whether the median length of ``texts`` is at least MIN_MEDIAN_CHARS characters."""
    lengths = sorted(map(len, texts))
    return bool(lengths) and lengths[(len(lengths) - 1) // 2] >= MIN_MEDIAN_CHARS


@dataclass(frozen=True, repr=False)
class CollectionIdf:
    """The IDF of the words a collection repeats more than the background expects
    (only those: every other word keeps its background IDF), the invented words it
    ``confirmed``, and how many documents it was counted on. ``key`` identifies the table
    (it stands for it in ``repr``)."""

    weights: Mapping[str, float]
    confirmed: frozenset[str]
    documents: int
    key: str

    def __repr__(self) -> str:
        return (
            f"CollectionIdf({self.documents} documents, {len(self.weights)} words, "
            f"{len(self.confirmed)} confirmed, {self.key})"
        )


def collection_idf(
    documents: Iterable[Iterable[str]],
    background: IdfTable,
    *,
    invented: Callable[[list[str]], list[bool]] | None = None,
    long: bool = True,
    prior_documents: float = PRIOR_DOCUMENTS,
    min_share: float = MIN_SHARE,
) -> CollectionIdf | None:
    """The collection table of the tokenized ``documents`` (None for fewer than
    MIN_DOCUMENTS), lowering words against ``background``: any word the collection
    repeats if the documents are ``long``, else only the invented words it confirms
    (None if there are none). ``invented(words)``: whether each word is one the segmenter
    invented (None: no word is)."""
    df: Counter[str] = Counter()
    n_docs = 0
    for tokens in documents:
        n_docs += 1
        df.update(set(tokens))
    if n_docs < MIN_DOCUMENTS:
        return None
    said = [w for w, count in df.items() if count >= CONFIRM_DOCUMENTS and not NON_WORD.match(w)]
    confirmed = frozenset(
        w for w, new in zip(said, invented(said) if invented else [], strict=False) if new
    )
    if not long and not confirmed:
        return None
    least = max(2, math.ceil(min_share * (n_docs - 1)) + 1)  # df - 1 >= share of N - 1
    repeated = sorted(
        w
        for w, count in df.items()
        if count >= least and not NON_WORD.match(w) and (long or w in confirmed)
    )
    weights = background.weights
    get_many = getattr(weights, "get_many", None)
    unknown = background.unknown
    values = (
        get_many(repeated, unknown) if get_many else [weights.get(w, unknown) for w in repeated]
    )
    lowered: dict[str, float] = {}
    for word, value in zip(repeated, values, strict=True):
        idf = blended_idf(df[word] - 1, n_docs - 1, value, prior_documents)
        if idf < value:
            lowered[word] = idf
    listed = [f"{w} {v!r}" for w, v in lowered.items()] + sorted(confirmed)
    digest = hashlib.sha1("\n".join(listed).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return CollectionIdf(lowered, confirmed, n_docs, digest)
