"""Style features: how a document is written, not which words it uses.

Surface n-grams learn a domain's vocabulary; the measures here describe the shape
of the writing (sentence lengths and their spread, vocabulary richness, function
words, punctuation, paragraphs, word lengths, repetition), which language models
shape in the same direction whatever the topic. They are few (24), dense and cheap,
and meant to sit beside token-probability features or n-grams, not alone.

Several of them also measure a corpus's accidents (see ``../shared/data/README.md``,
"Known artefacts"), and a classifier learns those as readily as style:
``n_words`` and the paragraph counts separate HC3's short human answers and M4's
one-paragraph arXiv abstracts by length alone; ``uppercase_rate`` and
``digit_rate`` see anonymisation placeholders and numbered steps. The user guide
(``docs/transfer.rst``) lists which features the ready-made detector keeps.
"""

import re
from itertools import pairwise
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.utils.validation import check_is_fitted

from ._base import (
    Interval,
    NamedFeaturesMixin,
    TextTransformerMixin,
    _fit_context,
    select_features,
)
from ._validation import check_documents

__all__ = ["StyleVectorizer"]

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
# A sentence ends at . ! ? (and any closing quote or bracket) before whitespace.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]\u201d\u2019]*\s+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")
_FUNCTION_WORDS = frozenset(ENGLISH_STOP_WORDS)

# Punctuation counted per word: name -> the characters that count.
_PUNCTUATION = {
    "comma": ",",
    "period": ".",
    "semicolon": ";",
    "colon": ":",
    "exclamation": "!",
    "question": "?",
    "quote": '"\u201c\u201d',
    "parenthesis": "(",
    "dash": "-\u2013\u2014",
    "apostrophe": "'\u2019",
}

# Every feature, in output order, with what it measures (the docs list these).
FEATURES = {
    "n_words": "log(1 + words): length, a corpus artefact as often as a sign",
    "sentence_length_mean": "mean words per sentence",
    "sentence_length_std": "standard deviation of words per sentence",
    "burstiness": "sentence_length_std / (1 + mean): people vary sentence length",
    "type_token_ratio": "distinct / all words, averaged over windows of `window`",
    "repetition": "share of word bigrams repeated within a window of `window`",
    "function_word_rate": "share of words in scikit-learn's English stop words",
    **{f"{name}_rate": f"{name} marks per word" for name in _PUNCTUATION},
    "n_paragraphs": "log(1 + paragraphs), split at line breaks",
    "paragraph_length_mean": "mean words per paragraph",
    "word_length_mean": "mean characters per word",
    "word_length_std": "standard deviation of characters per word",
    "long_word_rate": "share of words of 7 or more characters",
    "uppercase_rate": "upper-case letters per character",
    "digit_rate": "digits per character",
}


