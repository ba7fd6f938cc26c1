"""``textkit keywords`` and ``textkit idf``."""

import contextlib
import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from textkit.commands.options import (
    Backend,
    BackendOption,
    DataFormatOpt,
    Encoding,
    EncodingErrors,
    ErrorMode,
    Format,
    Glob,
    Header,
    IdCol,
    Jobs,
    LabelCol,
    LabelSep,
    Lines,
    NoDefaultStopwords,
    Normalize,
    Output,
    OutputScript,
    OutputScriptOpt,
    Paths,
    Quiet,
    Scheduler,
    StopwordFiles,
    TextCol,
    Tokenizer,
    UserDict,
    check_backend,
    given_options,
    labeled_format,
    normalize_mode,
    open_output,
    read_options,
    resolve_format,
)
from textkit.errors import DataFormatError, TraditionalText
from textkit.io.decoding import AUTO
from textkit.io.sources import DEFAULT_GLOB

EMPTY_LABELS_SHOWN = 5  # labels named in the no-term warning; the rest counted


class KeywordMethod(str, Enum):
    tfidf = "tfidf"
    textrank = "textrank"


def _tags(value: str | None) -> list[str] | None:
    return [t.strip() for t in value.split(",") if t.strip()] if value else None


# Every tag jieba (and rjieba) gives: those of its dictionary, of its HMM for unknown words,
# and eng, m, x for Latin words, numbers and the rest.
_JIEBA_TAGS = (
    "a ad ag an b bg c d df dg e eng f g h i in j jn k l ln m mg mq n ng nr nrfg nrt ns nt nz "
    "o p q qe qg r rg rr rz s t tg u ud ug uj ul un uv uz v vd vg vi vn vq x y yg z zg"
)
JIEBA_TAGS = frozenset(_JIEBA_TAGS.split())


def _warn_unknown_tags(tags: list[str] | None, user_dict: Path | None, reporter: Any) -> None:
    """A tag no word can have (``--pos NN``, ``--pos noun``) would leave every document
    without keywords and say nothing: say so. A user dictionary may bring its own tags."""
    if not tags:
        return
    known = set(JIEBA_TAGS)
    if user_dict is not None:
        from textkit.text.tokenizer import read_user_dict

        known.update(word.tag for word in read_user_dict(user_dict) if word.tag)
    unknown = [tag for tag in tags if tag not in known]
    if unknown:
        reporter.warn(
            f"--pos: {', '.join(map(repr, unknown))} is not a jieba POS tag, so no keyword has "
            "it (jieba's tags are lower-case: n, nr, ns, nt, nz, v, vn, a, eng...)"
        )


