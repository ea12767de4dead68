"""Explanations: which words of a text pushed its score towards machine or human.

:func:`explain_predictions` gives, for each text, its machine probability and a
weight for every stretch of it, by one of two methods:

- ``"linear"``, exact: a pipeline of TF-IDF (or count) vectorizers over words or
  characters and a linear classifier scores a text with
  ``decision_function = intercept + sum(tfidf_j * coef_j)``. Each n-gram's term
  ``tfidf_j * coef_j`` is shared out among its occurrences and, within one, among
  the characters it covers; the weights of a text's stretches plus ``base`` (the
  intercept) add up to its decision function exactly. Behind a
  ``CalibratedClassifierCV(ensemble=False)`` the decision function is the one of the
  single linear model inside, and the probability is its calibrated, monotone,
  image.
- ``"occlusion"``, for any detector: windows of ``window`` words are removed in turn
  (every ``stride`` words) and the text rescored; a word's weight is the mean drop
  of the machine probability over the windows that removed it. Positive: removing
  it made the text look less machine-written.

``"auto"`` takes the exact method where the model allows it. A pipeline that starts
with a :class:`~sklearn_aidetect.TextNormalizer` is explained on the text as
normalised, which is what the rest of it reads. :func:`write_explanation_report`
writes the explanations as one self-contained HTML page (``aidetect explain``).
"""

import html
import os
import re
from dataclasses import dataclass
from numbers import Integral, Real
from pathlib import Path

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import FixedThresholdClassifier, TunedThresholdClassifierCV
from sklearn.pipeline import FeatureUnion, Pipeline

from ._base import HasMethods, Interval, StrOptions, validate_params
from ._io import atomic_output
from ._words import MIN_WORDS, WORDS_AND_PUNCTUATION, WORDS_ONLY
from .abstention import decide
from .normalization import TextNormalizer

__all__ = ["Explanation", "explain_predictions", "write_explanation_report"]

# Occluded texts scored per predict_proba call: bounds memory on long texts.
_BATCH = 256


@dataclass(frozen=True)
class Explanation:
    """Why a detector scored one text as it did.

    Parameters
    ----------
    text : str
        The text as the detector read it (after its TextNormalizer, if any).
    probability : float
        The detector's probability that the text is machine-written.
    method : {"linear", "occlusion"}
        How the weights were found (see :mod:`sklearn_aidetect.explanation`).
    spans : tuple of (start, end, weight)
        Consecutive stretches covering ``text``: each word, each punctuation mark
        and the whitespace between them. Positive weights push towards machine.
        ``"linear"``: shares of the decision function; ``"occlusion"``: drops of the
        probability (whitespace and punctuation weigh 0).
    base : float or None
        ``"linear"``: the intercept; ``base + sum of the weights`` is the decision
        function. None for ``"occlusion"``.

    Examples
    --------
    >>> from sklearn_aidetect import Explanation
    >>> explanation = Explanation(
    ...     "We delve.", 0.9, "occlusion", ((0, 2, -0.1), (2, 3, 0.0), (3, 8, 0.4),
    ...     (8, 9, 0.0)))
    >>> explanation.top(1), explanation.top(1, towards="human")
    ([('delve', 0.4)], [('we', -0.1)])
    """

    text: str
    probability: float
    method: str
    spans: tuple
    base: float | None = None

    def top(self, n=5, *, towards="machine"):
        """The words that pushed the score most towards one side.

        Parameters
        ----------
        n : int, default=5
            How many words, at most.
        towards : {"machine", "human"}, default="machine"
            The side: the greatest positive weights, or the most negative.

        Returns
        -------
        list of (str, float)
            ``(word, weight)``, lowercased words with the weights of their
            occurrences summed, strongest first; only words that point that way.
        """
        if towards not in ("machine", "human"):
            raise ValueError(f"towards must be 'machine' or 'human', got {towards!r}")
        sign = 1.0 if towards == "machine" else -1.0
        totals = {}
        for start, end, weight in self.spans:
            word = self.text[start:end]
            if WORDS_ONLY.fullmatch(word):
                totals[word.lower()] = totals.get(word.lower(), 0.0) + weight
        ranked = sorted(totals.items(), key=lambda item: -sign * item[1])
        return [(word, weight) for word, weight in ranked[:n] if sign * weight > 0]


