"""TokenProbabilityVectorizer and the Kneser-Ney models behind it."""

import pickle
import sys
from itertools import product

import numpy as np
import pytest
from conftest import HUMAN_TEXTS, MACHINE_TEXTS
from hypothesis import given
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_aidetect import BPETokenizer, TokenProbabilityVectorizer
from sklearn_aidetect._language_model import (
    STATISTICS,
    KneserNeyModel,
    NGramQueries,
    document_statistics,
)

TEXTS = HUMAN_TEXTS + MACHINE_TEXTS
LABELS = [0] * len(HUMAN_TEXTS) + [1] * len(MACHINE_TEXTS)
SEQUENCES = [[0, 1, 2, 1, 2, 3], [2, 1, 0], [3, 3, 1, 2], [1]]


def small(**params):
    return TokenProbabilityVectorizer(
        tokenizer=BPETokenizer(vocab_size=300), cv=3, random_state=0, **params
    )


# --- The language model ---------------------------------------------------------------


def _probability(model, context, token):
    """P(token | context) read off the model, by scoring the sequence context+token."""
    queries = NGramQueries([[*context, token]], model.order, model.n_tokens)
    return np.exp(model.log_probabilities(queries)[-1])


@pytest.mark.parametrize("order", [1, 2, 3])
def test_every_context_gives_a_distribution_over_the_vocabulary(order):
    model = KneserNeyModel(order, n_tokens=5, discount=0.75).fit(SEQUENCES)
    # Contexts seen in training, unseen ones (4 never occurs) and the document start.
    for context in [*product(range(5), repeat=order - 1), ()][:30]:
        total = sum(_probability(model, context, token) for token in range(5))
        assert total == pytest.approx(1.0)


def test_seen_ngrams_are_likelier_than_unseen_ones():
    model = KneserNeyModel(3, n_tokens=5, discount=0.75).fit(SEQUENCES)
    assert _probability(model, (1, 2), 1) > _probability(model, (1, 2), 4)
    assert _probability(model, (1, 2), 4) > 0


def test_a_unigram_model_counts_continuations():
    # Kneser-Ney's lower orders count distinct contexts, not occurrences: token 3
    # follows three different tokens, token 0 one, though each occurs three times.
    sequences = [[0, 0, 0], [1, 3], [2, 3], [0, 3]]
    model = KneserNeyModel(2, n_tokens=4, discount=0.5).fit(sequences)
    grams, counts, *_ = model.levels_[1]
    assert dict(zip(grams.tolist(), counts.tolist()))[3] == 3


def test_keys_that_overflow_64_bits_are_refused():
    with pytest.raises(ValueError, match="64-bit"):
        KneserNeyModel(6, n_tokens=2_000_000, discount=0.75)


@given(
    st.lists(
        st.lists(st.floats(-30, 0, allow_nan=False), min_size=0, max_size=12),
        min_size=1,
        max_size=6,
    )
)
def test_document_statistics_match_a_per_document_computation(documents):
    values = np.array([v for document in documents for v in document], dtype=float)
    lengths = [len(document) for document in documents]
    got = document_statistics(values, lengths)
    for row, document in zip(got, documents):
        if not document:
            assert not row.any()
            continue
        ordered = np.sort(document)
        quarter = max(len(document) // 4, 1)
        expected = [
            np.mean(document),
            ordered[0],
            ordered[-1],
            np.var(document),
            ordered[-quarter:].mean(),
            ordered[:quarter].mean(),
        ]
        np.testing.assert_allclose(row, expected, atol=1e-7)


# --- The vectorizer -------------------------------------------------------------------


def test_features_and_their_names():
    vectorizer = small()
    features = vectorizer.fit_transform(TEXTS, LABELS)
    names = vectorizer.get_feature_names_out()
    # all, positive: unigram, ngram, context each; one pair; six statistics; length.
    assert features.shape == (len(TEXTS), 7 * len(STATISTICS) + 1) == (24, 43)
    assert len(names) == features.shape[1]
    assert names[-1] == "n_tokens"
    assert {
        "all_ngram_mean",
        "positive_context_top25",
        "all-positive_ngram_var",
    } <= set(names)
    assert np.isfinite(features).all()
    assert (features[:, list(names).index("all_ngram_max")] <= 0).all()


def test_fit_transform_scores_each_document_with_models_that_did_not_see_it():
    vectorizer = small(references=("all",))
    cross_fitted = vectorizer.fit_transform(TEXTS, LABELS)
    in_sample = vectorizer.transform(TEXTS)
    mean = list(vectorizer.get_feature_names_out()).index("all_ngram_mean")
    # The full models know every n-gram of the training texts: they find them more
    # predictable than models fitted on the other folds do.
    assert (in_sample[:, mean] > cross_fitted[:, mean]).all()
    # transform of new text uses the full models, the same as fit(X).transform.
    again = small(references=("all",)).fit(TEXTS, LABELS)
    np.testing.assert_allclose(again.transform(TEXTS), in_sample)


def test_the_positive_reference_finds_machine_text_predictable():
    vectorizer = small(references=("positive",)).fit(TEXTS, LABELS)
    new = ["Furthermore, it is essential to consider the benefits.", "we was late lol"]
    mean = list(vectorizer.get_feature_names_out()).index("positive_ngram_mean")
    machine, human = vectorizer.transform(new)[:, mean]
    assert machine > human


def test_the_same_seed_gives_the_same_features():
    first = small().fit_transform(TEXTS, LABELS)
    np.testing.assert_array_equal(first, small().fit_transform(TEXTS, LABELS))


def test_features_selects_columns_by_name():
    chosen = ["positive_ngram_mean", "n_tokens", "all_unigram_top25"]
    vectorizer = small(features=chosen)
    full = small().fit(TEXTS, LABELS)
    features = vectorizer.fit(TEXTS, LABELS).transform(TEXTS[:3])
    assert vectorizer.get_feature_names_out().tolist() == chosen
    positions = [list(full.get_feature_names_out()).index(name) for name in chosen]
    np.testing.assert_allclose(features, full.transform(TEXTS[:3])[:, positions])


def test_an_unknown_feature_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"no feature\(s\) \['all_ngram_median'\]"):
        small(features=["all_ngram_median"]).fit(TEXTS, LABELS)


