"""Start-up time of whole textkit processes, against `python -c pass` in the same run."""

from __future__ import annotations

import sys

from benchmarks.common import median_wall, print_table


def main() -> None:
    python = [sys.executable]
    base = median_wall([*python, "-c", "pass"])
    help_time = median_wall([*python, "-m", "textkit", "--help"])
    tok_time = median_wall([*python, "-m", "textkit", "tokenize"], stdin="我爱北京".encode())
    print_table(
        [
            (
                "textkit --help (s)",
                f"{help_time:.3f}",
                f"{base:.3f} (python -c pass)",
                f"{help_time / base:.1f}x",
                "<= 0.25 s",
            ),
            (
                "textkit tokenize tiny stdin (s)",
                f"{tok_time:.3f}",
                f"{base:.3f} (python -c pass)",
                f"{tok_time / base:.1f}x",
                "-",
            ),
        ]
    )


if __name__ == "__main__":
    main()
