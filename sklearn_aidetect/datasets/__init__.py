"""Datasets: labelled texts to train and test a detector on.

- :func:`load_csv`: a CSV file of texts (plain or gzip-compressed), in the layouts of
  the public training sets (DAIGT, the Kaggle "LLM - Detect AI Generated Text"
  competition) or any other with a text column and a label column, checked row by
  row with errors that name the line to fix.
- :func:`make_essays`: a small synthetic corpus of labelled school essays, written
  by this package's own templates, for examples, demos and tests.

Labels are always ``0`` for human-written and ``1`` for machine-written text.
"""

from ._csv import load_csv
from ._essays import make_essays

__all__ = ["load_csv", "make_essays"]
