import pickle
import random
from functools import cache

import joblib
import numpy as np
import pytest
from conftest import outputs_of_fresh_processes
from sklearn.base import clone
from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError
from tokenizers import Tokenizer

from sklearn_aidetect import (
    BPETokenizer,
    PretrainedTokenizer,
    UnigramTokenizer,
    WordPieceTokenizer,
    WordTokenizer,
)

# Small vocabularies keep training instant on the test corpora.
SUBWORD_TOKENIZERS = [
    BPETokenizer(vocab_size=300),
    WordPieceTokenizer(vocab_size=200),
    UnigramTokenizer(vocab_size=100),
]
SUBWORD_IDS = [type(t).__name__ for t in SUBWORD_TOKENIZERS]


def _synthetic_corpus(n_words=3000, seed=0):
    """Random pseudo-words: many equally frequent pairs, so ties in training."""
    rng = random.Random(seed)
    words = [
        "".join(rng.choice("abcdefghij") for _ in range(rng.randint(2, 8)))
        for _ in range(n_words)
    ]
    return [" ".join(words[i : i + 30]) for i in range(0, n_words, 30)]


# --- WordTokenizer -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I don't think so.", ["I", "don't", "think", "so", "."]),
        ("It’s well-known: COVID-19!", ["It’s", "well-known", ":", "COVID-19", "!"]),
        ("Pi is 3.14, not 1,000.", ["Pi", "is", "3.14", ",", "not", "1,000", "."]),
        ("Wait... what?!", ["Wait", "...", "what", "?", "!"]),
        ("See https://example.org/a?b=1.", ["See", "https://example.org/a?b=1", "."]),
        ("Mail me: a.b@example.com", ["Mail", "me", ":", "a.b@example.com"]),
        ("(students') work", ["(", "students", "'", ")", "work"]),
        ("10:30 on 12/05/2024", ["10:30", "on", "12/05/2024"]),
        ("我喜欢猫 and 🐱!", ["我", "喜", "欢", "猫", "and", "🐱", "!"]),
        ("שלום עולם مرحبا", ["שלום", "עולם", "مرحبا"]),
        ("zero\u200bwidth\u200ftext\ufeff", ["zero", "width", "text"]),
        ("Generic_Name wrote", ["Generic_Name", "wrote"]),
        ("", []),
        ("   \n\t ", []),
    ],
)
def test_word_tokenizer_splits_as_a_reader_expects(text, expected):
    assert WordTokenizer().transform([text]) == [expected]


def test_word_tokenizer_options():
    text = ["Hello, World! It's OK."]
    assert WordTokenizer(lowercase=True).transform(text) == [
        ["hello", ",", "world", "!", "it's", "ok", "."]
    ]
    assert WordTokenizer(punctuation=False).transform(text) == [
        ["Hello", "World", "It's", "OK"]
    ]
    assert WordTokenizer(output="text").transform(text) == ["Hello , World ! It's OK ."]


def test_word_tokenizer_needs_no_fit():
    assert WordTokenizer().transform(["a b"]) == [["a", "b"]]


# --- Subword tokenizers: outputs -----------------------------------------------------


@pytest.mark.parametrize("tokenizer", SUBWORD_TOKENIZERS, ids=SUBWORD_IDS)
def test_outputs_agree_with_each_other_and_with_tokenizers(tokenizer, corpus):
    fitted = clone(tokenizer).fit(corpus)
    docs = [*corpus[:3], "", "Völlig unbekannte Wörter 🐱", "a"]
    tokens = fitted.transform(docs)
    ids = fitted.set_params(output="ids").transform(docs)
    text = fitted.set_params(output="text").transform(docs)

    vocabulary = fitted.vocabulary_
    assert [[vocabulary[t] for t in doc] for doc in tokens] == ids
    assert [t.split() for t in text] == tokens
    assert (tokens[3], ids[3], text[3]) == ([], [], "")
    direct = fitted.tokenizer_.encode_batch(docs, add_special_tokens=False)
    assert ids == [encoding.ids for encoding in direct]
    assert all(isinstance(i, int) for doc in ids for i in doc)


@pytest.mark.parametrize("tokenizer", SUBWORD_TOKENIZERS, ids=SUBWORD_IDS)
def test_max_length_keeps_the_beginning(tokenizer, corpus):
    fitted = clone(tokenizer).fit(corpus)
    full = fitted.transform(corpus)
    cut = fitted.set_params(max_length=3).transform(corpus)
    assert cut == [doc[:3] for doc in full]
    assert max(len(doc) for doc in full) > 3


