"""Bad input: one table of cases, run through every public estimator and command.

``CASES`` is the table. Each case says what input to build for each kind of input
an estimator reads (documents, token lists, token-id lists, a feature matrix) and
for the command line (a CSV file, a ``--set``, a model file), and what must come of
it: either the documented output (one row per document, say) or an error of type
``ValueError`` or ``TypeError`` raised by this library or by scikit-learn's
validation code (``sklearn/utils``), never from deep inside numpy, gensim,
tokenizers or Keras, whose message holds the case's keyword. A command must exit
with status 1 or 2 and print exactly one line on stderr, without a traceback.

``ESTIMATORS`` holds every public estimator and every ready-made detector,
``COMMANDS`` every command that reads data. A combination that does not apply is
skipped with its reason (see ``_not_applicable``). The last test checks the size
of the table: 20 cases x (38 estimators + 4 commands) = 840 combinations, of which
718 are tried (674 on estimators, 44 on commands) and 122 skipped as not applicable
(86 and 36). ``aidetect explain`` and ``generate`` have their bad-input tests in
test_explanation.py and test_generation.py.
"""

import csv
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse
import sklearn.utils
from conftest import (
    ENSEMBLE_MEMBERS,
    HUMAN_TEXTS,
    MACHINE_TEXTS,
    ensemble_settings,
    make_tiny_preset,
    write_csv,
)
from sklearn.base import BaseEstimator

import sklearn_aidetect
from sklearn_aidetect import (
    BPETokenizer,
    CharNGramVectorizer,
    Doc2VecVectorizer,
    FastTextVectorizer,
    LogOddsMultinomialNB,
    PretrainedTokenizer,
    PretrainedTransformerClassifier,
    PretrainedTransformerVectorizer,
    PretrainedVectorizer,
    StopWordRemover,
    StyleVectorizer,
    TextNormalizer,
    TokenNGramVectorizer,
    TokenProbabilityVectorizer,
    TypoAugmenter,
    UnigramTokenizer,
    VocabularyFilter,
    Word2VecVectorizer,
    WordPieceTokenizer,
    WordTokenizer,
    list_detectors,
    make_detector,
    save_model,
)
from sklearn_aidetect.cli import main

# --- Inputs --------------------------------------------------------------------------

# Emoji (with a skin-tone modifier and a zero-width-joiner family), right-to-left
# Arabic and Hebrew with a direction mark, and zero-width and invisible characters.
EXOTIC = [
    "I loved it \U0001f600\U0001f389\U0001f44d\U0001f3fd so much \U0001f468\u200d"
    "\U0001f469\u200d\U0001f467 lol",
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645 "
    "\u05e9\u05dc\u05d5\u05dd \u200fin conclusion\u200e",
    "zero\u200bwidth\u200cjoin\u200dand\u2060word\ufeff \u2066isolated\u2069 text",
]
DOCUMENTS = HUMAN_TEXTS + MACHINE_TEXTS + EXOTIC
LABELS = [0] * len(HUMAN_TEXTS) + [1] * len(MACHINE_TEXTS) + [0, 1, 0]
FIVE_MB = 5_000_000


