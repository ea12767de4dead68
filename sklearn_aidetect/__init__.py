"""sklearn_aidetect: scikit-learn building blocks for detecting machine-generated text.

Each stage of a detector (tokenize, preprocess tokens, embed, model) is a scikit-learn
transformer or estimator, so a whole detector is one ``Pipeline`` that ``GridSearchCV``
tunes and ``joblib`` saves.

Importing the package is light: TensorFlow and gensim are imported only by the
estimators that use them, when they are fitted.
"""

from .embeddings import (
    Doc2VecVectorizer,
    FastTextVectorizer,
    PretrainedVectorizer,
    Word2VecVectorizer,
)
from .preprocessing import StopWordRemover, VocabularyFilter
from .tokenization import (
    BPETokenizer,
    PretrainedTokenizer,
    UnigramTokenizer,
    WordPieceTokenizer,
    WordTokenizer,
)

__version__ = "0.1.0"

__all__ = [
    "BPETokenizer",
    "Doc2VecVectorizer",
    "FastTextVectorizer",
    "PretrainedTokenizer",
    "PretrainedVectorizer",
    "StopWordRemover",
    "UnigramTokenizer",
    "VocabularyFilter",
    "Word2VecVectorizer",
    "WordPieceTokenizer",
    "WordTokenizer",
    "__version__",
]