def test_text_output_feeds_tfidf_and_hashing_vectorizers(corpus):
    tokenizer = BPETokenizer(vocab_size=300, output="text").fit(corpus)
    tokens = tokenizer.set_params(output="tokens").transform(corpus)
    tfidf = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=(3, 5))
    tfidf.fit(tokenizer.set_params(output="text").transform(corpus))
    # Every 3-gram of tokens is a feature: the text output loses no token.
    expected = {" ".join(doc[i : i + 3]) for doc in tokens for i in range(len(doc) - 2)}
    assert expected <= set(tfidf.vocabulary_)
    hashed = HashingVectorizer(token_pattern=r"\S+", lowercase=False).transform(
        tokenizer.transform(corpus)
    )
    assert hashed.shape[0] == len(corpus)


def test_text_output_keeps_tokens_that_contain_spaces(tmp_path):
    # A tokenizer without pre-tokenizer learns tokens with spaces in them.
    from tokenizers import models, trainers

    raw = Tokenizer(models.BPE(unk_token="[UNK]"))
    raw.train_from_iterator(
        ["a b a b a b"] * 10,
        trainers.BpeTrainer(
            vocab_size=20, special_tokens=["[UNK]"], show_progress=False
        ),
    )
    raw.save(str(tmp_path / "tokenizer.json"))
    tokenizer = PretrainedTokenizer.from_file(tmp_path)
    tokens = tokenizer.transform(["a b a b"])[0]
    assert any(" " in token for token in tokens)
    text = tokenizer.set_params(output="text").transform(["a b a b"])[0]
    assert len(text.split()) == len(tokens)
    assert text.split() == [token.replace(" ", "\u2581") for token in tokens]


@pytest.mark.parametrize(
    ("params", "document", "expected"),
    [
        ({"lowercase": True}, "HELLO", ["hello"]),
        ({"strip_accents": True}, "café", ["cafe"]),
        ({"normalization": "NFC"}, "cafe\u0301", ["café"]),
        ({"normalization": "NFKC"}, "ﬁne", ["fine"]),
        ({"normalization": None}, "ﬁne", ["ﬁne"]),
    ],
)
def test_normalization_options(params, document, expected):
    corpus = ["hello cafe café fine ﬁne HELLO"] * 5
    tokenizer = WordPieceTokenizer(vocab_size=200, **params).fit(corpus)
    assert tokenizer.transform([document]) == [expected]


@pytest.mark.parametrize(
    ("pre_tokenizer", "expected"),
    [
        ("byte-level", ["Ġhi", ",", "Ġyou", "!!"]),
        ("whitespace", ["hi", ",", "you", "!!"]),
        ("bert", ["hi", ",", "you", "!", "!"]),
        ("metaspace", ["▁hi,", "▁you!!"]),
    ],
)
def test_pre_tokenizers(pre_tokenizer, expected):
    corpus = ["hi, you!! hi, you!!"] * 20
    tokenizer = BPETokenizer(vocab_size=400, pre_tokenizer=pre_tokenizer).fit(corpus)
    assert tokenizer.transform(["hi, you!!"]) == [expected]


def test_byte_level_never_produces_unknown_tokens(corpus):
    tokenizer = BPETokenizer(vocab_size=300).fit(corpus)
    tokens = tokenizer.transform(["ünïcödé 🐱 你好 שלום"])[0]
    assert "[UNK]" not in tokens
    ids = [tokenizer.vocabulary_[t] for t in tokens]
    assert tokenizer.tokenizer_.decode(ids) == " ünïcödé 🐱 你好 שלום"


def test_unknown_text_maps_to_unk_token(corpus):
    tokenizer = WordPieceTokenizer(vocab_size=200).fit(corpus)
    assert tokenizer.transform(["🐱"]) == [["[UNK]"]]
    assert tokenizer.set_params(output="ids").transform(["🐱"]) == [[0]]


def test_wordpiece_continuation_pieces_are_not_matched_in_raw_text():
    tokenizer = WordPieceTokenizer(vocab_size=100).fit(["unable unreal"] * 5)
    assert tokenizer.transform(["##a"]) == [["[UNK]", "[UNK]", "a"]]
    assert "##a" in tokenizer.vocabulary_


