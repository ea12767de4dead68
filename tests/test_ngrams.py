"""TokenNGramVectorizer: the features of TfidfVectorizer over joined tokens, exactly."""

import pickle

import numpy as np
import pytest
from conftest import HUMAN_TEXTS, MACHINE_TEXTS
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.naive_bayes import MultinomialNB

from sklearn_aidetect import BPETokenizer, LogOddsMultinomialNB, TokenNGramVectorizer
from sklearn_aidetect.ngrams import ngram_keys

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
