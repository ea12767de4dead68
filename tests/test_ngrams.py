"""TokenNGramVectorizer and CharNGramVectorizer: TfidfVectorizer's features, exactly.

TokenNGramVectorizer's over joined tokens; CharNGramVectorizer's with
analyzer="char".
"""

import pickle

import numpy as np
import pytest
from conftest import HUMAN_TEXTS, MACHINE_TEXTS
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.naive_bayes import MultinomialNB

from sklearn_aidetect import (
    BPETokenizer,
    CharNGramVectorizer,
    LogOddsMultinomialNB,
    TokenNGramVectorizer,
    ngrams,
)
from sklearn_aidetect.ngrams import ngram_keys, string_keys

CORPUS = HUMAN_TEXTS + MACHINE_TEXTS


@pytest.fixture(scope="module")
def tokenizer():
    return BPETokenizer(vocab_size=300, output="ids").fit(CORPUS)


def _text(tokenizer, documents):
    return tokenizer.set_params(output="text").transform(documents)


def _ids(tokenizer, documents):
    return tokenizer.set_params(output="ids").transform(documents)


def _row_values(matrix):
    """Each row's values, sorted: equal whatever the column order."""
    matrix = matrix.tocsr()
    return [np.sort(matrix[i].data) for i in range(matrix.shape[0])]


@pytest.mark.parametrize(
    "settings",
    [
        {"ngram_range": (3, 5), "sublinear_tf": True},
        {"ngram_range": (1, 2), "min_df": 2},
        {"ngram_range": (2, 3), "min_df": 0.1, "norm": None, "use_idf": False},
        {"ngram_range": (1, 3), "max_features": 40, "smooth_idf": False},
    ],
    ids=["recipe", "min_df", "share_no_idf", "max_features"],
)
def test_same_features_and_weights_as_tfidf_vectorizer(tokenizer, settings):
    reference = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, **settings)
    ours = TokenNGramVectorizer(**settings)
    expected = reference.fit_transform(_text(tokenizer, CORPUS))
    got = ours.fit_transform(_ids(tokenizer, CORPUS))
    assert got.shape == expected.shape
    if "max_features" not in settings:  # ties at the cut may keep other n-grams
        for a, b in zip(_row_values(got), _row_values(expected)):
            np.testing.assert_allclose(a, b, rtol=1e-12)
        if settings.get("use_idf", True):
            np.testing.assert_allclose(np.sort(ours.idf_), np.sort(reference.idf_))
    new = ["i think the new rule is important", "completely unseen words zq"]
    for a, b in zip(
        _row_values(ours.transform(_ids(tokenizer, new))),
        _row_values(reference.transform(_text(tokenizer, new))),
    ):
        if "max_features" not in settings:
            np.testing.assert_allclose(a, b, rtol=1e-12)


def test_max_features_keeps_the_most_frequent(tokenizer):
    ids = _ids(tokenizer, CORPUS)
    everything = TokenNGramVectorizer((1, 1), norm=None, use_idf=False).fit(ids)
    totals = np.asarray(everything.transform(ids).sum(axis=0)).ravel()
    top = TokenNGramVectorizer((1, 1), max_features=10).fit(ids)
    assert len(top.keys_) == 10
    kept = np.isin(everything.keys_, top.keys_)
    assert totals[kept].min() >= totals[~kept].max()


def test_keys_tell_lengths_and_order_apart():
    keys, documents = ngram_keys([np.array([0, 1]), np.array([1, 0])], 1, 2)
    # Unigrams 0, 1, 1, 0 and bigrams (0 1), (1 0): four distinct keys.
    assert len(keys) == 6
    assert len(np.unique(keys)) == 4
    np.testing.assert_array_equal(documents, [0, 0, 1, 1, 0, 1])
    # A document shorter than n has no n-gram; no n-gram spans two documents.
    keys, documents = ngram_keys([np.array([5]), np.array([6])], 2, 2)
    assert len(keys) == 0


def test_unseen_ngrams_and_empty_documents_give_zero_rows(tokenizer):
    vectorizer = TokenNGramVectorizer((2, 2)).fit(_ids(tokenizer, CORPUS))
    X = vectorizer.transform([[], [299, 298, 297]])
    assert X.shape == (2, len(vectorizer.keys_))
    assert X.nnz == 0


def test_dtype_and_float32_naive_bayes(tokenizer):
    ids = _ids(tokenizer, CORPUS)
    y = [0] * len(HUMAN_TEXTS) + [1] * len(MACHINE_TEXTS)
    X = TokenNGramVectorizer((1, 3), dtype=np.float32).fit_transform(ids)
    assert X.dtype == np.float32
    model = LogOddsMultinomialNB(alpha=0.1).fit(X, y)
    assert model.feature_log_prob_.dtype == np.float32
    assert model.feature_count_.dtype == np.float32
    # The same scores as scikit-learn's float64 model, to float32 precision.
    reference = MultinomialNB(alpha=0.1).fit(X.astype(np.float64), y)
    joint = reference.predict_joint_log_proba(X.astype(np.float64))
    np.testing.assert_allclose(
        model.decision_function(X), joint[:, 1] - joint[:, 0], rtol=1e-4, atol=1e-4
    )


