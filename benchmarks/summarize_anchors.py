"""Run TextRank4ZH or SnowNLP on JSON-lines texts from stdin; print each top sentence.

Runs under another interpreter (TextRank4ZH needs networkx<3): summarize_bench.py calls it
by subprocess as ``PYTHON summarize_anchors.py tr4zh|snownlp < texts.jsonl``. It imports
nothing from textkit.
"""

import json
import logging
import sys


def main() -> int:
    which = sys.argv[1]
    texts = [json.loads(line) for line in sys.stdin]
    out = []
    if which == "tr4zh":
        import jieba
        from textrank4zh import TextRank4Sentence

        jieba.setLogLevel(logging.ERROR)
        ranker = TextRank4Sentence()
        for text in texts:
            # As in TextRank4ZH's README example.
            ranker.analyze(text=text, lower=True, source="all_filters")
            found = ranker.get_key_sentences(num=1)
            out.append(found[0]["sentence"] if found else "")
    elif which == "snownlp":
        from snownlp import SnowNLP

        for text in texts:
            try:
                found = SnowNLP(text).summary(1)
            except (ZeroDivisionError, ValueError):  # texts without a scorable sentence
                found = []
            out.append(found[0] if found else "")
    else:
        raise SystemExit(f"unknown system {which!r}")
    for sentence in out:
        print(json.dumps(sentence, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
