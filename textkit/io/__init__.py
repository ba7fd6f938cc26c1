"""Getting text in and results out: readers (files, directories, stdin, encodings),
tabular formats (TSV, CSV, JSONL, fastText), writers (atomic files, table/TSV/CSV/JSONL),
the terminal (warnings, progress), parallel execution and the user's cache."""