def test_class_references_need_labels_and_all_does_not():
    with pytest.raises(ValueError, match="fit needs y"):
        small().fit(TEXTS)
    features = small(references=("all",)).fit_transform(TEXTS)
    assert features.shape == (24, 3 * len(STATISTICS) + 1)


def test_bad_labels_are_refused_when_a_reference_needs_them():
    with pytest.raises(ValueError, match="only one class"):
        small().fit(TEXTS, [0] * len(TEXTS))
    # Without a class reference y is ignored, as scikit-learn's transformers do.
    small(references=("all",)).fit(TEXTS, [0, 1, 2] * 8)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"references": ("all", "humans")}, "'references' parameter"),
        ({"references": ()}, "non-empty"),
        ({"references": ("all", "all")}, "distinct"),
        ({"references": ("corpus",)}, "go together"),
        ({"corpus": ["some text"]}, "go together"),
    ],
)
def test_bad_references_say_what_to_pass(params, match):
    with pytest.raises(ValueError, match=match):
        small(**params).fit(TEXTS, LABELS)


def test_a_user_corpus_is_a_reference_of_its_own():
    corpus = ["In conclusion, it is essential to note the benefits."] * 5
    vectorizer = small(references=("corpus", "negative"), corpus=corpus)
    features = vectorizer.fit_transform(TEXTS, LABELS)
    names = vectorizer.get_feature_names_out().tolist()
    assert "corpus-negative_ngram_mean" in names
    assert np.isfinite(features).all()


def test_the_tokenizer_is_cloned_not_fitted_in_place():
    tokenizer = BPETokenizer(vocab_size=300, output="text")
    vectorizer = TokenProbabilityVectorizer(tokenizer=tokenizer, cv=3).fit(
        TEXTS, LABELS
    )
    assert not hasattr(tokenizer, "tokenizer_")
    assert tokenizer.output == "text"
    assert vectorizer.tokenizer_.output == "ids"


def test_a_non_tokenizer_is_refused():
    with pytest.raises(TypeError, match="not a tokenizer of this library"):
        TokenProbabilityVectorizer(tokenizer=StandardScaler(), cv=3).fit(TEXTS, LABELS)


def test_too_few_documents_for_the_folds():
    with pytest.raises(ValueError, match="cv=5 folds"):
        TokenProbabilityVectorizer(
            tokenizer=BPETokenizer(vocab_size=300)
        ).fit_transform(TEXTS[:6], LABELS[:3] + LABELS[-3:])


def test_empty_and_unseen_documents_get_finite_rows():
    vectorizer = small().fit(TEXTS, LABELS)
    features = vectorizer.transform(["", "zzzz qqqq xxxx", "\u4e2d\u6587"])
    assert np.isfinite(features).all()
    assert not features[0].any()  # no token: zeros, length 0


def test_wordfreq_adds_general_english_frequencies():
    pytest.importorskip("wordfreq")
    vectorizer = small(wordfreq=True, references=("all",))
    features = vectorizer.fit_transform(TEXTS, LABELS)
    names = vectorizer.get_feature_names_out().tolist()
    mean = features[:, names.index("wordfreq_mean")]
    common = vectorizer.transform(["the and of to a in"])[
        0, names.index("wordfreq_mean")
    ]
    rare = vectorizer.transform(["perspicacious sesquipedalian"])[
        0, names.index("wordfreq_mean")
    ]
    assert common > mean.max()
    assert rare < mean.min()


def test_a_missing_wordfreq_names_the_extra(monkeypatch):
    from sklearn_aidetect import token_probability

    monkeypatch.setattr(token_probability, "_WORDFREQ", {})
    monkeypatch.setitem(sys.modules, "wordfreq", None)  # as if not installed
    with pytest.raises(ImportError, match=r"sklearn_aidetect\[wordfreq\]"):
        small(wordfreq=True).fit_transform(TEXTS, LABELS)


def test_pipeline_grid_search_clone_and_pickle():
    pipeline = make_pipeline(
        small(), StandardScaler(), LogisticRegression(class_weight="balanced")
    )
    search = GridSearchCV(
        pipeline, {"tokenprobabilityvectorizer__order": [2, 3]}, cv=2, scoring="roc_auc"
    ).fit(TEXTS, LABELS)
    assert search.best_params_["tokenprobabilityvectorizer__order"] in (2, 3)
    model = search.best_estimator_
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_allclose(
        restored.predict_proba(TEXTS[:4]), model.predict_proba(TEXTS[:4])
    )
    assert clone(model).get_params()["tokenprobabilityvectorizer__order"] in (2, 3)