@validate_params(
    {
        "model": [HasMethods(["predict_proba"])],
        "texts": ["array-like"],
        "method": [StrOptions({"auto", "linear", "occlusion"})],
        "window": [Interval(Integral, 1, None, closed="left")],
        "stride": [Interval(Integral, 1, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
def explain_predictions(model, texts, *, method="auto", window=5, stride=None):
    """Explain a fitted detector's score of each text, word by word.

    Parameters
    ----------
    model : estimator
        A fitted two-class detector with ``predict_proba``, such as a ready-made
        one (:func:`make_detector`) or a model from :func:`load_model`.
    texts : array-like of str
        The texts to explain.
    method : {"auto", "linear", "occlusion"}, default="auto"
        ``"linear"`` (exact; TF-IDF/count vectorizers over words or characters and
        a linear classifier), ``"occlusion"`` (any detector), or ``"auto"``: linear
        where the model allows it.
    window : int, default=5
        Occlusion: the words removed at a time.
    stride : int, default=None
        Occlusion: the words between two windows; None means ``window`` (each word
        removed once). A smaller stride smooths the weights and costs more scoring.

    Returns
    -------
    list of Explanation
        One per text, in order.

    Examples
    --------
    >>> from sklearn_aidetect import explain_predictions, make_detector, make_essays
    >>> texts, labels = make_essays(60, random_state=0)
    >>> detector = make_detector("tfidf-logistic").fit(texts, labels)
    >>> [explanation] = explain_predictions(detector, texts[:1])
    >>> explanation.method
    'linear'
    >>> total = explanation.base + sum(weight for *_, weight in explanation.spans)
    >>> bool(abs(total - detector.decision_function(texts[:1])[0]) < 1e-6)
    True
    """
    texts = _texts(texts)
    if stride is not None and stride > window:
        raise ValueError(
            f"stride={stride} is larger than window={window}: the words between "
            "two windows would never be removed. Use a stride of at most window."
        )
    _check_two_classes(model)
    if isinstance(model, (FixedThresholdClassifier, TunedThresholdClassifierCV)):
        # predict_proba is the wrapped detector's own.
        model = model.estimator_
    normalize, scorer = _split_normalizer(model)
    read = [normalize(text) for text in texts]
    linear = _linear_parts(scorer)
    if method == "linear" and linear is None:
        raise ValueError(
            "method='linear' needs a pipeline of TF-IDF or count vectorizers "
            "(analyzer 'word' or 'char', their own tokenizer) and a linear "
            f"classifier with coef_; {type(_last(scorer)).__name__} is not one. "
            "Use method='occlusion', which explains any detector."
        )
    probabilities = scorer.predict_proba(read)[:, 1]
    explanations = []
    for text, probability in zip(read, probabilities):
        weights, base = None, None
        if method != "occlusion" and linear is not None:
            weights, base = _linear_weights(text, *linear)
        if weights is None:
            if method == "linear":
                raise ValueError(
                    "the vectorizer's n-grams cannot be placed in a text (its "
                    "preprocessing changes characters in context, or its "
                    "token_pattern matches empty tokens); use method='occlusion'."
                )
            explanations.append(
                _occlusion(scorer, text, probability, window, stride or window)
            )
            continue
        spans = tuple(
            (start, end, float(weights[start:end].sum()))
            for start, end in _segments(text)
        )
        explanations.append(
            Explanation(text, float(probability), "linear", spans, float(base))
        )
    return explanations


def _texts(texts):
    if isinstance(texts, str) or not all(isinstance(t, str) for t in texts):
        raise TypeError(
            "texts must be a list of strings, one per document; "
            "wrap a single text in a list."
        )
    return list(texts)


def _check_two_classes(model):
    classes = getattr(model, "classes_", None)
    if classes is None:
        raise ValueError(
            "the model was never trained; fit it (or train and save one with "
            "'aidetect train') before explaining its scores."
        )
    if len(classes) != 2:
        raise ValueError(f"the model has {len(classes)} classes; expected two.")


def _split_normalizer(model):
    """(normalize, the rest): a leading TextNormalizer step, applied apart."""
    if isinstance(model, Pipeline) and len(model.steps) > 1:
        first = model.steps[0][1]
        if isinstance(first, TextNormalizer):
            return (lambda text: first.transform([text])[0]), model[1:]
        if first in (None, "passthrough"):
            return (lambda text: text), model[1:]
    return (lambda text: text), model


def _last(model):
    return model.steps[-1][1] if isinstance(model, Pipeline) else model


# --- exact contributions of linear models ------------------------------------------


def _linear_parts(model):
    """``(vectorizers with their column offsets, coef, intercept)`` or None."""
    if not isinstance(model, Pipeline) or len(model.steps) != 2:
        return None
    (_, features), (_, classifier) = model.steps
    weights = _coefficients(classifier)
    if weights is None:
        return None
    if isinstance(features, FeatureUnion):
        parts = features.transformer_list
        if features.transformer_weights or not all(_placeable(v) for _, v in parts):
            return None
        vectorizers, offset = [], 0
        for _, vectorizer in parts:
            vectorizers.append((vectorizer, offset))
            offset += len(vectorizer.vocabulary_)
    elif _placeable(features):
        vectorizers = [(features, 0)]
    else:
        return None
    return vectorizers, *weights


def _placeable(vectorizer):
    """Whether each of the vectorizer's features can be found in the text."""
    return (
        isinstance(vectorizer, CountVectorizer)  # TfidfVectorizer is one
        and vectorizer.analyzer in ("word", "char")
        and vectorizer.tokenizer is None
        and vectorizer.preprocessor is None
        and hasattr(vectorizer, "vocabulary_")
    )


def _coefficients(classifier):
    """``(coef, intercept)`` of a linear two-class classifier, or None."""
    if isinstance(classifier, CalibratedClassifierCV):
        fitted = getattr(classifier, "calibrated_classifiers_", [])
        if len(fitted) != 1:  # ensemble=True averages several models
            return None
        classifier = fitted[0].estimator
    coef = getattr(classifier, "coef_", None)
    intercept = getattr(classifier, "intercept_", None)
    if coef is None or intercept is None:
        return None
    coef = coef.toarray() if hasattr(coef, "toarray") else np.asarray(coef)
    if coef.ndim != 2 or coef.shape[0] != 1:
        return None
    return coef[0].astype(float), float(np.ravel(intercept)[0])


def _linear_weights(text, vectorizers, coef, intercept):
    """Per-character shares of the decision function, or None if unplaceable."""
    weights = np.zeros(len(text))
    for vectorizer, offset in vectorizers:
        doc, source = _preprocessed(vectorizer, text)
        if doc is None:
            return None, None
        row = vectorizer.transform([text]).tocsr()
        terms = dict(
            zip(row.indices.tolist(), (row.data * coef[offset + row.indices]).tolist())
        )
        if vectorizer.analyzer == "word":
            occurrences = _word_ngrams(vectorizer, doc)
        else:
            occurrences = _char_ngrams(vectorizer, doc)
        if occurrences is None:
            return None, None
        for feature, places in occurrences.items():
            term = terms.get(feature)
            if not term:
                continue
            share = term / len(places)
            for chars in places:
                # Characters of the vectorizer's text, mapped back to the text's.
                np.add.at(weights, source[chars], share / len(chars))
    return weights, intercept


def _preprocessed(vectorizer, text):
    """The vectorizer's preprocessed text, and for each of its characters the
    index of the character of ``text`` it came from; (None, None) if unknown.

    Preprocessing (lowercasing, stripping accents) is applied character by
    character: where that gives the same string as preprocessing the whole text,
    each output character is known to come from its input character ("İ" lowercases
    to two characters, an accent is dropped); where it does not, nothing is placed.
    """
    preprocess = vectorizer.build_preprocessor()
    doc = preprocess(text)
    pieces = [preprocess(char) for char in text]
    if "".join(pieces) != doc:
        return None, None
    source = np.repeat(np.arange(len(text)), [len(piece) for piece in pieces])
    return doc, source


def _word_ngrams(vectorizer, doc):
    """``{feature index: [character indices of each occurrence]}``, words."""
    pattern = re.compile(vectorizer.token_pattern)
    group = 1 if pattern.groups == 1 else 0  # as scikit-learn reads the pattern
    stop = vectorizer.get_stop_words() or ()
    tokens = [m for m in pattern.finditer(doc) if m.group(group) not in stop]
    if any(not m.group(group) for m in tokens):
        return None  # empty tokens (a pattern such as \w*) cover no character
    words = [m.group(group) for m in tokens]
    spans = [np.arange(*m.span(group)) for m in tokens]
    vocabulary = vectorizer.vocabulary_
    low, high = vectorizer.ngram_range
    found = {}
    for n in range(low, high + 1):
        for i in range(len(words) - n + 1):
            index = vocabulary.get(" ".join(words[i : i + n]))
            if index is not None:
                found.setdefault(index, []).append(np.concatenate(spans[i : i + n]))
    return found


_WHITE_SPACES = re.compile(r"\s\s+")  # what scikit-learn's char analyzer folds


def _char_ngrams(vectorizer, doc):
    """``{feature index: [character indices of each occurrence]}``, characters."""
    # Fold whitespace runs as the analyzer does, keeping where each character was.
    kept, positions, last = [], [], 0
    for match in _WHITE_SPACES.finditer(doc):
        kept.append(doc[last : match.start()])
        positions.extend(range(last, match.start()))
        kept.append(" ")
        positions.append(match.start())
        last = match.end()
    kept.append(doc[last:])
    positions.extend(range(last, len(doc)))
    folded, positions = "".join(kept), np.asarray(positions)
    vocabulary = vectorizer.vocabulary_
    low, high = vectorizer.ngram_range
    found = {}
    for n in range(low, high + 1):
        for i in range(len(folded) - n + 1):
            index = vocabulary.get(folded[i : i + n])
            if index is not None:
                found.setdefault(index, []).append(positions[i : i + n])
    return found


def _segments(text):
    """Consecutive ``(start, end)`` covering ``text``: tokens and the gaps between."""
    segments, last = [], 0
    for match in WORDS_AND_PUNCTUATION.finditer(text):
        if match.start() > last:
            segments.append((last, match.start()))
        segments.append(match.span())
        last = match.end()
    if last < len(text):
        segments.append((last, len(text)))
    return segments


# --- occlusion, for any detector ---------------------------------------------------


def _occlusion(scorer, text, probability, window, stride):
    words = [m.span() for m in WORDS_ONLY.finditer(text)]
    starts = range(0, max(len(words) - window, 0) + 1, stride)
    if words and starts[-1] + window < len(words):
        starts = [*starts, len(words) - window]  # the last words are removed too
    windows = [(s, min(s + window, len(words))) for s in starts] if words else []
    occluded = [
        text[: words[first][0]] + text[words[last - 1][1] :] for first, last in windows
    ]
    drops = np.empty(len(occluded))
    for begin in range(0, len(occluded), _BATCH):
        scores = scorer.predict_proba(occluded[begin : begin + _BATCH])[:, 1]
        drops[begin : begin + len(scores)] = probability - scores
    totals, counts = np.zeros(len(words)), np.zeros(len(words))
    for (first, last), drop in zip(windows, drops):
        totals[first:last] += drop
        counts[first:last] += 1
    weight_at = {
        span: float(total / count) if count else 0.0
        for span, total, count in zip(words, totals, counts)
    }
    spans = tuple(
        (start, end, weight_at.get((start, end), 0.0)) for start, end in _segments(text)
    )
    return Explanation(text, float(probability), "occlusion", spans)


# --- the HTML report ---------------------------------------------------------------


@validate_params(
    {
        "explanations": [list],
        "path": [str, os.PathLike],
        "ids": ["array-like", None],
        "threshold": [Real, None],
        "min_words": [Interval(Integral, 0, None, closed="left")],
        "title": [str],
        "overwrite": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def write_explanation_report(
    explanations,
    path,
    *,
    ids=None,
    threshold=None,
    min_words=MIN_WORDS,
    title="Why the detector scored these texts as it did",
    overwrite=False,
):
    """Write explanations as one self-contained HTML page.

    Each text gets its probability, its decision at ``threshold`` (or "abstain"
    under ``min_words`` words, see :func:`decide`), the words that pushed it most
    towards machine and towards human, and the text itself with every word
    highlighted: red towards machine, blue towards human, stronger for a larger
    weight. No script, font or image is loaded: the file opens anywhere, offline.
    Written atomically; an existing file is replaced only with ``overwrite``.

    Parameters
    ----------
    explanations : list of Explanation
        From :func:`explain_predictions`.
    path : str or path-like
        The ``.html`` file to write.
    ids : array-like of str, default=None
        A name for each text; None numbers them from 1.
    threshold : float, default=None
        The decision threshold (a model's own: :func:`decision_threshold`); None
        shows no decisions.
    min_words : int, default=MIN_WORDS
        Texts with fewer words get "abstain" as their decision.
    title : str
        The page's title.
    overwrite : bool, default=False
        Replace ``path`` if it exists.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from sklearn_aidetect import (
    ...     explain_predictions, make_detector, make_essays, write_explanation_report)
    >>> texts, labels = make_essays(60, random_state=0)
    >>> detector = make_detector("tfidf-logistic").fit(texts, labels)
    >>> explanations = explain_predictions(detector, texts[:2])
    >>> page = write_explanation_report(
    ...     explanations, Path(tempfile.mkdtemp()) / "report.html", threshold=0.5)
    >>> page.read_text(encoding="utf-8").count('class="explained"')
    2
    """
    if not all(isinstance(e, Explanation) for e in explanations):
        raise TypeError(
            "explanations must be a list of Explanation, as explain_predictions "
            "returns."
        )
    ids = [str(i) for i in range(1, len(explanations) + 1)] if ids is None else ids
    ids = [str(i) for i in ids]
    if len(ids) != len(explanations):
        raise ValueError(
            f"got {len(ids)} ids for {len(explanations)} explanations; give one each."
        )
    cards = [
        _card(explanation, name, threshold, min_words)
        for explanation, name in zip(explanations, ids)
    ]
    page = _PAGE.format(
        title=html.escape(title),
        summary=_summary(explanations, threshold, min_words),
        cards="\n".join(cards),
    )
    with atomic_output(path, overwrite=overwrite) as handle:
        handle.write(page)
    return Path(path)


def _decision(explanation, threshold, min_words):
    """The report's label, by the rule of ``aidetect predict`` (abstention.decide)."""
    at = 1.0 if threshold is None else threshold  # no threshold: abstention only
    [decision] = decide([explanation.probability], [explanation.text], threshold=at,
                        min_words=min_words)  # fmt: skip
    if decision != decision:
        return "abstain"
    if threshold is None:
        return None
    return "machine" if decision == 1.0 else "human"


def _summary(explanations, threshold, min_words):
    if threshold is None:
        short = sum(_decision(e, None, min_words) == "abstain" for e in explanations)
        return (
            f"{len(explanations)} texts; no decision threshold (the model has none of "
            f"its own: train it with --target-fpr), {short} too short to judge "
            f"(fewer than {min_words} words)."
        )
    decisions = [_decision(e, threshold, min_words) for e in explanations]
    counts = ", ".join(
        f"{decisions.count(kind)} {kind}" for kind in ("machine", "human", "abstain")
    )
    return (
        f"{len(explanations)} texts at threshold {threshold:.6f}: {counts} (abstain: "
        f"fewer than {min_words} words)."
    )


def _card(explanation, name, threshold, min_words):
    decision = _decision(explanation, threshold, min_words)
    peak = max((abs(w) for *_, w in explanation.spans), default=0.0) or 1.0
    pieces = []
    for start, end, weight in explanation.spans:
        piece = html.escape(explanation.text[start:end])
        if weight == 0.0:
            pieces.append(piece)
            continue
        color = "214,39,40" if weight > 0 else "31,119,180"
        alpha = min(abs(weight) / peak, 1.0) * 0.75
        pieces.append(
            f'<span class="w" data-weight="{weight:.6g}" title="{weight:+.4g}" '
            f'style="background:rgba({color},{alpha:.3f})">{piece}</span>'
        )
    unit = (
        f"share of the decision function (exact; intercept {explanation.base:+.4f})"
        if explanation.method == "linear"
        else "drop of the probability when the word's window is removed (occlusion)"
    )
    tops = "".join(
        f"<p><b>Towards {side}:</b> "
        + (
            ", ".join(
                f"{html.escape(word)} ({weight:+.3g})"
                for word, weight in explanation.top(8, towards=side)
            )
            or "none"
        )
        + "</p>"
        for side in ("machine", "human")
    )
    verdict = (
        f' <span class="decision {decision}">{decision}</span>' if decision else ""
    )
    return (
        f'<section class="explained" data-id="{html.escape(name, quote=True)}" '
        f'data-probability="{explanation.probability:.6f}">\n'
        f"<h2>{html.escape(name)}: probability {explanation.probability:.3f}"
        f'{verdict}</h2>\n<p class="unit">Weights: {unit}.</p>\n{tops}\n'
        f'<div class="text">{"".join(pieces)}</div>\n</section>'
    )


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; max-width: 60rem; margin: 2rem auto; color: #222; }}
.text {{ white-space: pre-wrap; line-height: 1.7; font-family: Georgia, serif;
  border-left: 3px solid #ccc; padding-left: 1rem; }}
.explained {{ margin-bottom: 3rem; }}
.decision {{ font-size: 0.8em; padding: 0.1em 0.5em; border-radius: 0.3em;
  color: white; }}
.machine {{ background: #d62728; }}
.human {{ background: #1f77b4; }}
.abstain {{ background: #777; }}
.unit, .legend {{ color: #555; font-size: 0.9em; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="legend">Red words pushed the score towards machine-written, blue ones
towards human-written; the stronger the colour, the larger the push (hover a word
for its weight). A score is evidence, not proof: short texts, non-native writers and
texts unlike the training data are often misjudged. Do not decide a case on it
alone.</p>
<p class="summary">{summary}</p>
{cards}
</body>
</html>
"""