def test_pickles_and_names_its_columns(tokenizer):
    ids = _ids(tokenizer, CORPUS)
    vectorizer = TokenNGramVectorizer((1, 2)).fit(ids)
    loaded = pickle.loads(pickle.dumps(vectorizer))
    assert (loaded.transform(ids) != vectorizer.transform(ids)).nnz == 0
    names = vectorizer.get_feature_names_out()
    assert len(names) == len(vectorizer.keys_)
    assert names[0] == "tokenngramvectorizer0"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"ngram_range": (3, 2)}, "ngram_range must be"),
        ({"ngram_range": (0, 2)}, "ngram_range must be"),
        ({"dtype": np.int32}, "dtype must be"),
        ({"min_df": 1000}, "no 1-1-gram of token ids is left"),
    ],
)
def test_bad_settings_say_what_to_change(tokenizer, settings, message):
    with pytest.raises(ValueError, match=message):
        TokenNGramVectorizer(**settings).fit(_ids(tokenizer, CORPUS))


def test_text_instead_of_ids_says_to_tokenize():
    with pytest.raises(TypeError, match="output='ids'"):
        TokenNGramVectorizer().fit(["a document, not token ids"])


# --- CharNGramVectorizer: TfidfVectorizer(analyzer="char"), counted in numpy --------

# Whitespace runs, accents, case, emoji, a lone surrogate, text shorter than an n-gram.
ODD_TEXTS = [
    "Café  au\tlait\n\nÉTÉ",
    "🙂 emoji 🙂🙂 and  RTL שלום",
    "lone \ud800 surrogate",
    "ab",
    "",
    "   ",
]


@pytest.mark.parametrize(
    "settings",
    [
        {"ngram_range": (1, 5), "lowercase": False, "sublinear_tf": True},
        {"ngram_range": (2, 4), "min_df": 2, "max_features": 300},
        {"ngram_range": (1, 3), "min_df": 0.2, "max_df": 0.9, "binary": True},
        {"ngram_range": (3, 3), "strip_accents": "unicode", "norm": "l1"},
        {"ngram_range": (1, 2), "use_idf": False, "dtype": np.float32},
    ],
)
def test_char_ngrams_equal_tfidf_vectorizer(settings):
    fast = CharNGramVectorizer(**settings)
    slow = TfidfVectorizer(analyzer="char", **settings)
    train, test = CORPUS + ODD_TEXTS, ODD_TEXTS + CORPUS[::-1]
    A, B = fast.fit_transform(train), slow.fit_transform(train)
    assert fast.vocabulary_ == slow.vocabulary_
    assert A.dtype == B.dtype
    # fit_transform sums each row's norm in another order: equal to rounding.
    assert (A != B).nnz == 0 or abs(A - B).max() < 1e-6
    assert (fast.transform(test) != slow.transform(test)).nnz == 0  # exactly
    assert list(fast.get_feature_names_out()) == list(slow.get_feature_names_out())
    if fast.use_idf:
        np.testing.assert_array_equal(fast.idf_, slow.idf_)


def test_char_ngrams_with_a_given_vocabulary():
    vocabulary = ["the", "he ", "cat", "🙂", "no such n-gram"]
    fast = CharNGramVectorizer(ngram_range=(1, 3), vocabulary=vocabulary)
    slow = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), vocabulary=vocabulary)
    texts = [*CORPUS, "the cat 🙂"]
    assert (fast.fit_transform(texts) != slow.fit_transform(texts)).nnz == 0


def test_char_ngrams_pickle_rebuilds_the_index_and_the_file_stays_small():
    vectorizer = CharNGramVectorizer(ngram_range=(1, 4)).fit(CORPUS)
    data = pickle.dumps(vectorizer)
    assert b"_index" not in data  # rebuilt on loading, not stored
    loaded = pickle.loads(data)
    assert (loaded.transform(CORPUS) != vectorizer.transform(CORPUS)).nnz == 0
    assert loaded._index[0] is loaded.vocabulary_


def test_char_ngrams_count_with_scikit_learn_when_two_entries_share_a_key(
    monkeypatch,
):
    vectorizer = CharNGramVectorizer(ngram_range=(1, 2)).fit(CORPUS)
    expected = vectorizer.transform(CORPUS)
    # Every entry the same key: the numpy lookup cannot tell them apart.
    monkeypatch.setattr(
        ngrams, "string_keys", lambda strings: np.zeros(len(list(strings)), np.uint64)
    )
    del vectorizer.__dict__["_index"]
    assert vectorizer._vocabulary_index() is None
    assert (vectorizer.transform(CORPUS) != expected).nnz == 0


def test_char_ngrams_fix_the_analyzer_and_refuse_what_is_not_text():
    vectorizer = CharNGramVectorizer()
    assert "analyzer" not in vectorizer.get_params()
    assert vectorizer.analyzer == "char"
    with pytest.raises(TypeError, match="document 1"):
        vectorizer.fit(["a text", None])
    with pytest.raises(ValueError, match="empty vocabulary"):
        TfidfVectorizer(analyzer="char").fit([""])
    with pytest.raises(ValueError, match="empty"):
        vectorizer.fit(["", " "])


def test_string_keys_are_the_keys_of_the_code_points():
    strings = ["a", "ab", "abc", "🙂x", "\ud800"]
    codes = [ngrams._code_points(s) for s in strings]
    expected = [ngram_keys([c], len(c), len(c))[0][0] for c in codes]
    np.testing.assert_array_equal(string_keys(strings), expected)
