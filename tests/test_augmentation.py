"""TypoAugmenter: noise in fit_transform, none in transform, in pipelines and CV."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from sklearn_aidetect import TypoAugmenter, make_detector, make_essays


class Recorder(CountVectorizer):
    """A vectorizer that keeps the texts it was fitted on and asked to transform."""

    def fit_transform(self, raw_documents, y=None):
        self.fitted_on_ = list(raw_documents)
        return super().fit_transform(raw_documents, y)

    def transform(self, raw_documents):
        self.transformed_ = list(raw_documents)
        return super().transform(raw_documents)


def test_training_texts_get_noise_and_scored_texts_do_not():
    texts, labels = make_essays(40, random_state=0)
    recorder = Recorder()
    model = make_pipeline(
        TypoAugmenter(typo_rate=0.2, random_state=0), recorder, LogisticRegression()
    ).fit(texts, labels)
    changed = sum(a != b for a, b in zip(recorder.fitted_on_, texts))
    assert changed == len(texts)
    model.predict_proba(texts)
    assert recorder.transformed_ == texts


def test_the_same_seed_gives_the_same_texts_and_only_label_edits_one_class():
    texts, labels = make_essays(30, random_state=1)
    first = TypoAugmenter(typo_rate=0.1, case_rate=0.05, random_state=3)
    again = TypoAugmenter(typo_rate=0.1, case_rate=0.05, random_state=3)
    assert first.fit_transform(texts) == again.fit_transform(texts)
    machine_only = TypoAugmenter(typo_rate=0.1, only_label=1, random_state=3)
    edited = machine_only.fit_transform(texts, labels)
    for before, after, label in zip(texts, edited, labels):
        assert (before != after) == (label == 1)
    with pytest.raises(ValueError, match="needs y"):
        machine_only.fit_transform(texts)
    with pytest.raises(ValueError, match="one label per text"):
        machine_only.fit_transform(texts, labels[:3])
    with pytest.raises(ValueError, match="matches none of the labels"):
        machine_only.fit_transform(texts, [str(label) for label in labels])


def test_zero_rates_change_nothing_and_cross_validation_runs():
    texts, labels = make_essays(60, random_state=2)
    assert TypoAugmenter(typo_rate=0.0).fit_transform(texts) == texts
    detector = make_detector("tfidf-logistic")
    detector.steps.insert(1, ("augmenter", TypoAugmenter(random_state=0)))
    scores = cross_val_score(detector, texts, labels, cv=3, scoring="roc_auc")
    assert np.all((scores >= 0) & (scores <= 1))
