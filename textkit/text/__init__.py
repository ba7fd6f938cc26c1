"""Text as words: the tokenizers (jieba and its Rust port), stopword lists and IDF tables."""
