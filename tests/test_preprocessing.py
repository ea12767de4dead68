import pickle

import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_aidetect import (
    BPETokenizer,
    StopWordRemover,
    VocabularyFilter,
    WordTokenizer,
)

# --- StopWordRemover -----------------------------------------------------------------


def test_removes_english_stop_words_ignoring_case():
    tokens = [["The", "cat", "and", "THE", "dog", "."]]
    assert StopWordRemover().transform(tokens) == [["cat", "dog", "."]]
    assert StopWordRemover(case_sensitive=True).transform(tokens) == [
        ["The", "cat", "THE", "dog", "."]
    ]


def test_uses_scikit_learns_list_or_the_users():
    assert "the" in ENGLISH_STOP_WORDS
    remover = StopWordRemover(stop_words=["Cat", "dog"])
    assert remover.transform([["the", "cat", "DOG", "bird"]]) == [["the", "bird"]]
    assert StopWordRemover(stop_words=()).transform([["the"]]) == [["the"]]


def test_understands_word_start_markers_of_subword_tokenizers():
    tokens = [["Ġthe", "Ġcat", "▁and", "▁dog", "##the"]]
    assert StopWordRemover().transform(tokens) == [["Ġcat", "▁dog", "##the"]]


def test_raw_strings_are_split_with_word_tokenizer_defaults():
    assert StopWordRemover().transform(["The cat, and the dog."]) == [
        ["cat", ",", "dog", "."]
    ]
    assert StopWordRemover(output="text").transform(["The cat sat"]) == ["cat sat"]


def test_stop_word_list_must_hold_strings():
    with pytest.raises(TypeError, match=r"stop_words\[1\] is int"):
        StopWordRemover(stop_words=["a", 1]).fit()


# --- VocabularyFilter ----------------------------------------------------------------

DOCS = [
    ["the", "cat", "sat", "on", "the", "mat"],
    ["the", "dog", "sat", "on", "the", "log"],
    ["the", "cat", "and", "the", "dog"],
    ["a", "bird", "sang"],
]


def test_document_frequency_rules_match_gensim():
    from gensim.corpora import Dictionary

    for no_below, no_above, keep_n in [
        (1, 1.0, None),
        (2, 1.0, None),
        (1, 0.5, None),
        (2, 0.75, 3),
        (1, 1.0, 2),
    ]:
        dictionary = Dictionary(DOCS)
        dictionary.filter_extremes(no_below=no_below, no_above=no_above, keep_n=keep_n)
        fitted = VocabularyFilter(no_below=no_below, no_above=no_above, keep_n=keep_n)
        fitted.fit(DOCS)
        if keep_n is None:  # with keep_n, ties at the cut may be broken differently
            assert set(fitted.vocabulary_) == set(dictionary.token2id)
        else:
            assert len(fitted.vocabulary_) == len(dictionary.token2id)
        unfiltered = Dictionary(DOCS)
        assert fitted.document_frequency_ == {
            token: unfiltered.dfs[unfiltered.token2id[token]]
            for token in fitted.vocabulary_
        }


def test_vocabulary_order_and_outputs():
    fitted = VocabularyFilter(no_below=2).fit(DOCS)
    assert fitted.vocabulary_ == {"the": 0, "cat": 1, "dog": 2, "on": 3, "sat": 4}
    assert fitted.n_documents_ == 4
    assert fitted.transform([["the", "cat", "flew"]]) == [["the", "cat"]]
    assert fitted.set_params(output="ids").transform([["the", "cat", "flew"]]) == [
        [0, 1]
    ]
    assert fitted.set_params(output="text").transform([["dog", "x", "on"]]) == [
        "dog on"
    ]


