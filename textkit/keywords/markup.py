"""Links, e-mail addresses and markup are never keywords: their spans are blanked out
(replaced by spaces of the same length, so every other character keeps its offset)."""

from __future__ import annotations

import re

_ASCII_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]"
_PATTERN = re.compile(
    # Every alternative starts with one of these characters: elsewhere (most of a Chinese
    # text) the scan moves on after one test instead of trying each alternative.
    r"(?=[A-Za-z0-9._%+\-<&\]`])(?:"
    + "|".join(
        (
            rf"(?:https?|ftp|file)://{_ASCII_URL_CHARS}*",  # a URL with its scheme
            rf"www\.{_ASCII_URL_CHARS}+",
            r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+",  # an e-mail address
            # a bare domain (pan.baidu.com) and its path
            r"(?<![A-Za-z0-9.\-])(?:[A-Za-z0-9\-]+\.)+"
            r"(?:com|cn|net|org|edu|gov|info|cc|top|xyz|html?)"
            rf"(?![A-Za-z0-9\-])(?:/{_ASCII_URL_CHARS}*)?",
            r"</?[A-Za-z][A-Za-z0-9\-]*(?:\s[^<>]{0,500})?/?>",  # an HTML tag
            r"<!--.*?-->",  # an HTML comment
            r"&(?:[A-Za-z]{2,8}|#[0-9]{1,6}|#x[0-9A-Fa-f]{1,6});",  # an HTML entity
            r"\]\([^()\s]*\)",  # a Markdown link target: ](path/or/url)
            r"```[^\n]*",  # a Markdown code fence line (the language name)
        )
    )
    + ")",
    re.DOTALL,
)
_CHEAP_SIGNS = ("://", "www.", "@", ".", "<", "&", "](", "```")


def blank_markup(text: str) -> str:
    """``text`` with URLs, e-mail addresses, domains, HTML tags, comments and entities,
    Markdown link targets and code-fence labels replaced by spaces."""
    if not any(sign in text for sign in _CHEAP_SIGNS):
        return text
    return _PATTERN.sub(lambda match: " " * len(match.group()), text)
