"""The generated texts as rows of a training file that ``aidetect train`` reads."""

from .._io import atomic_output
from ._clean import clean_generated_text

__all__ = ["COLUMNS", "generated_rows", "human_rows", "write_rows"]

COLUMNS = [
    "text",
    "label",
    "prompt_id",
    "generator",
    "temperature",
    "top_p",
    "persona",
    "sample",
    "finish_reason",
    "flags",
]


def generated_rows(requests, cache, *, clean=True):
    """The answered requests as rows of a training file, in plan order.

    Parameters
    ----------
    requests : list of Request
        From :func:`plan_requests`.
    cache : ResponseCache
        Their answers; requests without one are left out.
    clean : bool, default=True
        Clean each text with :func:`clean_generated_text`.

    Returns
    -------
    rows : list of dict
        With the keys of ``COLUMNS``: ``text``, ``label`` (1), ``prompt_id``,
        ``generator`` (the model), ``temperature``, ``top_p``, ``persona``,
        ``sample``, ``finish_reason`` and ``flags``.
    n_empty : int
        Answers with no text left, or refusals, which are not rows: no detector
        learns from them.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from sklearn_aidetect.generation import (
    ...     ResponseCache, generated_rows, plan_requests)
    >>> prompts = [{"prompt_id": "p1", "prompt": "Phones at school?",
    ...             "instructions": "", "persona": ""}]
    >>> [request] = plan_requests(prompts, ["m1"])
    >>> cache = ResponseCache(Path(tempfile.mkdtemp()) / "cache.jsonl")
    >>> cache.append({"key": request.key, "text": "Sure, here it is:\\n\\nAn essay.",
    ...               "finish_reason": "stop"})
    >>> rows, n_empty = generated_rows([request], cache)
    >>> rows[0]["text"], rows[0]["generator"], rows[0]["flags"], n_empty
    ('An essay.', 'm1', 'preamble', 0)
    """
    rows, n_empty, written = [], 0, set()
    for request in requests:
        record = cache.get(request.key)
        if record is None or request.key in written:
            continue
        written.add(request.key)
        if clean:
            text, flags = clean_generated_text(record["text"], record["finish_reason"])
        else:
            text = record["text"]
            flags = ["truncated"] if record["finish_reason"] == "length" else []
            flags += [] if text.strip() else ["empty"]
        if "empty" in flags or "refusal" in flags:
            n_empty += 1
            continue
        rows.append(
            {
                "text": text,
                "label": 1,
                "prompt_id": request.prompt_id,
                "generator": request.model,
                "temperature": _setting(request.temperature),
                "top_p": _setting(request.top_p),
                "persona": request.persona,
                "sample": request.sample,
                "finish_reason": record["finish_reason"] or "",
                "flags": " ".join(flags),
            }
        )
    return rows, n_empty


def _setting(value):
    return "" if value is None else f"{value:g}"


def human_rows(path):
    """Rows of a human-written file (``load_csv``'s rules; labels 0 when absent)."""
    import csv
    import gzip

    from ..datasets import load_csv

    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        header = []  # load_csv says what is wrong with the file
    group = "prompt_id" if "prompt_id" in header else None
    data = load_csv(path, require_labels=False, group_column=group)
    labels = [0] * len(data.data) if data.target is None else data.target.tolist()
    if any(label != 0 for label in labels):
        raise ValueError(
            f"{path}: --human holds texts labelled 1 (machine); it is for the "
            "human-written texts the generated ones are merged with."
        )
    groups = data.groups if data.groups is not None else [""] * len(data.data)
    return [
        {"text": text, "label": 0, "prompt_id": group, "generator": "human"}
        for text, group in zip(data.data, groups)
    ]


def write_rows(path, rows, *, overwrite=False):
    """Write rows as a CSV file that ``aidetect train`` reads, atomically.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file.
    rows : list of dict
        From :func:`generated_rows` (and human rows: ``text``, ``label`` 0...);
        a missing column is written empty.
    overwrite : bool, default=False
        Replace ``path`` if it exists.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from sklearn_aidetect.generation import write_rows
    >>> path = Path(tempfile.mkdtemp()) / "generated.csv"
    >>> write_rows(path, [{"text": "An essay.", "label": 1, "generator": "m1"}])
    >>> path.read_text().splitlines()[1]
    'An essay.,1,,m1,,,,,,'
    """
    import csv

    with atomic_output(path, overwrite=overwrite) as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)
