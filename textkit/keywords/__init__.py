"""Keywords and key phrases of documents (tf-idf or TextRank)."""

from textkit.keywords.extractor import KeywordExtractor, extract

__all__ = ["KeywordExtractor", "extract"]
