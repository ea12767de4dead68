"""StyleVectorizer: each feature on a document whose value can be counted by hand."""

import pickle

import numpy as np
import pytest
from conftest import HUMAN_TEXTS, MACHINE_TEXTS
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_aidetect import StyleVectorizer
from sklearn_aidetect.style import FEATURES

TEXTS = HUMAN_TEXTS + MACHINE_TEXTS
LABELS = [0] * len(HUMAN_TEXTS) + [1] * len(MACHINE_TEXTS)
DOCUMENT = (
    'One two three. Four five, six seven eight!\n\nNine "ten" (eleven): 12 - it\'s.'
)


def features_of(document, **params):
    vectorizer = StyleVectorizer(**params).fit()
    names = vectorizer.get_feature_names_out().tolist()
    return dict(zip(names, vectorizer.transform([document])[0]))


def test_each_feature_counted_by_hand():
    got = features_of(DOCUMENT)
    # Words: One two three | Four five six seven eight | Nine ten eleven 12 it's.
    assert got["n_words"] == pytest.approx(np.log1p(13))
    assert got["sentence_length_mean"] == pytest.approx(13 / 3)
    assert got["sentence_length_std"] == pytest.approx(np.std([3, 5, 5]))
    assert got["burstiness"] == pytest.approx(np.std([3, 5, 5]) / (1 + 13 / 3))
    assert got["type_token_ratio"] == 1.0
    assert got["repetition"] == 0.0
    # scikit-learn lists the number words but not seven, 12 or "it's".
    assert got["function_word_rate"] == pytest.approx(10 / 13)
    assert got["comma_rate"] == pytest.approx(1 / 13)
    assert got["period_rate"] == pytest.approx(2 / 13)
    assert got["exclamation_rate"] == pytest.approx(1 / 13)
    assert got["quote_rate"] == pytest.approx(2 / 13)
    assert got["parenthesis_rate"] == pytest.approx(1 / 13)
    assert got["colon_rate"] == pytest.approx(1 / 13)
    assert got["dash_rate"] == pytest.approx(1 / 13)
    assert got["apostrophe_rate"] == pytest.approx(1 / 13)
    assert got["semicolon_rate"] == got["question_rate"] == 0.0
    assert got["n_paragraphs"] == pytest.approx(np.log1p(2))
    assert got["paragraph_length_mean"] == pytest.approx(13 / 2)
    assert got["long_word_rate"] == 0.0
    assert got["uppercase_rate"] == pytest.approx(3 / len(DOCUMENT))
    assert got["digit_rate"] == pytest.approx(2 / len(DOCUMENT))


def test_type_token_ratio_and_repetition_do_not_fall_with_length():
    block = " ".join(f"w{i}" for i in range(50))
    once, four_times = features_of(block), features_of(" ".join([block] * 4))
    # Whole-text ratios would be 1 and 1/4; per window of 50 words both are 1.
    assert once["type_token_ratio"] == four_times["type_token_ratio"] == 1.0
    assert once["repetition"] == four_times["repetition"] == 0.0
    repeated = features_of(" ".join(["the cat sat"] * 20))
    assert repeated["repetition"] > 0.9


def test_a_document_without_words_gets_zeros():
    vectorizer = StyleVectorizer().fit()
    assert not vectorizer.transform(["", "   ", "?!"]).any()


def test_features_picks_columns_by_name():
    chosen = ["burstiness", "comma_rate"]
    vectorizer = StyleVectorizer(features=chosen).fit(TEXTS)
    assert vectorizer.get_feature_names_out().tolist() == chosen
    full = StyleVectorizer().fit().transform(TEXTS)
    positions = [list(FEATURES).index(name) for name in chosen]
    np.testing.assert_array_equal(vectorizer.transform(TEXTS), full[:, positions])
    with pytest.raises(ValueError, match=r"no feature\(s\) \['commas'\]"):
        StyleVectorizer(features=["commas"]).fit()


def test_pipeline_grid_search_and_pickle():
    pipeline = make_pipeline(StyleVectorizer(), StandardScaler(), LogisticRegression())
    search = GridSearchCV(
        pipeline, {"stylevectorizer__window": [5, 10]}, cv=2, scoring="roc_auc"
    ).fit(TEXTS, LABELS)
    model = pickle.loads(pickle.dumps(search.best_estimator_))
    np.testing.assert_allclose(
        model.predict_proba(TEXTS), search.best_estimator_.predict_proba(TEXTS)
    )