class StyleVectorizer(
    NamedFeaturesMixin, TextTransformerMixin, TransformerMixin, BaseEstimator
):
    """Per-document style statistics: sentences, vocabulary, punctuation, layout.

    Returns 24 numbers per document (names from ``get_feature_names_out``):

    - ``n_words``: log(1 + number of words);
    - ``sentence_length_mean``, ``sentence_length_std`` and ``burstiness``
      (their ratio): generated text keeps sentences of even length, people vary;
    - ``type_token_ratio``: distinct words over words, averaged over windows of
      ``window`` words, so that it does not fall with length (MATTR);
    - ``repetition``: the share of word bigrams that repeat one seen earlier in
      the same window;
    - ``function_word_rate``: the share of words in scikit-learn's English stop
      word list (318 words);
    - ``comma_rate``, ``period_rate``, ``semicolon_rate``, ``colon_rate``,
      ``exclamation_rate``, ``question_rate``, ``quote_rate``,
      ``parenthesis_rate``, ``dash_rate``, ``apostrophe_rate``: marks per word;
    - ``n_paragraphs`` (log of one plus the count) and ``paragraph_length_mean``;
    - ``word_length_mean``, ``word_length_std``, ``long_word_rate`` (7+ letters);
    - ``uppercase_rate`` and ``digit_rate``: per character.

    The vectorizer learns nothing: ``fit`` only validates the parameters. A
    document without words gets zeros.

    Parameters
    ----------
    window : int, default=50
        Words per window of ``type_token_ratio`` and ``repetition``; a shorter
        document is one window.
    features : list of str, default=None
        The features to return, by name and in this order; None: all 24.

    Attributes
    ----------
    columns_ : ndarray of int
        The positions of the returned features among all 24.
    n_features_out_ : int
        The number of features returned: 24, or ``len(features)``.

    See Also
    --------
    TokenProbabilityVectorizer : How predictable each token is.

    Notes
    -----
    Length and layout features (``n_words``, ``n_paragraphs``,
    ``paragraph_length_mean``) separate some corpora by accident: HC3's human
    answers are much shorter than ChatGPT's, and M4's human arXiv abstracts are
    one paragraph where Llama-2 writes several. A model that leans on them learns
    the corpus; drop them with a column selector when that matters.

    Examples
    --------
    >>> from sklearn_aidetect import StyleVectorizer
    >>> vectorizer = StyleVectorizer().fit(["unused"])
    >>> features = vectorizer.transform(
    ...     ["I was late. Again! The bus broke down, so I walked.",
    ...      "Punctuality is essential. It fosters trust. It shows respect."])
    >>> names = vectorizer.get_feature_names_out().tolist()
    >>> names[:4]
    ['n_words', 'sentence_length_mean', 'sentence_length_std', 'burstiness']
    >>> features[:, names.index("burstiness")].round(2)
    array([0.53, 0.  ])
    """

    _parameter_constraints: dict = {
        "window": [Interval(Integral, 2, None, closed="left")],
        "features": [list, tuple, None],
    }

    def __init__(self, *, window=50, features=None):
        self.window = window
        self.features = features

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X=None, y=None):
        """Validate the parameters; nothing is learned.

        Parameters
        ----------
        X : iterable of str, default=None
            Ignored, checked when given.
        y : None
            Ignored.

        Returns
        -------
        self : StyleVectorizer
        """
        if X is not None:
            check_documents(X, estimator=self)
        self.columns_ = select_features(self, list(FEATURES), self.features)
        self.n_features_out_ = len(self.columns_)
        return self

    def transform(self, X):
        """Compute the style statistics of each document.

        Parameters
        ----------
        X : iterable of str
            The documents.

        Returns
        -------
        features : ndarray of shape (n_documents, n_features)
        """
        check_is_fitted(self)
        self._validate_params()
        documents = check_documents(X, estimator=self)
        features = np.zeros((len(documents), len(FEATURES)))
        for index, document in enumerate(documents):
            features[index] = self._document_features(document)
        return features[:, self.columns_]

    def _all_feature_names(self):
        return list(FEATURES)

    def _document_features(self, document):
        words = _WORD.findall(document)
        n_words = len(words)
        if not n_words:
            return np.zeros(len(FEATURES))
        lower = [word.lower() for word in words]
        sentences = [
            len(_WORD.findall(s)) for s in _SENTENCE_END.split(document.strip())
        ]
        sentences = np.array([n for n in sentences if n] or [n_words], dtype=float)
        paragraphs = [p for p in _PARAGRAPH_BREAK.split(document) if _WORD.search(p)]
        lengths = np.fromiter(map(len, words), dtype=float, count=n_words)
        n_characters = len(document)
        sentence_mean, sentence_std = sentences.mean(), sentences.std()
        return np.array(
            [
                np.log1p(n_words),
                sentence_mean,
                sentence_std,
                sentence_std / (1.0 + sentence_mean),
                *self._window_statistics(lower),
                sum(word in _FUNCTION_WORDS for word in lower) / n_words,
                *(
                    sum(map(document.count, marks)) / n_words
                    for marks in _PUNCTUATION.values()
                ),
                np.log1p(len(paragraphs)),
                n_words / max(len(paragraphs), 1),
                lengths.mean(),
                lengths.std(),
                np.mean(lengths >= 7),
                sum(map(str.isupper, document)) / n_characters,
                sum(map(str.isdigit, document)) / n_characters,
            ]
        )

    def _window_statistics(self, words):
        """Type-token ratio and bigram repetition, averaged over windows."""
        window = self.window
        starts = range(0, max(len(words) - window, 0) + 1, window)
        ratios, repeats = [], []
        for start in starts:
            chunk = words[start : start + window]
            ratios.append(len(set(chunk)) / len(chunk))
            bigrams = list(pairwise(chunk))
            if bigrams:
                repeats.append(1.0 - len(set(bigrams)) / len(bigrams))
        return np.mean(ratios), np.mean(repeats) if repeats else 0.0
