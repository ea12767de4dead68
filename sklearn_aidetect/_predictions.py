"""Predictions: a fitted detector's scores, checked, as the rows of an output file.

``aidetect predict`` (:mod:`sklearn_aidetect.cli`, a file read in memory) and
:func:`sklearn_aidetect.cluster.score_file` (a file read in partitions) check the
model and write their output the same way, with these functions: the probability of
the second class (machine-written) of each text, then a header and one row per text,
the probability with six decimals. A model that cannot be used raises a ValueError
whose message says what to do; the command line prints it as it is.
"""

from sklearn.exceptions import NotFittedError

# The decision column's value for a text too short to judge (a NaN decision).
ABSTAIN = "abstain"

__all__ = [
    "ABSTAIN",
    "check_two_classes",
    "machine_probability",
    "never_trained",
    "prediction_header",
    "prediction_rows",
]


def check_two_classes(model):
    """Raise ValueError unless ``model`` has two classes (or no ``classes_``)."""
    classes = list(getattr(model, "classes_", [0, 1]))
    if len(classes) != 2:
        raise ValueError(f"the model has {len(classes)} classes; expected two.")


def never_trained(exc, holder="the model"):
    """The ValueError to raise for the NotFittedError ``exc``.

    ``holder`` names what holds the detector, such as ``"the model file"``.
    """
    return ValueError(
        f"{holder} holds a detector that was never trained ({exc}). Train and save "
        "one with 'aidetect train'."
    )


def machine_probability(model, texts, *, holder="the model"):
    """The probability that each of ``texts`` is machine-written, as ``model`` says.

    The probability of the second class of a two-class detector, as an ndarray of
    shape (n_texts,). Raises ValueError if the model has other than two classes or
    was never fitted (``holder`` names what holds it, in the message).
    """
    check_two_classes(model)
    try:
        return model.predict_proba(texts)[:, 1]
    except NotFittedError as exc:
        raise never_trained(exc, holder) from exc


def prediction_header(*, kaggle, has_ids, decisions=False):
    """The header of a predictions file.

    ``id,generated`` (the Kaggle submission format) with ``kaggle``, else
    ``id,probability``, or ``row,probability`` when the texts have no ids, then
    ``decision`` with ``decisions``.
    """
    if kaggle:
        return ["id", "generated"]
    return ["id" if has_ids else "row", "probability"] + ["decision"] * decisions


def prediction_rows(ids, scores, *, first_row=1, decisions=None):
    """The rows ``[id, "0.123456"]`` of a predictions file, one per score.

    ``ids`` None numbers the rows instead, from ``first_row`` (for a file written in
    parts, the number of the part's first text). With ``decisions`` (from
    :func:`~sklearn_aidetect.decide`: 1.0, 0.0 or NaN), each row ends with its
    decision: 1 (machine), 0 (human) or ``abstain`` (too short to judge).
    """
    keys = range(first_row, first_row + len(scores)) if ids is None else ids
    if decisions is None:
        return [[key, f"{score:.6f}"] for key, score in zip(keys, scores)]
    return [
        [key, f"{score:.6f}", ABSTAIN if decision != decision else int(decision)]
        for key, score, decision in zip(keys, scores, decisions)
    ]
