"""Key sentences of documents (extractive summaries) with TextRank."""

from textkit.summarize.summarizer import KeySentence, Summarizer, summarize

__all__ = ["KeySentence", "Summarizer", "summarize"]