def keywords(
    ctx: typer.Context,
    paths: Paths = None,
    lines: Lines = False,
    glob: Glob = DEFAULT_GLOB,
    encoding: Encoding = AUTO,
    encoding_errors: EncodingErrors = ErrorMode.replace,
    data_format: DataFormatOpt = None,
    text_col: TextCol = None,
    id_col: IdCol = None,
    method: Annotated[
        KeywordMethod, typer.Option("--method", "-m", help="Ranking: tf-idf or TextRank.")
    ] = KeywordMethod.tfidf,
    top: Annotated[
        int, typer.Option("--top", "-k", min=0, help="Keywords per document (0 = all).")
    ] = 10,
    phrases: Annotated[
        bool,
        typer.Option("--phrases/--words", help="Multi-word key phrases, or single words only."),
    ] = True,
    pos: Annotated[
        str | None,
        typer.Option(
            "--pos",
            metavar="TAGS",
            help="Keep keywords whose last word has one of these jieba POS tags (e.g. n,vn,nz).",
        ),
    ] = None,
    min_len: Annotated[
        int, typer.Option("--min-len", min=1, help="Shortest keyword, in characters.")
    ] = 2,
    stopwords: StopwordFiles = None,
    no_default_stopwords: NoDefaultStopwords = False,
    user_dict: UserDict = None,
    idf: Annotated[
        Path | None,
        typer.Option("--idf", help="IDF table ('word idf' lines, e.g. from textkit idf)."),
    ] = None,
    collection_idf: Annotated[
        bool,
        typer.Option(
            "--collection-idf/--no-collection-idf",
            help="Over 50+ documents of a median 100+ characters, words they keep repeating "
            "weigh less (counted on the first 2,000); --no-collection-idf: jieba's IDF table "
            "only.",
        ),
    ] = True,
    weights: Annotated[
        bool, typer.Option("--weights/--no-weights", help="Show the weight column.")
    ] = True,
    normalize: Normalize = None,
    output_script: OutputScriptOpt = OutputScript.original,
    jieba_compat: Annotated[
        bool,
        typer.Option(
            "--jieba-compat",
            help="Exactly jieba.analyse.extract_tags/textrank (single words, jieba tokenizer).",
        ),
    ] = False,
    window: Annotated[
        int, typer.Option("--window", min=2, help="TextRank: link words fewer than N apart.")
    ] = 5,
    damping: Annotated[
        float, typer.Option("--damping", min=0.01, max=0.99, help="TextRank: PageRank damping.")
    ] = 0.85,
    tol: Annotated[
        float,
        typer.Option("--tol", min=1e-12, help="TextRank: PageRank convergence tolerance."),
    ] = 1e-8,
    by_label: Annotated[
        bool,
        typer.Option(
            "--by-label",
            help="Labeled data in: per label, the terms that set it apart from the rest.",
        ),
    ] = False,
    label_col: LabelCol = None,
    label_sep: LabelSep = None,
    tokenizer: Tokenizer = "fast",
    fmt: Format = None,
    header: Header = False,
    output: Output = None,
    jobs: Jobs = 1,
    backend: BackendOption = Backend.local,
    scheduler: Scheduler = None,
    quiet: Quiet = False,
) -> None:
    """Extract keywords (key phrases by default) from each document.

    Example: textkit keywords docs/ -k 5 --format jsonl; per label: textkit keywords
    --by-label reviews.csv --text-col review --label-col label
    """
    from textkit.io.parallel import map_chunked, map_chunks, resolve_jobs
    from textkit.io.readers import chunk_units, iter_documents, iter_units, units_size
    from textkit.io.terminal import Reporter, color_enabled
    from textkit.io.writers import RecordWriter
    from textkit.keywords.extractor import (
        BATCH_CHARS,
        BATCH_SIZE,
        BLOCK_BYTES,
        PARALLEL_BATCH_SIZE,
        PARALLEL_BLOCK_BYTES,
        extract_chunk,
        keyword_records,
        learned_options,
        render_units,
        reporting_long_texts,
    )

    check_backend(tokenizer)
    options: dict[str, Any] = {
        "method": method.value,
        "top_k": top,
        "phrases": phrases,
        "pos": _tags(pos),
        "min_len": min_len,
        "stopword_files": tuple(stopwords or ()),
        "default_stopwords": not no_default_stopwords,
        "user_dict": user_dict,
        "idf": idf,
        "backend": tokenizer,
        "window": window,
        "damping": damping,
        "tol": tol,
        "jieba_compat": jieba_compat,
        "normalize": normalize_mode(normalize, output_script),
        "output_script": output_script.value,
        # Learned from the start of the input below; a given --idf table is used as it is.
        "collection_idf": collection_idf and idf is None and not jieba_compat and not by_label,
    }
    reporter = Reporter(quiet=quiet)
    _warn_unknown_tags(options["pos"], user_dict, reporter)
    if by_label:
        read = {
            "data_format": labeled_format(data_format, "keywords --by-label"),
            "text_col": text_col,
            "label_col": label_col,
            "label_sep": label_sep,
            "encoding": encoding,
            "errors": encoding_errors.value,
        }
        _keywords_by_label(paths, read, options, fmt, header, weights, output, reporter)
        return
    if jieba_compat:
        _warn_ignored_by_jieba_compat(ctx, tokenizer, phrases, reporter)
    elif method is KeywordMethod.tfidf:
        flags = {"window": "--window", "damping": "--damping", "tol": "--tol"}
        given = given_options(ctx, flags)
        if given:
            reporter.warn(f"{', '.join(given)} only apply to --method textrank; ignored")
    columns = ["source", "rank", "keyword"] + (["weight"] if weights else [])
    count = empty = 0
    serial = backend == Backend.local and resolve_jobs(jobs) == 1
    parallel = {"jobs": jobs, "backend": backend.value, "scheduler": scheduler}
    read = read_options(lines, glob, encoding, encoding_errors, data_format, text_col, id_col)
    read["on_error"] = reporter.input_failed
    meter = reporter.input_meter(paths, glob)
    # Work done in this process reports its progress through a long document too.
    inside = reporting_long_texts(reporter.part_done) if serial else contextlib.nullcontext()
    with (
        open_output(output, [*(paths or []), idf, *(stopwords or []), user_dict], glob) as stream,
        inside,
    ):
        writer = RecordWriter(
            stream, resolve_format(fmt, stream), columns, header=header, color=color_enabled(stream)
        )
        if writer.fmt == "table":  # a terminal's table is drawn here, a document at a time
            documents = iter_documents(paths, **read)
            if meter is not None:
                documents = meter.watch(documents)
            if options["collection_idf"] is True:
                ahead, texts = _read_ahead(documents, lambda doc: [doc.text])
                options = learned_options(options, texts)
                documents = itertools.chain(ahead, documents)
            items = ((i, doc.source, doc.text) for i, doc in enumerate(documents))
            found = map_chunked(
                extract_chunk,
                options,
                items,
                chunk_size=BATCH_SIZE,
                cost=lambda item: len(item[2]),
                budget=BATCH_CHARS,
                **parallel,
            )
            for _, source, keywords_found, converted in reporter.progress(
                found, "keywords", meter=meter
            ):
                if converted is not None:
                    reporter.input_failed(TraditionalText(converted))
                count += 1
                empty += not keywords_found
                writer.write(keyword_records(source, keywords_found, weights)[0])
        else:
            # Files and pipes get text made by the workers, a chunk at a time. --lines
            # input reaches them as undecoded blocks: this process only moves bytes.
            units = iter_units(
                paths, block_bytes=BLOCK_BYTES if serial else PARALLEL_BLOCK_BYTES, **read
            )
            if meter is not None:
                units = meter.watch(units)
            if options["collection_idf"] is True:
                ahead, texts = _read_ahead(units, _unit_texts)
                options = learned_options(options, texts)
                units = itertools.chain(ahead, units)
            chunks = chunk_units(
                units,
                BATCH_SIZE if serial else PARALLEL_BATCH_SIZE,
                BATCH_CHARS,
                first=None if serial else BATCH_SIZE // 4,
            )
            spec = (options, writer.fmt, weights)
            results = map_chunks(render_units, spec, chunks, weight=units_size, **parallel)
            for documents, text, failures, without in reporter.progress(
                results, "keywords", size=lambda result: result[0], meter=meter
            ):
                for failure in failures:
                    reporter.input_failed(failure)
                count += documents
                empty += without
                writer.write_encoded(text)
    if empty:  # rows of TSV and CSV output leave such documents out: say so
        reporter.info(f"Note: {empty} of {count} documents have no keyword (too short?)")
    raise typer.Exit(reporter.finish(count))


