"""Tokenization benchmark: fit time, throughput and size of every tokenizer.

Runs on the 5,995 OUTFOX essays of ``../shared/data`` and prints two markdown tables:

1. per tokenizer: fit seconds, documents per second in ``transform``, tokens per
   document, vocabulary size and pickled size of the fitted tokenizer;
2. ``BPETokenizer.transform`` against calling ``tokenizers``' own ``encode_batch`` on
   the same fitted tokenizer, timed in interleaved rounds so that both see the same
   machine load.

Usage::

    python benchmarks/bench_tokenization.py [--data PATH] [--repeats 5]
        [--output benchmarks/results/tokenization.md]
"""

import argparse
import pickle
import statistics
import sys
import time
from pathlib import Path

from _common import DEFAULT_DATA, load_rows, machine, markdown, write_report

from sklearn_aidetect import (
    BPETokenizer,
    UnigramTokenizer,
    WordPieceTokenizer,
    WordTokenizer,
)


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def tokenizer_table(texts, repeats):
    candidates = [
        ("WordTokenizer()", WordTokenizer()),
        ("BPETokenizer(vocab_size=30000)", BPETokenizer(vocab_size=30000)),
        ("WordPieceTokenizer(vocab_size=30000)", WordPieceTokenizer(vocab_size=30000)),
        ("UnigramTokenizer(vocab_size=30000)", UnigramTokenizer(vocab_size=30000)),
        ("UnigramTokenizer(vocab_size=8000)", UnigramTokenizer(vocab_size=8000)),
    ]
    rows = []
    for label, tokenizer in candidates:
        fit_seconds = [timed(lambda t=tokenizer: t.fit(texts))[0] for _ in range(2)]
        transform_seconds = []
        for _ in range(repeats):
            seconds, tokens = timed(lambda t=tokenizer: t.transform(texts))
            transform_seconds.append(seconds)
        vocabulary = getattr(tokenizer, "vocabulary_", None)
        rows.append(
            [
                label,
                f"{min(fit_seconds):.2f}",
                f"{len(texts) / statistics.median(transform_seconds):,.0f}",
                f"{sum(map(len, tokens)) / len(texts):.0f}",
                "-" if vocabulary is None else f"{len(vocabulary):,}",
                f"{len(pickle.dumps(tokenizer)) / 1e6:.2f}",
            ]
        )
        print(f"  done: {label}", file=sys.stderr)
    header = [
        "tokenizer",
        "fit s (best of 2)",
        f"transform docs/s (median of {repeats})",
        "tokens/doc",
        "vocabulary",
        "pickled MB",
    ]
    return markdown(header, rows)


def overhead_table(texts, repeats):
    tokenizer = BPETokenizer(vocab_size=30000).fit(texts)
    raw = tokenizer.tokenizer_
    contenders = {
        "tokenizers: encode_batch(texts)": lambda: raw.encode_batch(
            texts, add_special_tokens=False
        ),
        "tokenizers: encode_batch_fast(texts)": lambda: raw.encode_batch_fast(
            texts, add_special_tokens=False
        ),
        "tokenizers: encode_batch(texts) + .tokens": lambda: [
            encoding.tokens
            for encoding in raw.encode_batch(texts, add_special_tokens=False)
        ],
        "tokenizers: encode_batch(texts) + .ids": lambda: [
            encoding.ids
            for encoding in raw.encode_batch(texts, add_special_tokens=False)
        ],
    }
    for output in ["tokens", "ids", "text"]:
        fitted = BPETokenizer(vocab_size=30000, output=output)
        fitted.tokenizer_, fitted.vocabulary_ = raw, tokenizer.vocabulary_
        contenders[f'BPETokenizer(output="{output}").transform(texts)'] = (
            lambda f=fitted: f.transform(texts)
        )
    seconds = {name: [] for name in contenders}
    names = list(contenders)
    for round_ in range(repeats):
        # Interleaved, and in a rotated order, so that changes of machine load and
        # memory state hit every contender alike.
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            seconds[name].append(timed(contenders[name])[0])
    # The load of this shared machine drifts between rounds; each call is compared
    # with encode_batch in the same round, and the median of those ratios is shown.
    base = seconds["tokenizers: encode_batch(texts)"]
    rows = []
    for name, values in seconds.items():
        ratios = [value / reference for value, reference in zip(values, base)]
        rows.append(
            [
                name,
                f"{statistics.median(values):.3f}",
                f"{min(values):.3f}",
                f"{len(texts) / statistics.median(values):,.0f}",
                f"{statistics.median(ratios):.2f}",
            ]
        )
    header = [
        "call (BPE, vocab 30,000)",
        f"median s of {repeats}",
        "best s",
        "docs/s (median)",
        "time / encode_batch (median of per-round ratios)",
    ]
    return markdown(header, rows)


TABLES = {"tokenizers": tokenizer_table, "overhead": overhead_table}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--output", type=Path, help="also write the report here")
    parser.add_argument(
        "--tables",
        nargs="+",
        choices=["tokenizers", "overhead"],
        default=["tokenizers", "overhead"],
        help="which tables to make (default: both)",
    )
    args = parser.parse_args(argv)
    if not args.data.is_file():
        parser.error(f"{args.data} not found: pass --data PATH to outfox_essays.csv.gz")

    texts = [row["text"] for row in load_rows(args.data)]
    megabytes = sum(map(len, texts)) / 1e6
    print(f"{len(texts):,} documents, {megabytes:.1f} M characters", file=sys.stderr)
    report = "\n\n".join(
        [
            "# Tokenization benchmark",
            f"Data: {args.data.name}, {len(texts):,} documents, "
            f"{megabytes:.1f} M characters.  \n"
            f"Machine: {machine('tokenizers', 'scikit-learn', 'sklearn_aidetect')}.",
            *(
                TABLES[table](texts, args.repeats)
                for table in ["tokenizers", "overhead"]
                if table in args.tables
            ),
        ]
    )
    print(report)
    if args.output:
        write_report(args.output, report)


if __name__ == "__main__":
    main()
