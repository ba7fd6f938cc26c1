"""Fuzzing: arbitrary text and bytes thrown at readers, sniffing, tokenizer and keywords.

Only textkit's typed errors may escape. CI runs a short pass; `make fuzz` runs a long one
(TEXTKIT_FUZZ_EXAMPLES, default 5,000 per test).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textkit.errors import TextkitError
from textkit.io.decoding import decode_bytes
from textkit.io.readers import iter_documents
from textkit.io.tabular import FORMATS, read_labeled, sniff_format

EXAMPLES = int(os.environ.get("TEXTKIT_FUZZ_EXAMPLES", "60"))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Bytes with a bias towards what breaks readers: BOMs, NULs, CJK in several encodings,
# separators and quotes.
_fragments = st.sampled_from(
    [
        b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b"\n", b"\r\n", b"\t", b",", b'"', b"{", b"}",
        "中文".encode(), "中文".encode("gbk"), "標題".encode("big5"), b"__label__x ",
        b'{"text": "x", "label": 1}', b"\xff", b"\xc3", b"label,text", "😀".encode(),
    ]
)  # fmt: skip
hostile_bytes = st.lists(st.one_of(_fragments, st.binary(max_size=8)), max_size=40).map(b"".join)


@fuzz
@given(hostile_bytes, st.sampled_from(["auto", "utf-8", "gb18030", "utf-16"]))
def test_decode_bytes_only_typed_errors(data, encoding):
    try:
        text = decode_bytes(data, "fuzz", encoding)
    except TextkitError:
        return
    if encoding == "utf-8":  # a few bad bytes replaced, the rest as decoded
        assert text == data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    try:
        strict = decode_bytes(data, "fuzz", encoding, errors="strict")
    except TextkitError:
        return
    assert strict == text  # strict refuses what replace changes, nothing else


@fuzz
@given(hostile_bytes, st.booleans())
def test_reader_only_typed_errors(tmp_path, data, lines):
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    failures = []
    docs = list(iter_documents([str(path)], lines=lines, on_error=failures.append))
    assert all(isinstance(f, TextkitError) for f in failures)
    assert all(isinstance(d.text, str) for d in docs)


@fuzz
@given(hostile_bytes, st.sampled_from([None, *FORMATS]))
def test_labeled_reader_and_sniffing_only_typed_errors(tmp_path, data, fmt):
    path = tmp_path / "d.dat"
    path.write_bytes(data)
    try:
        sniff_format(str(path), data.decode("utf-8", "replace"))
        records = list(read_labeled([str(path)], data_format=fmt, on_error=lambda e: None))
    except TextkitError:
        return
    assert all(r.text.strip() and r.label for r in records)


@fuzz
@given(st.text(max_size=300))
def test_tokenizer_and_keywords_never_raise(text):
    from textkit.text.tokenizer import Tokenizer

    for backend in ("jieba", "fast"):
        tokens = Tokenizer(backend=backend).cut(text)
        assert all(t and not t.isspace() for t in tokens)
    for method in ("tfidf", "textrank"):
        found = _extractor(method).extract(text, 5)
        assert len(found) <= 5
        assert len({k for k, _ in found}) == len(found)


_extractors: dict = {}


def _extractor(method: str):
    from textkit.keywords.extractor import KeywordExtractor

    if method not in _extractors:
        _extractors[method] = KeywordExtractor(method)
    return _extractors[method]


_augmenters: dict = {}


@fuzz
@given(st.text(max_size=200), st.integers(0, 10_000))
def test_augmenter_never_raises_and_keeps_promises(text, index):
    from textkit.augment.eda import AugmentConfig, Augmenter

    if "aug" not in _augmenters:
        _augmenters["aug"] = Augmenter(AugmentConfig(num_aug=4, seed=7))
    out = _augmenters["aug"].augment(text, index)
    assert len(out) <= 4
    assert len(set(out)) == len(out)  # no duplicates
    assert text not in out  # never the original itself
    assert all(isinstance(t, str) for t in out)