def test_unknown_tokens_can_map_to_a_placeholder():
    fitted = VocabularyFilter(no_below=2, unknown_token="<unk>").fit(DOCS)
    assert fitted.vocabulary_["<unk>"] == 5
    assert fitted.transform([["the", "owl"]]) == [["the", "<unk>"]]
    assert fitted.set_params(output="ids").transform([["the", "owl"]]) == [[0, 5]]
    fitted.set_params(unknown_token="<other>")
    with pytest.raises(ValueError, match="was set after fit"):
        fitted.transform([["owl"]])


def test_filter_that_keeps_nothing_says_what_to_change():
    with pytest.raises(ValueError, match="Lower no_below or raise no_above"):
        VocabularyFilter(no_below=10).fit(DOCS)


def test_filter_in_a_pipeline_with_tfidf():
    from sklearn.pipeline import make_pipeline

    pipeline = make_pipeline(
        WordTokenizer(lowercase=True),
        VocabularyFilter(no_below=2, output="text"),
        TfidfVectorizer(token_pattern=r"\S+"),
    )
    matrix = pipeline.fit_transform([" ".join(doc) for doc in DOCS])
    assert matrix.shape == (4, 5)


# --- Both ----------------------------------------------------------------------------

PREPROCESSORS = [StopWordRemover(), VocabularyFilter(no_below=1)]
IDS = ["StopWordRemover", "VocabularyFilter"]


@pytest.mark.parametrize("estimator", PREPROCESSORS, ids=IDS)
@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        ("a bare string", ValueError, "got a single str"),
        (None, TypeError, "got None"),
        ([["ok"], None], TypeError, "document 1 is NoneType.*missing value"),
        ([["ok"], float("nan")], TypeError, "document 1 is float \\(nan\\)"),
        ([["ok"], 3], TypeError, "document 1 is int"),
        ([["ok"], b"raw"], TypeError, "document 1 is bytes.*decode"),
        ([["ok", 5]], TypeError, "token 1 of document 0 is int"),
        ([["ok", None]], TypeError, "token 1 of document 0 is NoneType"),
    ],
)
def test_bad_input_is_named(estimator, bad, error, message):
    fitted = clone(estimator).fit(DOCS)
    with pytest.raises(error, match=message):
        fitted.transform(bad)
    if isinstance(estimator, VocabularyFilter):
        with pytest.raises(error, match=message):
            clone(estimator).fit(bad)


def test_vocabulary_filter_needs_documents():
    with pytest.raises(ValueError, match="empty corpus"):
        VocabularyFilter().fit([])
    with pytest.raises(ValueError, match="all empty"):
        VocabularyFilter().fit([[], []])
    with pytest.raises(NotFittedError):
        VocabularyFilter().transform(DOCS)


@pytest.mark.parametrize("estimator", PREPROCESSORS, ids=IDS)
def test_empty_documents_and_pickling(estimator):
    fitted = clone(estimator).fit(DOCS)
    assert fitted.transform([[], ""]) == [[], []]
    assert fitted.transform([]) == []
    restored = pickle.loads(pickle.dumps(fitted))
    assert restored.transform(DOCS) == fitted.transform(DOCS)


@pytest.mark.parametrize(
    ("estimator", "param", "value"),
    [
        (StopWordRemover(), "stop_words", "french"),
        (StopWordRemover(), "output", "ids"),
        (VocabularyFilter(), "no_below", 0),
        (VocabularyFilter(), "no_above", 1.5),
        (VocabularyFilter(), "keep_n", 0),
        (VocabularyFilter(), "output", "vectors"),
    ],
)
def test_invalid_parameters_name_the_parameter(estimator, param, value):
    with pytest.raises(InvalidParameterError, match=f"'{param}' parameter"):
        clone(estimator).set_params(**{param: value}).fit(DOCS)


def test_after_a_subword_tokenizer():
    corpus = [" ".join(doc) for doc in DOCS] * 3
    tokens = BPETokenizer(vocab_size=300).fit(corpus).transform(corpus)
    kept = StopWordRemover().transform(tokens)
    assert all("Ġthe" not in doc for doc in kept)
    assert VocabularyFilter().fit(tokens).transform(tokens)