# --- Determinism ---------------------------------------------------------------------


@pytest.mark.parametrize("tokenizer", SUBWORD_TOKENIZERS, ids=SUBWORD_IDS)
def test_same_corpus_same_vocabulary_in_process(tokenizer):
    corpus = _synthetic_corpus()
    first = clone(tokenizer).fit(corpus)
    second = clone(tokenizer).fit(corpus)
    assert first.vocabulary_ == second.vocabulary_
    assert first.transform(corpus) == second.transform(corpus)


_FIT_AND_HASH = """
import hashlib, json
from test_tokenization import _synthetic_corpus
from sklearn_aidetect import BPETokenizer, UnigramTokenizer, WordPieceTokenizer
corpus = _synthetic_corpus()
for tokenizer in [BPETokenizer(vocab_size=400), WordPieceTokenizer(vocab_size=400),
                  UnigramTokenizer(vocab_size=200)]:
    tokenizer.fit(corpus)
    state = json.dumps([sorted(tokenizer.vocabulary_.items()),
                        tokenizer.transform(corpus)])
    print(hashlib.sha256(state.encode()).hexdigest())
"""


def test_same_corpus_same_vocabulary_across_processes():
    # tokenizers' hash maps are seeded per process, so this is where order leaks out
    # (WordPiece: huggingface/tokenizers#1794).
    runs = outputs_of_fresh_processes(_FIT_AND_HASH, runs=3)
    assert len(runs[0]) == 3
    assert runs[0] == runs[1] == runs[2]


# --- Persistence and scikit-learn composition ----------------------------------------


@pytest.mark.parametrize("tokenizer", SUBWORD_TOKENIZERS, ids=SUBWORD_IDS)
def test_pickle_and_joblib_round_trips(tokenizer, corpus, tmp_path):
    fitted = clone(tokenizer).set_params(output="ids").fit(corpus)
    expected = fitted.transform(corpus)
    restored = pickle.loads(pickle.dumps(fitted))
    assert restored.transform(corpus) == expected
    assert restored.vocabulary_ == fitted.vocabulary_
    joblib.dump(fitted, tmp_path / "tokenizer.joblib")
    assert joblib.load(tmp_path / "tokenizer.joblib").transform(corpus) == expected


@pytest.mark.parametrize("tokenizer", SUBWORD_TOKENIZERS, ids=SUBWORD_IDS)
def test_clone_refits_to_the_same_result(tokenizer, corpus):
    fitted = clone(tokenizer).fit(corpus)
    again = clone(fitted)
    assert not hasattr(again, "tokenizer_")
    assert again.get_params() == fitted.get_params()
    assert again.fit(corpus).transform(corpus) == fitted.transform(corpus)


@pytest.mark.parametrize("tokenizer", SUBWORD_TOKENIZERS, ids=SUBWORD_IDS)
def test_save_and_load_as_pretrained(tokenizer, corpus, tmp_path):
    fitted = clone(tokenizer).fit(corpus)
    path = fitted.save(tmp_path / "tokenizer.json")
    loaded = PretrainedTokenizer.from_file(path)
    assert loaded.transform(corpus) == fitted.transform(corpus)
    assert loaded.vocabulary_ == fitted.vocabulary_


def test_save_refuses_to_overwrite_when_asked(corpus, tmp_path):
    path = tmp_path / "tokenizer.json"
    path.write_text("keep me")
    tokenizer = BPETokenizer(vocab_size=300).fit(corpus)
    with pytest.raises(FileExistsError, match="already exists"):
        tokenizer.save(path, overwrite=False)
    assert path.read_text() == "keep me"
    tokenizer.save(path)
    assert PretrainedTokenizer.from_file(path).vocabulary_ == tokenizer.vocabulary_
    assert [p.name for p in tmp_path.iterdir()] == ["tokenizer.json"]


def test_pretrained_tokenizer_ignores_padding_and_adds_special_tokens(tmp_path):
    from tokenizers import models, pre_tokenizers, processors

    vocab = {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "[PAD]": 3, "hello": 4, "world": 5}
    raw = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    raw.pre_tokenizer = pre_tokenizers.Whitespace()
    raw.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 1), ("[SEP]", 2)]
    )
    raw.enable_padding(pad_id=3, pad_token="[PAD]", length=8)
    raw.enable_truncation(max_length=2)
    raw.save(str(tmp_path / "tokenizer.json"))

    tokenizer = PretrainedTokenizer(tmp_path / "tokenizer.json").fit()
    assert tokenizer.transform(["hello world hello", "x"]) == [
        ["hello", "world", "hello"],
        ["[UNK]"],
    ]
    tokenizer.set_params(add_special_tokens=True, output="ids")
    assert tokenizer.transform(["hello"]) == [[1, 4, 2]]
    # fit learns nothing from X: the tokenizer stays as saved.
    assert tokenizer.fit(["new words entirely"]).vocabulary_ == vocab