def _read_ahead(
    items: Iterator[Any], texts_of: Callable[[Any], list[str]]
) -> tuple[list[Any], list[str]]:
    """The first items of ``items`` (documents or line blocks) that hold the documents the
    collection IDF is counted on, and those documents' texts."""
    from textkit.keywords.collection import WINDOW, WINDOW_CHARS

    taken: list[Any] = []
    texts: list[str] = []
    chars = 0
    for item in items:
        taken.append(item)
        more = texts_of(item)
        texts += more
        chars += sum(map(len, more))
        if len(texts) >= WINDOW or chars >= WINDOW_CHARS:
            break
    return taken, texts


def _unit_texts(unit: Any) -> list[str]:
    """The texts of a unit of input; bad lines are left to the reading proper to report."""
    from textkit.io.readers import documents_of

    return [doc.text for doc in documents_of([unit], lambda failure: None)]


def _keywords_by_label(
    paths: list[str] | None,
    read: dict[str, Any],
    options: dict[str, Any],
    fmt: Any,
    header: bool,
    weights: bool,
    output: Path | None,
    reporter: Any,
) -> None:
    """``keywords --by-label``: rows (label, rank, keyword[, weight]); JSONL one object
    per label."""
    from textkit.errors import ConfigError
    from textkit.io.tabular import ReadStats, read_labeled
    from textkit.io.terminal import color_enabled
    from textkit.io.writers import RecordWriter
    from textkit.keywords.by_label import log_odds
    from textkit.keywords.extractor import KeywordExtractor

    if options["jieba_compat"]:
        raise ConfigError("--by-label and --jieba-compat do not go together")
    records = read_labeled(paths, stats=ReadStats(), on_error=reporter.input_failed, **read)
    extractor = KeywordExtractor(**options)
    counts: dict[str, Counter[str]] = {}
    count = 0
    for record in reporter.progress(records, "counting"):
        count += 1
        for label in record.labels or [record.label]:
            counts.setdefault(str(label), Counter()).update(extractor.terms(record.text))
    if len(counts) < 2:
        found = ", ".join(repr(label) for label in counts) or "none"
        raise DataFormatError(
            f"--by-label needs at least two labels, found {len(counts)} ({found}) in {count} rows",
            hint="give labeled rows (CSV, TSV or JSONL with a label column, or fastText); "
            "--label-col names the column",
        )
    ranked = log_odds(counts, options["top_k"])
    empty = sorted(label for label, found in ranked.items() if not found)
    if empty:  # too few rows for any term to stand out: say so rather than print nothing
        if len(empty) == len(ranked):
            which = "any label"
        elif len(empty) > EMPTY_LABELS_SHOWN:  # one line, however many labels
            shown = ", ".join(empty[:EMPTY_LABELS_SHOWN])
            which = f"{len(empty):,} of {len(ranked):,} labels ({shown} ...)"
        else:
            which = ", ".join(empty)
        reporter.warn(
            f"no term sets {which} apart in {count} rows (more rows per label are needed)"
        )
    columns = ["label", "rank", "keyword"] + (["weight"] if weights else [])
    with open_output(output, [*(paths or []), options["idf"], options["user_dict"]]) as stream:
        writer = RecordWriter(
            stream, resolve_format(fmt, stream), columns, header=header, color=color_enabled(stream)
        )
        for label, found in ranked.items():
            if weights:
                rows = [(label, i, w, z) for i, (w, z) in enumerate(found, 1)]
                listed = [{"keyword": w, "weight": z} for w, z in found]
            else:
                rows = [(label, i, w) for i, (w, _) in enumerate(found, 1)]
                listed = [{"keyword": w} for w, _ in found]
            writer.write(rows, {"label": label, "keywords": listed})
    raise typer.Exit(reporter.finish(count, "rows"))


