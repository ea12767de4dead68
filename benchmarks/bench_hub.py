"""Pretrained-transformer benchmark: fit and predict speed of the keras-hub estimators.

BERT-style backbones of increasing size, **randomly initialised** (this machine
cannot download pretrained weights, and speed does not depend on the values of the
weights), written to a temporary preset directory with keras-hub's
``save_to_preset`` and loaded back as a user's preset is. Each is fine-tuned by
:class:`~sklearn_aidetect.PretrainedTransformerClassifier` for one epoch on HC3
answers (``hc3_en_qa.csv.gz`` of ``../shared/data``) and scores other answers;
:class:`~sklearn_aidetect.PretrainedTransformerVectorizer` reads the same documents.
The vocabulary (a WordPiece vocabulary of 8,000 entries, trained on the training
texts) is the same for every size. Throughput only: random weights say nothing
about accuracy, so there is no ROC AUC column.

Sizes: ``tiny-test`` is the preset of the unit tests (1 layer, width 8);
``bert-tiny`` and ``bert-small`` have the shapes of keras-hub's ``bert_tiny_en`` (2
layers, width 128) and ``bert_small_en`` (4 layers, width 512); ``bert-base`` is
BERT-base (12 layers, width 768, 110 M parameters with a full vocabulary), measured
on fewer documents. On a machine with a GPU, TensorFlow runs there and the estimators
compute in bfloat16 (``mixed_precision="auto"``); the table names the device.

Usage::

    python benchmarks/bench_hub.py [--data DIR] [--sizes A,B] [--max-length N]
        [--output FILE]
"""

import argparse
import shlex
import sys
import tempfile
import time
from pathlib import Path

from _common import load_rows, machine, markdown, write_report

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data"

# name -> (layers, width, heads, training documents, scored documents)
SIZES = {
    "tiny-test": (1, 8, 1, 512, 2000),
    "bert-tiny": (2, 128, 2, 512, 2000),
    "bert-small": (4, 512, 8, 128, 256),
    "bert-base": (12, 768, 12, 32, 64),
}


def write_preset(folder, vocabulary, layers, width, heads, max_length):
    import keras_hub

    keras_hub.models.BertBackbone(
        vocabulary_size=len(vocabulary),
        num_layers=layers,
        num_heads=heads,
        hidden_dim=width,
        intermediate_dim=4 * width,
        max_sequence_length=max_length,
    ).save_to_preset(folder)
    keras_hub.models.BertTokenizer(
        vocabulary=vocabulary, lowercase=True
    ).save_to_preset(folder)


def train_vocabulary(texts):
    from tokenizers import BertWordPieceTokenizer

    tokenizer = BertWordPieceTokenizer(lowercase=True)
    tokenizer.train_from_iterator(texts, vocab_size=8000)
    vocabulary = tokenizer.get_vocab()
    return sorted(vocabulary, key=vocabulary.get)


def measure(name, vocabulary, train, test, max_length):
    import numpy as np

    from sklearn_aidetect import (
        PretrainedTransformerClassifier,
        PretrainedTransformerVectorizer,
    )

    layers, width, heads, n_train, n_test = SIZES[name]
    train_X, train_y = train[0][:n_train], train[1][:n_train]
    test_X = test[:n_test]
    with tempfile.TemporaryDirectory() as preset:
        write_preset(preset, vocabulary, layers, width, heads, max_length)
        classifier = PretrainedTransformerClassifier(
            preset,
            max_length=max_length,
            epochs=1,
            validation_split=0.0,
            patience=None,
            random_state=0,
        )
        start = time.perf_counter()
        classifier.fit(train_X, train_y)
        fit = time.perf_counter() - start
        start = time.perf_counter()
        proba = classifier.predict_proba(test_X)
        predict = time.perf_counter() - start
        assert np.isfinite(proba).all()
        vectorizer = PretrainedTransformerVectorizer(preset, max_length=max_length)
        vectorizer.fit()
        start = time.perf_counter()
        vectorizer.transform(test_X)
        vectors = time.perf_counter() - start
        parameters = classifier.model_.count_params()
    return [
        name,
        f"{parameters / 1e6:.2f} M",
        str(len(train_X)),
        f"{fit:.1f}",
        f"{len(train_X) / fit:.1f}",
        str(len(test_X)),
        f"{len(test_X) / predict:.1f}",
        f"{len(test_X) / vectors:.1f}",
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--max-length", type=int, default=256)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)

    rows = load_rows(args.data / "hc3_en_qa.csv.gz")
    rng_order = sorted(range(len(rows)), key=lambda i: (i * 2654435761) % 2**32)
    rows = [rows[i] for i in rng_order]  # a fixed shuffle: both classes early on
    texts = [row["text"] for row in rows]
    labels = [int(row["label"]) for row in rows]
    train = (texts[:1000], labels[:1000])
    test = texts[1000:4000]
    vocabulary = train_vocabulary(train[0])

    table = []
    for name in args.sizes.split(","):
        started = time.perf_counter()
        table.append(measure(name, vocabulary, train, test, args.max_length))
        print(f"{name}: {time.perf_counter() - started:.0f} s", file=sys.stderr)

    import tensorflow as tf

    command = shlex.join(argv or sys.argv[1:])
    device = "GPU" if tf.config.list_physical_devices("GPU") else "CPU"
    header = [
        "backbone",
        "parameters",
        "fit docs",
        "fit s (1 epoch)",
        "fit docs/s",
        "scored docs",
        "predict docs/s",
        "vectors docs/s",
    ]
    report = "\n\n".join(
        [
            "# Pretrained transformers: speed (random weights)",
            f"Command: `python benchmarks/bench_hub.py {command}`; "
            f"max_length={args.max_length}; HC3 answers; on the {device}.",
            f"Machine: {machine('tensorflow', 'keras', 'keras-hub')}",
            markdown(header, table),
            "Throughput only: the weights are random, so no accuracy is reported. Fit "
            "includes loading the preset and tracing the training step; predict and "
            "vectors exclude loading (the estimator is fitted).",
        ]
    )
    print(report)
    if args.output:
        write_report(args.output, report)


if __name__ == "__main__":
    main()