def test_pretrained_tokenizer_errors(tmp_path):
    with pytest.raises(ValueError, match="needs path="):
        PretrainedTokenizer().fit()
    with pytest.raises(FileNotFoundError, match="no tokenizer file at"):
        PretrainedTokenizer(tmp_path / "missing.json").fit()
    with pytest.raises(FileNotFoundError, match=r"tokenizer\.json"):
        PretrainedTokenizer(tmp_path).fit()
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a tokenizer"}')
    with pytest.raises(ValueError, match="is not a tokenizers JSON file"):
        PretrainedTokenizer(bad).fit()


def test_frozen_tokenizer_fitted_on_unlabelled_texts(corpus, labels):
    # The Kaggle recipe: learn the vocabulary on the (unlabelled) test texts, then keep
    # it fixed while the rest of the pipeline trains on the labelled data.
    unlabelled = corpus[::2]
    tokenizer = BPETokenizer(vocab_size=300, output="text").fit(unlabelled)
    vocabulary = dict(tokenizer.vocabulary_)
    pipeline = make_pipeline(
        FrozenEstimator(tokenizer),
        TfidfVectorizer(token_pattern=r"\S+", lowercase=False),
        LogisticRegression(),
    )
    pipeline.fit(corpus, labels)
    assert tokenizer.vocabulary_ == vocabulary
    search = GridSearchCV(pipeline, {"logisticregression__C": [0.1, 1.0]}, cv=3)
    search.fit(corpus, labels)
    frozen = search.best_estimator_.steps[0][1]
    assert frozen.estimator.vocabulary_ == vocabulary


@pytest.mark.timeout(240)
@pytest.mark.parametrize("backend", ["loky", "multiprocessing"])
def test_grid_search_in_parallel_matches_serial(corpus, labels, backend):
    # Forked workers and the tokenizers thread pool are a known deadlock source; the
    # multiprocessing backend forks after the parent has used the pool.
    pipeline = make_pipeline(
        BPETokenizer(output="text"),
        TfidfVectorizer(token_pattern=r"\S+", lowercase=False),
        LogisticRegression(),
    )
    grid = {"bpetokenizer__vocab_size": [280, 320, 360]}
    BPETokenizer(vocab_size=300).fit(corpus).transform(corpus)  # warm the pool
    serial = GridSearchCV(pipeline, grid, cv=3, scoring="roc_auc", n_jobs=1)
    serial.fit(corpus, labels)
    with joblib.parallel_config(backend=backend):
        parallel = GridSearchCV(pipeline, grid, cv=3, scoring="roc_auc", n_jobs=2)
        parallel.fit(corpus, labels)
    assert parallel.best_params_ == serial.best_params_
    np.testing.assert_allclose(
        parallel.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )


# --- Bad input -----------------------------------------------------------------------

ALL_TOKENIZERS = [WordTokenizer(), *SUBWORD_TOKENIZERS]
ALL_IDS = ["WordTokenizer", *SUBWORD_IDS]


@pytest.mark.parametrize("tokenizer", ALL_TOKENIZERS, ids=ALL_IDS)
@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        ("a bare string", ValueError, "got a single str. Wrap one document in a list"),
        (b"bytes", ValueError, "got a single bytes"),
        (None, TypeError, "got None"),
        (42, TypeError, "got int"),
        (["ok", None], TypeError, "document 1 is NoneType .* missing value"),
        (["ok", float("nan")], TypeError, "document 1 is float \\(nan\\).*fillna"),
        (["ok", b"raw"], TypeError, "document 1 is bytes.*decode"),
        (["ok", "fine", 7], TypeError, "document 2 is int \\(7\\)"),
        ([["already", "tokens"]], TypeError, "document 0 is list"),
        (np.array([["a", "b"]]), ValueError, "shape \\(1, 2\\)"),
    ],
)
def test_bad_documents_are_named(tokenizer, bad, error, message, corpus):
    fitted = clone(tokenizer).fit(corpus)
    with pytest.raises(error, match=message):
        fitted.transform(bad)
    if bad is None and isinstance(tokenizer, WordTokenizer):
        return  # fit() with no documents is how a stateless tokenizer is fitted
    with pytest.raises(error, match=message):
        clone(tokenizer).fit(bad)