def _warn_ignored_by_jieba_compat(
    ctx: typer.Context, tokenizer: str, phrases: bool, reporter: Any
) -> None:
    """--jieba-compat follows jieba's own rules: say which given options it leaves aside."""
    ignored = {
        "min_len": "--min-len",
        "tokenizer": "--tokenizer",
        "phrases": "--phrases",
        "window": "--window",
        "damping": "--damping",
        "tol": "--tol",
    }
    if tokenizer == "jieba":  # what it uses anyway
        del ignored["tokenizer"]
    if not phrases:  # --words: what it does anyway
        del ignored["phrases"]
    given = given_options(ctx, ignored)
    if given:
        reporter.warn(f"--jieba-compat follows jieba's rules and ignores {', '.join(given)}")


def idf(
    paths: Paths = None,
    lines: Lines = False,
    glob: Glob = DEFAULT_GLOB,
    encoding: Encoding = AUTO,
    encoding_errors: EncodingErrors = ErrorMode.replace,
    data_format: DataFormatOpt = None,
    text_col: TextCol = None,
    min_df: Annotated[
        int, typer.Option("--min-df", min=1, help="Leave out words in fewer documents.")
    ] = 1,
    blend: Annotated[
        bool,
        typer.Option(
            "--blend/--no-blend",
            help="Blend the corpus's counts with jieba's IDF table, by corpus size.",
        ),
    ] = True,
    all_words: Annotated[
        bool,
        typer.Option("--all-words", help="Keep function words, numbers and stopwords too."),
    ] = False,
    user_dict: UserDict = None,
    tokenizer: Tokenizer = "fast",
    output: Output = None,
    quiet: Quiet = False,
) -> None:
    """Build an IDF table from your corpus, in jieba's 'word idf' format.

    By default the corpus's document frequencies are blended with jieba's table (a small
    corpus leans on it, a large one on its own counts) and function words are left out.
    --no-blend: idf = ln((1 + N) / (1 + df)) + 1 for N documents; a word in df of them.

    Example: textkit idf --lines corpus.txt -o idf.txt && textkit keywords --idf idf.txt doc.txt
    """
    from textkit.io.readers import iter_documents
    from textkit.io.terminal import Reporter
    from textkit.text.idf import build_idf, load_idf, write_idf
    from textkit.text.tokenizer import Tokenizer as TokenizerClass

    check_backend(tokenizer)
    segmenter = TokenizerClass(user_dict=user_dict, backend=tokenizer)
    reporter = Reporter(quiet=quiet)
    read = read_options(lines, glob, encoding, encoding_errors, data_format, text_col)
    documents = iter_documents(paths, on_error=reporter.input_failed, **read)
    meter = reporter.input_meter(paths, glob)
    if meter is not None:
        documents = meter.watch(documents)
    count = 0

    from textkit.text.normalize import prepare

    def tokenized() -> Iterator[list[str]]:
        nonlocal count
        for doc in reporter.progress(documents, "counting", meter=meter):
            count += 1
            # Traditional text is counted in simplified words, as keywords looks them up.
            prepared = prepare(doc.text)
            yield segmenter.cut(doc.text if prepared is None else prepared.text)

    keep = None
    if not all_words:
        from textkit.keywords.lexicon import content_words
        from textkit.text.stopwords import load_stopwords

        stop = load_stopwords()
        keep = lambda words: content_words(words, stop)  # noqa: E731
    background = load_idf() if blend else None
    table = build_idf(tokenized(), min_df=min_df, background=background, keep=keep)
    if not table:
        raise DataFormatError(
            f"no words in {count} document(s) reach --min-df {min_df}", hint="nothing written"
        )
    with open_output(output, [*(paths or []), user_dict], glob) as stream:
        write_idf(table, stream)
    raise typer.Exit(reporter.finish(count))