def _big_document():
    """About 5 MB of ordinary essay text in one document."""
    paragraph = " ".join(HUMAN_TEXTS + MACHINE_TEXTS) + "\n"
    return paragraph * (FIVE_MB // len(paragraph) + 1)


_CACHE = {}


def _cached(key, make):
    if key not in _CACHE:
        _CACHE[key] = make()
    return _CACHE[key]


def _tokens(documents):
    return WordTokenizer().transform(documents)


def _ids(documents):
    tokenizer = _cached(
        "id-tokenizer",
        lambda: BPETokenizer(vocab_size=300, output="ids").fit(DOCUMENTS),
    )
    return tokenizer.transform(documents)


def _training_set(kind):
    """What each kind of estimator is fitted on: the documents, in its kind."""
    if kind == "documents":
        return DOCUMENTS
    if kind == "tokens":
        return _cached("tokens", lambda: _tokens(DOCUMENTS))
    if kind == "ids":
        return _cached("ids", lambda: _ids(DOCUMENTS))
    # Non-negative, as counts and TF-IDF are: naive Bayes refuses negative features.
    return np.abs(np.random.default_rng(0).normal(size=(len(DOCUMENTS), 5)))


def _big(kind):
    if kind == "documents":
        return [_cached("big", _big_document)]
    if kind == "tokens":
        return [_cached("big-tokens", lambda: _tokens(_big(kind="documents"))[0])]
    # 5 MB of int64 token ids, all of them ids the classifiers have seen.
    seen = np.concatenate(_training_set("ids"))
    return [np.resize(seen, FIVE_MB // 8).tolist()]


# --- The estimators ------------------------------------------------------------------


@dataclass(frozen=True)
class Estimator:
    """One estimator under test, and what its documentation promises.

    ``kind``: what it reads ("documents", "tokens", "ids" or "matrix");
    ``supervised``: a binary classifier (fit needs y, apply is predict_proba);
    ``fit_reads``: "learns" from X, "checks" X when given (but needs none, and
    learns nothing), or "ignores" X; ``requires_fit``: whether apply needs fit;
    ``empty_documents``: whether a document with no tokens gets a row (else it is
    an error); ``invalid``: a bad number and a bad option for its parameters.
    """

    name: str
    build: object  # (files, **params) -> estimator
    kind: str
    supervised: bool = False
    fit_reads: str = "learns"
    requires_fit: bool = True
    empty_documents: bool = True
    invalid: dict = field(default_factory=dict)

    def __str__(self):
        return self.name


def _estimator(cls, kind="documents", *, needs=None, **small):
    def build(files, **params):
        path = () if needs is None else (getattr(files, needs),)
        return cls(*path, **{**small, **params})

    return build


def _neural(name, **small):
    training = {"epochs": 1, "validation_split": 0.0, "patience": None}

    def build(files, **params):
        cls = getattr(sklearn_aidetect, name)
        return cls(**{**training, "random_state": 0, **small, **params})

    return build


_NEURAL_STEPS = {
    "classifier__epochs": 1,
    "classifier__validation_split": 0.0,
    "classifier__patience": None,
}
_DETECTOR_SETTINGS = {
    "tfidf-logistic": {"vectorizer__min_df": 1},
    "tfidf-ensemble": {
        "tokenizer__vocab_size": 300,
        "vectorizer__min_df": 1,
        "vectorizer__ngram_range": (1, 1),
    },
    "bpe-naive-bayes": {
        "tokenizer__vocab_size": 300,
        "vectorizer__ngram_range": (1, 1),
    },
    "tfidf-wordchar": {
        "vectorizer__word__min_df": 1,
        "vectorizer__char__min_df": 1,
        "vectorizer__char__ngram_range": (1, 2),
    },
    "transfer-vote": {
        "classifier__features__vectorizer__tokens__tokenizer__vocab_size": 300,
        "classifier__features__vectorizer__tokens__cv": 3,
        "classifier__bpe__tokenizer__vocab_size": 300,
        "classifier__bpe__vectorizer__ngram_range": (1, 1),
    },
    "doc2vec-dense": {
        **_NEURAL_STEPS,
        "vectorizer__min_count": 1,
        "vectorizer__vector_size": 8,
        "classifier__hidden_layer_sizes": (8,),
    },
    "fasttext-dense": {
        **_NEURAL_STEPS,
        "vectorizer__min_count": 1,
        "vectorizer__vector_size": 8,
        "vectorizer__bucket": 1000,
        "classifier__hidden_layer_sizes": (8,),
    },
    "bpe-cnn": {
        **_NEURAL_STEPS,
        "tokenizer__vocab_size": 300,
        "classifier__maxlen": 16,
        "classifier__embedding_dim": 8,
        "classifier__filters": 8,
    },
    "bpe-rnn": {
        **_NEURAL_STEPS,
        "tokenizer__vocab_size": 300,
        "classifier__maxlen": 16,
        "classifier__embedding_dim": 8,
        "classifier__units": 4,
        "classifier__bidirectional": False,
    },
    "bpe-transformer": {
        **_NEURAL_STEPS,
        "tokenizer__vocab_size": 300,
        "classifier__maxlen": 16,
        "classifier__embedding_dim": 8,
        "classifier__ff_dim": 8,
        "classifier__num_heads": 1,
    },
    "bert-finetune": {**_NEURAL_STEPS, "classifier__max_length": 16},
}
for _name in ENSEMBLE_MEMBERS:
    _DETECTOR_SETTINGS[_name] = ensemble_settings(_DETECTOR_SETTINGS, _name)
# A negative or zero number, and an unknown option string, per detector.
_DETECTOR_INVALID = {
    "tfidf-logistic": (
        {"classifier__C": -1.0},
        {"vectorizer__analyzer": "words"},
    ),
    "tfidf-ensemble": (
        {"tokenizer__vocab_size": -300},
        {"classifier__voting": "majority"},
    ),
    "bpe-naive-bayes": (
        {"classifier__estimator__alpha": -1.0},
        {"classifier__method": "platt"},
    ),
    "tfidf-wordchar": (
        {"classifier__estimator__alpha": -1.0},
        {"vectorizer__char__norm": "l3"},
    ),
    "tfidf-wordchar-bpe": (
        {"classifier__bpe__vectorizer__min_df": -1},
        {"classifier__wordchar__vectorizer__word__analyzer": "words"},
    ),
    "tfidf-cross-domain": (
        {"classifier__bpe__classifier__machine__estimator__alpha": -1.0},
        {"classifier__bpe__classifier__machine__estimator__evidence": "machine"},
    ),
    "transfer-vote": (
        {"classifier__features__vectorizer__tokens__order": 0},
        {"classifier__features__vectorizer__style__features": ["commas"]},
    ),
    "doc2vec-dense": (
        {"vectorizer__vector_size": 0},
        {"vectorizer__algorithm": "pv-dbw"},
    ),
    "fasttext-dense": (
        {"classifier__epochs": 0},
        {"vectorizer__pooling": "median"},
    ),
    "bpe-cnn": ({"classifier__epochs": 0}, {"tokenizer__pre_tokenizer": "spaces"}),
    "bpe-rnn": ({"classifier__maxlen": -16}, {"classifier__cell": "transformer"}),
    "bpe-transformer": (
        {"classifier__ff_dim": 0},
        {"classifier__optimizer": "adagrad"},
    ),
    "wordchar-transformer": (
        {"classifier__transformer__classifier__ff_dim": 0},
        {"classifier__voting": "majority"},
    ),
    "bert-finetune": ({"classifier__max_length": 0}, {"classifier__pooling": "max"}),
}


# Detector settings that name one of the files the tests write (_Files).
_DETECTOR_FILES = {"bert-finetune": {"classifier__preset": "preset"}}


def _detector(name):
    def build(files, **params):
        paths = {
            key: getattr(files, attribute)
            for key, attribute in _DETECTOR_FILES.get(name, {}).items()
        }
        settings = {**_DETECTOR_SETTINGS[name], **paths, **params}
        return make_detector(name, random_state=0, **settings)

    return build


# Detectors with a sequence network, which needs a token per document to score.
_SEQUENCE_DETECTORS = {"bpe-cnn", "bpe-rnn", "bpe-transformer", "wordchar-transformer"}


def _invalid(number, option):
    return {"invalid_number": number, "invalid_option": option}


ESTIMATORS = [
    Estimator(
        "TextNormalizer",
        _estimator(TextNormalizer),
        "documents",
        fit_reads="checks",
        requires_fit=False,
        invalid=_invalid({"min_latin_share": -0.5}, {"nfkc": "yes"}),
    ),
    Estimator(
        "TypoAugmenter",
        _estimator(TypoAugmenter, random_state=0),
        "documents",
        fit_reads="checks",
        requires_fit=False,
        invalid=_invalid({"typo_rate": -0.5}, {"only_label": "machine"}),
    ),
    Estimator(
        "WordTokenizer",
        _estimator(WordTokenizer),
        "documents",
        fit_reads="checks",
        requires_fit=False,
        invalid=_invalid(None, {"output": "ids"}),
    ),
    Estimator(
        "BPETokenizer",
        _estimator(BPETokenizer, vocab_size=300),
        "documents",
        invalid=_invalid({"vocab_size": -300}, {"pre_tokenizer": "spaces"}),
    ),
    Estimator(
        "WordPieceTokenizer",
        _estimator(WordPieceTokenizer, vocab_size=300),
        "documents",
        invalid=_invalid({"min_frequency": -1}, {"normalization": "nfc"}),
    ),
    Estimator(
        "UnigramTokenizer",
        _estimator(UnigramTokenizer, vocab_size=100),
        "documents",
        invalid=_invalid({"shrinking_factor": 0.0}, {"output": "pieces"}),
    ),
    Estimator(
        "PretrainedTokenizer",
        _estimator(PretrainedTokenizer, needs="tokenizer_json"),
        "documents",
        fit_reads="ignores",
        invalid=_invalid({"max_length": 0}, {"output": "words"}),
    ),
    Estimator(
        "StopWordRemover",
        _estimator(StopWordRemover),
        "tokens",
        fit_reads="ignores",
        requires_fit=False,
        invalid=_invalid(None, {"stop_words": "french"}),
    ),
    Estimator(
        "VocabularyFilter",
        _estimator(VocabularyFilter),
        "tokens",
        invalid=_invalid({"no_below": -1}, {"output": "words"}),
    ),
    Estimator(
        "Doc2VecVectorizer",
        _estimator(Doc2VecVectorizer, vector_size=8, min_count=1, random_state=0),
        "tokens",
        invalid=_invalid({"vector_size": -8}, {"algorithm": "skip-gram"}),
    ),
    Estimator(
        "Word2VecVectorizer",
        _estimator(Word2VecVectorizer, vector_size=8, min_count=1, random_state=0),
        "tokens",
        invalid=_invalid({"epochs": 0}, {"pooling": "median"}),
    ),
    Estimator(
        "FastTextVectorizer",
        _estimator(
            FastTextVectorizer, vector_size=8, min_count=1, bucket=1000, random_state=0
        ),
        "tokens",
        invalid=_invalid({"min_n": 0}, {"algorithm": "sg"}),
    ),
    Estimator(
        "PretrainedVectorizer",
        _estimator(PretrainedVectorizer, needs="vectors_txt"),
        "tokens",
        fit_reads="checks",
        invalid=_invalid({"limit": 0}, {"file_format": "glove6B"}),
    ),
    Estimator(
        "TokenNGramVectorizer",
        _estimator(TokenNGramVectorizer, ngram_range=(1, 2)),
        "ids",
        invalid=_invalid({"min_df": 0}, {"norm": "l3"}),
    ),
    Estimator(
        "TokenProbabilityVectorizer",
        # With the "all" reference alone y is not needed, as for the other
        # transformers; tests/test_token_probability.py covers the class ones.
        _estimator(
            TokenProbabilityVectorizer,
            references=("all",),
            tokenizer=BPETokenizer(vocab_size=300),
            cv=3,
            random_state=0,
        ),
        "documents",
        invalid=_invalid({"order": 0}, {"references": ("all", "humans")}),
    ),
    Estimator(
        "CharNGramVectorizer",
        _estimator(CharNGramVectorizer, ngram_range=(1, 3)),
        "documents",
        invalid=_invalid({"min_df": -1}, {"norm": "l3"}),
    ),
    Estimator(
        "StyleVectorizer",
        _estimator(StyleVectorizer),
        "documents",
        fit_reads="checks",
        invalid=_invalid({"window": 0}, {"features": ["commas"]}),
    ),
    Estimator(
        "DenseClassifier",
        _neural("DenseClassifier", hidden_layer_sizes=(8,)),
        "matrix",
        supervised=True,
        invalid=_invalid({"epochs": 0}, {"activation": "swish"}),
    ),
    Estimator(
        "PretrainedTransformerVectorizer",
        _estimator(PretrainedTransformerVectorizer, needs="preset", max_length=16),
        "documents",
        fit_reads="checks",
        invalid=_invalid({"max_length": 0}, {"pooling": "max"}),
    ),
    Estimator(
        "PretrainedTransformerClassifier",
        _estimator(
            PretrainedTransformerClassifier,
            needs="preset",
            max_length=16,
            epochs=1,
            validation_split=0.0,
            patience=None,
            random_state=0,
        ),
        "documents",
        supervised=True,
        invalid=_invalid({"dropout": -0.1}, {"pooling": "max"}),
    ),
    Estimator(
        "LogOddsMultinomialNB",
        _estimator(LogOddsMultinomialNB),
        "matrix",
        supervised=True,
        invalid=_invalid({"alpha": -1.0}, {"evidence": "machine"}),
    ),
    Estimator(
        "CNNClassifier",
        _neural("CNNClassifier", maxlen=16, embedding_dim=8, filters=8),
        "ids",
        supervised=True,
        empty_documents=False,
        invalid=_invalid({"maxlen": 0}, {"optimizer": "adagrad"}),
    ),
    Estimator(
        "RNNClassifier",
        _neural(
            "RNNClassifier", maxlen=16, embedding_dim=8, units=4, bidirectional=False
        ),
        "ids",
        supervised=True,
        empty_documents=False,
        invalid=_invalid({"units": -4}, {"cell": "transformer"}),
    ),
    Estimator(
        "TransformerClassifier",
        _neural(
            "TransformerClassifier", maxlen=16, embedding_dim=8, ff_dim=8, num_heads=1
        ),
        "ids",
        supervised=True,
        empty_documents=False,
        invalid=_invalid({"ff_dim": 0}, {"optimizer": "adagrad"}),
    ),
    *(
        Estimator(
            info.name,
            _detector(info.name),
            "documents",
            supervised=True,
            empty_documents=info.name not in _SEQUENCE_DETECTORS,
            invalid=_invalid(*_DETECTOR_INVALID[info.name]),
        )
        for info in list_detectors()
    ),
]

# --- The commands --------------------------------------------------------------------

COMMANDS = ["train", "evaluate", "search", "predict"]
FAST = ["--detector", "tfidf-logistic", "--set", "vectorizer__min_df=1"]

# --- The table of cases --------------------------------------------------------------

KINDS = ("documents", "tokens", "ids", "matrix")


@dataclass(frozen=True)
class Case:
    """One bad input.

    ``inputs`` maps each kind of estimator input to the bad X (a callable makes it
    when called); the labels are the usual ones, of the same length. ``y`` instead
    gives bad labels for the usual X; ``params`` names the invalid parameters of
    ``Estimator.invalid``; ``unfitted`` applies an estimator never fitted.
    ``stages`` says whether fit, apply (transform or predict_proba) or both are
    tried. ``keyword`` must be in the error (a regular expression, case ignored);
    ``rows`` is the number of rows the documented output has. ``csv`` (header and
    rows, or raw bytes) and ``cli`` (extra arguments) build the command-line case;
    ``cli_keyword`` must be in its one line of error.
    """

    name: str
    what: str
    keyword: str = ""
    inputs: dict = field(default_factory=dict)
    y: object = None
    params: str = ""
    unfitted: bool = False
    stages: tuple = ("fit", "apply")
    rows: int = 0
    csv: object = None
    cli: tuple = ()
    cli_keyword: str = ""
    cli_works: tuple = ()  # commands for which the case is documented to work
    not_applicable: dict = field(default_factory=dict)  # kind or command -> reason


def _corpus_rows(labels=None):
    labels = LABELS[:24] if labels is None else labels
    return [[text, label] for text, label in zip(DOCUMENTS[:24], labels)]


_NOT_A_CSV_CASE = (
    "a CSV file always gives the commands a list of str, one per row; the empty, "
    "invalid-UTF-8 and ragged-row cases cover what a file can get wrong"
)
_TEXT_ONLY = "a classifier of feature matrices reads numbers: no text to be {}"


CASES = [
    Case(
        "bare_string",
        "a single str instead of a list of documents (or of token lists)",
        keyword="single str|not text",
        inputs=dict.fromkeys(KINDS, "an essay"),
        not_applicable={"commands": _NOT_A_CSV_CASE},
    ),
    Case(
        "none",
        "None instead of the documents",
        keyword="None",
        inputs=dict.fromkeys(KINDS),
        not_applicable={"commands": _NOT_A_CSV_CASE},
    ),
    Case(
        "nan_document",
        "float('nan') (a missing value) instead of the documents",
        keyword="NaN",
        inputs=dict.fromkeys(KINDS, math.nan),
        not_applicable={"commands": _NOT_A_CSV_CASE},
    ),
    Case(
        "nan_in_list",
        "a NaN among the documents (a missing text in a pandas column)",
        keyword="nan",
        inputs={
            "documents": ["an essay", math.nan],
            "tokens": [["an", "essay"], math.nan],
            "ids": [[5, 6, 7], math.nan],
            "matrix": np.array([[0.5, math.nan, 1.0, 0.0, 2.0]] * 2),
        },
        not_applicable={
            "commands": "a missing cell in a CSV file is an empty str: the "
            "empty_strings case"
        },
    ),
    Case(
        "bytes",
        "bytes documents (undecoded text)",
        keyword="bytes",
        inputs={
            "documents": [b"an essay", b"caf\xc3\xa9"],
            "tokens": [[b"an", b"essay"], [b"caf\xc3\xa9"]],
            "ids": [b"\x05\x06", b"\x07"],
        },
        not_applicable={
            "matrix": _TEXT_ONLY.format("decoded"),
            "commands": "the commands decode the file: the invalid_utf8 case",
        },
    ),
    Case(
        "numbers",
        "numbers as documents",
        keyword="int|2D array",
        inputs={kind: [1, 2] for kind in KINDS},
        not_applicable={"commands": _NOT_A_CSV_CASE},
    ),
    Case(
        "nested_lists",
        "a list of lists of lists (one level too deep)",
        keyword="list|flat sequence|dim 3",
        inputs={
            "documents": [[["an", "essay"]], [["another"]]],
            "tokens": [[["an", "essay"]], [["another"]]],
            "ids": [[[5, 6]], [[7]]],
            "matrix": np.ones((2, 3, 5)),
        },
        not_applicable={"commands": _NOT_A_CSV_CASE},
    ),
    Case(
        "empty_corpus",
        "an empty corpus []; for commands a file with a header only",
        keyword="empty",
        inputs={kind: [] for kind in KINDS},
        rows=0,
        csv=(["text", "label"], []),
        cli_keyword="no data rows",
    ),
    Case(
        "empty_strings",
        'empty documents ["", ""]; for commands empty text cells',
        keyword="all empty|no tokens",
        inputs={"documents": ["", ""], "tokens": [[], []], "ids": [[], []]},
        rows=2,
        csv=(["text", "label"], [["", 0], ["", 1], *_corpus_rows()]),
        cli_keyword="empty text",
        not_applicable={"matrix": _TEXT_ONLY.format("empty")},
    ),
    Case(
        "big_document",
        "a 5 MB document (apply only: fitting on it is the commands' case)",
        inputs={
            "documents": lambda: _big("documents"),
            "tokens": lambda: _big("tokens"),
            "ids": lambda: _big("ids"),
        },
        stages=("apply",),
        rows=1,
        csv=lambda: (["text", "label"], [[_big("documents")[0], 1], *_corpus_rows()]),
        cli_works=tuple(COMMANDS),
        not_applicable={"matrix": _TEXT_ONLY.format("long")},
    ),
    Case(
        "invalid_utf8",
        "a CSV file with bytes that are not UTF-8 (Latin-1)",
        csv=b"text,label\nmy essay,0\nun caf\xe9 au lait,1\n",
        cli_keyword="not UTF-8",
        not_applicable={
            "estimators": "estimators get decoded str; undecoded text is the bytes case"
        },
    ),
    Case(
        "exotic_text",
        "emoji, right-to-left and zero-width text: must work, one row per document",
        inputs={
            "documents": EXOTIC,
            "tokens": lambda: _tokens(EXOTIC),
            "ids": lambda: _ids(EXOTIC),
        },
        stages=("apply",),  # every estimator is also fitted on them: see DOCUMENTS
        rows=len(EXOTIC),
        csv=(
            ["text", "label"],
            [*_corpus_rows(), [EXOTIC[0], 0], [EXOTIC[1], 1], [EXOTIC[2], 0]],
        ),
        cli_works=tuple(COMMANDS),
        not_applicable={"matrix": _TEXT_ONLY.format("written in any script")},
    ),
    Case(
        "single_class",
        "y of one class only",
        keyword="only one class",
        y=[0] * len(DOCUMENTS),
        stages=("fit",),
        csv=(["text", "label"], _corpus_rows([0] * 24)),
        cli_keyword="only human",
        cli_works=("predict",),  # a file of one class is data to score
    ),
    Case(
        "nan_labels",
        "NaN labels ('nan' cells in a CSV file, as pandas writes missing ones)",
        keyword="NaN",
        y=[*LABELS[:-3], math.nan, math.nan, math.nan],
        stages=("fit",),
        csv=(["text", "label"], _corpus_rows([*LABELS[:21], "nan", "nan", "nan"])),
        cli_keyword="not human/machine labels",
    ),
    Case(
        "three_classes",
        "more than two classes in y (0, 1, 2)",
        keyword="3 classes",
        y=[index % 3 for index in range(len(DOCUMENTS))],
        stages=("fit",),
        csv=(["text", "label"], _corpus_rows([i % 3 for i in range(24)])),
        cli_keyword="not human/machine labels",
    ),
    Case(
        "mismatched_lengths",
        "X and y of different lengths; for commands a row without its label",
        keyword="inconsistent numbers of samples",
        y=LABELS[:-5],
        stages=("fit",),
        csv=lambda: (
            b"text,label\n"
            + "".join(f'"{t}",{label}\n' for t, label in _corpus_rows()).encode()
            + b"a last essay without its label\n"
        ),
        cli_keyword="field",
    ),
    Case(
        "invalid_number",
        "a negative or zero number for a parameter (vocab_size, epochs, C, ...)",
        keyword="parameter",
        params="invalid_number",
        stages=("fit",),
        cli=("--set", "classifier__C=-1"),
        cli_keyword="'C' parameter",
        not_applicable={"predict": "predict takes no parameters (--set)"},
    ),
    Case(
        "invalid_option",
        "an unknown option string for a parameter",
        keyword="parameter",
        params="invalid_option",
        stages=("fit",),
        cli=("--set", "vectorizer__analyzer=words"),
        cli_keyword="'analyzer' parameter",
        not_applicable={"predict": "predict takes no parameters (--set)"},
    ),
    Case(
        "use_before_fit",
        "transform or predict before fit; for predict a file of an unfitted model",
        keyword="not fitted|never trained",
        unfitted=True,
        stages=("apply",),
        cli_keyword="never trained",
        not_applicable=dict.fromkeys(COMMANDS[:3], "the command fits the model itself"),
    ),
    Case(
        "unreadable_model",
        "predict with a model file that is not a model",
        cli_keyword="cannot load model",
        not_applicable={
            "estimators": "only the predict command loads a model file",
            **dict.fromkeys(COMMANDS[:3], "the command reads no model file"),
        },
    ),
]


def _not_applicable(case, subject):
    """Why ``case`` does not apply to ``subject`` (an Estimator or a command), or
    None when it does."""
    if isinstance(subject, Estimator):
        reasons = case.not_applicable
        if "estimators" in reasons:
            return reasons["estimators"]
        if subject.kind in reasons:
            return reasons[subject.kind]
        if case.params and subject.invalid[case.params] is None:
            return f"{subject} has no numeric parameter"
        return None
    return case.not_applicable.get("commands") or case.not_applicable.get(subject)


def _params(subjects):
    return [
        pytest.param(
            case,
            subject,
            id=f"{case.name}-{subject}",
            marks=pytest.mark.skip(reason=reason) if reason else (),
        )
        for case in CASES
        for subject in subjects
        for reason in [_not_applicable(case, subject)]
    ]


ESTIMATOR_COMBINATIONS = _params(ESTIMATORS)
COMMAND_COMBINATIONS = _params(COMMANDS)


# --- Checks --------------------------------------------------------------------------


_ALLOWED = [
    Path(sklearn_aidetect.__file__).resolve().parent,
    Path(sklearn.utils.__file__).resolve().parent,
]


def _raised_where_allowed(excinfo):
    """Whether the innermost frame is in this library or scikit-learn's checks."""
    path = Path(str(excinfo.traceback[-1].path)).resolve()
    return any(path.is_relative_to(folder) for folder in _ALLOWED)


def assert_clear_error(call, keyword):
    with pytest.raises((ValueError, TypeError)) as excinfo:
        call()
    message = str(excinfo.value)
    where = excinfo.traceback[-1]
    assert _raised_where_allowed(excinfo), f"raised in {where.path}: {message}"
    assert re.search(keyword, message, re.IGNORECASE), message
    return message


def assert_rows(result, n_rows, estimator):
    if scipy.sparse.issparse(result):  # a TF-IDF matrix
        assert result.shape[0] == n_rows
        assert np.isfinite(result.data).all()
        return
    assert len(result) == n_rows
    if isinstance(result, np.ndarray):
        assert np.isfinite(result).all()
        if estimator.supervised:
            assert result.shape == (n_rows, 2)
            np.testing.assert_allclose(result.sum(axis=1), 1.0, rtol=1e-6)
    else:
        assert all(isinstance(row, (list, str)) for row in result)


def _apply(estimator, fitted, X):
    if estimator.supervised:
        return fitted.predict_proba(X)
    return fitted.transform(X)


def _labels_for(X):
    n = len(X) if isinstance(X, (list, np.ndarray)) else 2
    return [index % 2 for index in range(n)]


def _fit(estimator, files, X, y):
    model = estimator.build(files)
    if estimator.supervised or y is not None:
        return model, model.fit(X, y)
    return model, model.fit(X)


def _fit_is_documented_to_work(case, estimator):
    """Whether fit(X) on this case's X is documented to work for ``estimator``.

    An estimator that ignores X in fit ignores any X; one that only checks X needs
    none (None is "not given") and learns nothing, so no document, or only empty
    ones, is fine.
    """
    if estimator.fit_reads == "ignores":
        return True
    if estimator.fit_reads == "checks":
        return case.name in {"none", "empty_corpus", "empty_strings"}
    return False


def _apply_is_documented_to_work(case, estimator):
    if case.unfitted:
        return not estimator.requires_fit
    if case.name == "empty_corpus":
        return not estimator.supervised  # a transformer gives zero rows
    if case.name == "empty_strings":
        return estimator.empty_documents
    return case.name in {"big_document", "exotic_text"}


# --- Fixtures ------------------------------------------------------------------------


class _Files:
    def __init__(self, folder):
        self.tokenizer_json = (
            BPETokenizer(vocab_size=300).fit(DOCUMENTS).save(folder / "tokenizer.json")
        )
        words = sorted({token for doc in _training_set("tokens") for token in doc})
        rng = np.random.default_rng(0)
        lines = [f"{len(words)} 4"]
        lines += [
            f"{w} " + " ".join(f"{v:.3f}" for v in rng.normal(size=4)) for w in words
        ]
        self.vectors_txt = folder / "vectors.txt"
        self.vectors_txt.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.preset = make_tiny_preset(folder / "preset")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return _Files(tmp_path_factory.mktemp("bad-input-files"))


@pytest.fixture(scope="module")
def fitted(files):
    """Each estimator fitted once on DOCUMENTS (in its kind), when first needed."""
    models = {}

    def get(estimator):
        if estimator.name not in models:
            X = _training_set(estimator.kind)
            y = LABELS if estimator.supervised else None
            models[estimator.name] = _fit(estimator, files, X, y)[1]
        return models[estimator.name]

    return get


# --- The estimators, case by case ----------------------------------------------------


@pytest.mark.parametrize(("case", "estimator"), ESTIMATOR_COMBINATIONS)
def test_estimator(case, estimator, files, fitted):
    if case.params:
        bad = estimator.invalid[case.params]
        X, y = _training_set(estimator.kind), LABELS
        message = assert_clear_error(
            lambda: estimator.build(files, **bad).fit(X, y), case.keyword
        )
        assert any(name.split("__")[-1] in message for name in bad)
        return
    if case.y is not None:
        X = _training_set(estimator.kind)
        if estimator.supervised:
            assert_clear_error(lambda: _fit(estimator, files, X, case.y), case.keyword)
        else:  # transformers ignore y, as scikit-learn's do
            model, result = _fit(estimator, files, X, case.y)
            assert result is model
        return
    if case.unfitted:
        X = _training_set(estimator.kind)[:2]
        unfitted = estimator.build(files)
        if _apply_is_documented_to_work(case, estimator):
            assert_rows(_apply(estimator, unfitted, X), 2, estimator)
        else:
            assert_clear_error(lambda: _apply(estimator, unfitted, X), case.keyword)
        return

    X = case.inputs[estimator.kind]
    X = X() if callable(X) else X
    if "fit" in case.stages:
        y = _labels_for(X) if estimator.supervised else None
        if _fit_is_documented_to_work(case, estimator):
            model, result = _fit(estimator, files, X, y)
            assert result is model
        else:
            assert_clear_error(lambda: _fit(estimator, files, X, y), case.keyword)
    if "apply" in case.stages:
        model = fitted(estimator)
        if _apply_is_documented_to_work(case, estimator):
            assert_rows(_apply(estimator, model, X), case.rows, estimator)
        else:
            assert_clear_error(lambda: _apply(estimator, model, X), case.keyword)


# --- The commands, case by case ------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("bad-input-cli")


def _write_csv(path, content):
    content = content() if callable(content) else content
    if isinstance(content, bytes):
        path.write_bytes(content)
        return path
    return write_csv(path, *content)


@pytest.fixture(scope="module")
def good_csv(folder):
    return _write_csv(folder / "good.csv", (["text", "label"], _corpus_rows()))


@pytest.fixture(scope="module")
def model(folder, good_csv):
    """A detector trained once, for predict."""
    path = folder / "model.joblib"
    assert main(["train", str(good_csv), *FAST, "--out", str(path), "-q"]) == 0
    return path


@pytest.fixture(scope="module")
def grid(folder):
    path = folder / "grid.json"
    path.write_text(json.dumps({"classifier__C": [1.0]}), encoding="utf-8")
    return path


def _command_line(command, case, data, out, *, model, grid, folder):
    if command == "predict":
        if case.unfitted:
            model = folder / "unfitted.joblib"
            save_model(make_detector("tfidf-logistic"), model, overwrite=True)
        elif case.name == "unreadable_model":
            model = folder / "unreadable.joblib"
            model.write_bytes(b"these are not the bytes of a model\n")
        return ["predict", model, data, "--out", out, "-q"]
    args = [command, data, *FAST, *case.cli, "-q"]
    if command == "train":
        return [*args, "--out", out]
    if command == "evaluate":
        return [*args, "--cv", "2"]
    return [*args, "--cv", "2", "--grid", grid, "--out", out]


def _run(capsys, args):
    try:
        status = main([str(arg) for arg in args])
    except SystemExit as exc:  # argparse's usage errors
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(("case", "command"), COMMAND_COMBINATIONS)
def test_command(case, command, capsys, folder, good_csv, model, grid):
    data = good_csv
    if case.csv is not None:
        data = _write_csv(folder / f"{case.name}.csv", case.csv)
    out = folder / f"{case.name}-{command}.out"
    out.unlink(missing_ok=True)
    args = _command_line(
        command, case, data, out, model=model, grid=grid, folder=folder
    )
    status, stdout, err = _run(capsys, args)
    if command in case.cli_works:
        assert status == 0, err
        if command == "predict":  # it names evasive characters and short texts
            err = "".join(
                line
                for line in err.splitlines(True)
                if "look-alike letters" not in line
                and "fewer than 50 words" not in line
            )
        assert err == ""
        if command == "evaluate":
            assert "ROC AUC" in stdout
        else:
            assert out.is_file()
        if command == "predict":
            with open(data, encoding="utf-8", newline="") as handle:
                n_documents = sum(1 for _ in csv.reader(handle)) - 1
            with open(out, encoding="utf-8", newline="") as handle:
                assert sum(1 for _ in csv.reader(handle)) == n_documents + 1
        return
    assert status in (1, 2), stdout
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    assert err.startswith("aidetect: error: ")
    assert re.search(case.cli_keyword, err, re.IGNORECASE), err


# --- The size of the table -----------------------------------------------------------

# (tried, skipped as not applicable), on the estimators and on the commands.
TABLE_SIZE = {"estimators": (674, 86), "commands": (44, 36)}


def _tried_and_skipped(combinations):
    skipped = sum(1 for combination in combinations if combination.marks)
    return len(combinations) - skipped, skipped


def test_the_table_covers_every_estimator_and_command():
    public = {
        name
        for name in sklearn_aidetect.__all__
        if isinstance(getattr(sklearn_aidetect, name), type)
        and issubclass(getattr(sklearn_aidetect, name), BaseEstimator)
    }
    names = {estimator.name for estimator in ESTIMATORS}
    assert public <= names
    assert {info.name for info in list_detectors()} <= names
    assert len(ESTIMATORS) == len(public) + len(list_detectors()) == 38
    sizes = {
        "estimators": _tried_and_skipped(ESTIMATOR_COMBINATIONS),
        "commands": _tried_and_skipped(COMMAND_COMBINATIONS),
    }
    tried = sum(size[0] for size in sizes.values())
    skipped = sum(size[1] for size in sizes.values())
    print(
        f"\n{len(CASES)} cases x ({len(ESTIMATORS)} estimators + {len(COMMANDS)} "
        f"commands): {tried} combinations tried ({sizes['estimators'][0]} on "
        f"estimators, {sizes['commands'][0]} on commands), {skipped} skipped as "
        "not applicable"
    )
    assert sizes == TABLE_SIZE
    assert (tried, skipped) == (718, 122)