@pytest.mark.parametrize("tokenizer", SUBWORD_TOKENIZERS, ids=SUBWORD_IDS)
def test_fit_needs_text(tokenizer):
    with pytest.raises(ValueError, match="empty corpus"):
        clone(tokenizer).fit([])
    with pytest.raises(ValueError, match="all empty"):
        clone(tokenizer).fit(["", "   "])


@pytest.mark.parametrize("tokenizer", SUBWORD_TOKENIZERS, ids=SUBWORD_IDS)
def test_lone_surrogates_give_a_clear_error(tokenizer, corpus):
    fitted = clone(tokenizer).fit(corpus)
    broken = b"caf\xe9".decode("utf-8", errors="surrogateescape")
    with pytest.raises(ValueError, match="document 1 is not valid Unicode"):
        fitted.transform(["fine", broken])


@pytest.mark.parametrize("tokenizer", ALL_TOKENIZERS, ids=ALL_IDS)
def test_empty_and_odd_documents_work(tokenizer, corpus):
    fitted = clone(tokenizer).fit(corpus)
    assert fitted.transform([]) == []
    assert fitted.transform([""]) == [[]]
    odd = ["🐱🐶 emoji", "中文文本", "مرحبا بالعالم", "zero\u200bwidth", "\u202eRTL"]
    assert len(fitted.transform(odd)) == len(odd)
    # Arrays and generators of documents are fine.
    assert fitted.transform(np.array(corpus[:2])) == fitted.transform(corpus[:2])
    assert fitted.transform(doc for doc in corpus[:2]) == fitted.transform(corpus[:2])


@pytest.mark.parametrize("tokenizer", ALL_TOKENIZERS, ids=ALL_IDS)
def test_documents_of_several_megabytes(tokenizer, corpus):
    fitted = clone(tokenizer).fit(corpus)
    big = " ".join(corpus) * 1800  # about 3 MB
    assert len(big) > 3_000_000
    (tokens,) = fitted.transform([big])
    assert len(tokens) > 500_000


@pytest.mark.parametrize("tokenizer", ALL_TOKENIZERS, ids=ALL_IDS)
def test_invalid_parameters_name_the_parameter(tokenizer, corpus):
    with pytest.raises(InvalidParameterError, match="'output' parameter"):
        clone(tokenizer).set_params(output="vectors").fit(corpus)
    fitted = clone(tokenizer).fit(corpus)
    with pytest.raises(InvalidParameterError, match="'output' parameter"):
        fitted.set_params(output="vectors").transform(corpus)


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"vocab_size": 0}, "vocab_size"),
        ({"vocab_size": 1.5}, "vocab_size"),
        ({"pre_tokenizer": "spaces"}, "pre_tokenizer"),
        ({"normalization": "nfc"}, "normalization"),
        ({"max_length": 0}, "max_length"),
        ({"lowercase": "yes"}, "lowercase"),
    ],
)
def test_invalid_subword_parameters(params, name, corpus):
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter of BPE"):
        BPETokenizer(**params).fit(corpus)


@pytest.mark.parametrize("tokenizer", SUBWORD_TOKENIZERS, ids=SUBWORD_IDS)
def test_use_before_fit(tokenizer):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError, match="not fitted yet"):
        clone(tokenizer).transform(["text"])


def test_vocabulary_too_large_for_the_corpus_still_fits():
    tokenizer = UnigramTokenizer(vocab_size=5000).fit(["a tiny corpus"])
    assert tokenizer.transform(["a tiny corpus"]) != [[]]


# --- Property test -------------------------------------------------------------------


@cache
# --- Real data -----------------------------------------------------------------------


@pytest.mark.shared_data
def test_bpe_tfidf_separates_real_essays(outfox_clean_auc):
    pipeline = make_pipeline(
        BPETokenizer(vocab_size=5000, output="text"),
        TfidfVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2)),
        LogisticRegression(class_weight="balanced", max_iter=1000),
    )
    auc = outfox_clean_auc(pipeline)
    assert auc > 0.95, auc
