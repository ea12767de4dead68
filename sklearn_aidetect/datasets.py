"""Datasets: labelled texts to train and test a detector on.

- :func:`load_csv`: a CSV file of texts (plain or gzip-compressed), in the layouts of
  the public training sets (DAIGT, the Kaggle "LLM - Detect AI Generated Text"
  competition) or any other with a text column and a label column, checked row by
  row with errors that name the line to fix.
- :func:`make_essays`: a small synthetic corpus of labelled school essays, written
  by this module's own templates, for examples, demos and tests.

Labels are always ``0`` for human-written and ``1`` for machine-written text.
"""

import codecs
import csv
import gzip
import os
import random
import re
import zlib
from numbers import Integral
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch, check_random_state

__all__ = ["load_csv", "make_essays"]

# --------------------------------------------------------------------------------------
# Loading CSV files
# --------------------------------------------------------------------------------------

# csv refuses fields longer than 131,072 characters by default; a long essay, a book
# chapter or a scraped web page is more. The limit is global to the process, so it is
# only ever raised (to the largest value a C long holds on every platform).
_FIELD_SIZE_LIMIT = 2**31 - 1

_HUMAN_LABELS = ("0", "0.0", "false", "human")
_MACHINE_LABELS = ("1", "1.0", "true", "machine", "ai", "generated", "llm")
_LABELS = {
    **dict.fromkeys(_HUMAN_LABELS, 0),
    **dict.fromkeys(_MACHINE_LABELS, 1),
}
_ACCEPTED_LABELS = (
    f"0 (human): {', '.join(_HUMAN_LABELS)}; "
    f"1 (machine): {', '.join(_MACHINE_LABELS)} (case and surrounding spaces ignored)"
)

_KAGGLE_COLUMNS = ("id", "prompt_id", "text")
_DAIGT_COLUMNS = ("text", "label", "prompt_name", "source")
_LAYOUTS_HINT = (
    "DAIGT files have text,label,...; the Kaggle competition's train_essays.csv has "
    "id,prompt_id,text,generated and its test_essays.csv id,prompt_id,text"
)
_WRITE_HINT = (
    "Python's csv module and pandas' DataFrame.to_csv write such fields correctly."
)


class _StrictDialect(csv.excel):
    """Excel's CSV (comma, double quotes, quotes doubled inside quotes), but strict:
    a stray quote or an unterminated quoted field is an error, never guessed at."""

    strict = True


def load_csv(
    path,
    text_column="text",
    label_column="auto",
    *,
    id_column="auto",
    require_labels=True,
    return_X_y=False,
):
    """Load a CSV file of texts and their human/machine labels.

    The file is read with Python's :mod:`csv` module (no pandas needed), as UTF-8
    (a byte-order mark written by Excel is dropped), and is gzip-decompressed when its
    name ends in ``.gz``. Quoted fields may span several lines and hold documents of
    any size. Every row is checked, and a problem is reported with the file, the line
    and what to do about it, before any model sees the data.

    The layouts of the public training sets are understood as they are:

    - DAIGT v2/v3 training files: ``text,label,prompt_name,source,...``
      (``layout="daigt"``);
    - the Kaggle "LLM - Detect AI Generated Text" competition files:
      ``id,prompt_id,text,generated`` (``train_essays.csv``) and ``id,prompt_id,text``
      (``test_essays.csv``, no labels: pass ``require_labels=False``)
      (``layout="kaggle"``);
    - any other file with a text column and a label column (``layout="custom"``).

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file; a name ending in ``.gz`` is read as gzip-compressed. The first
        row is the header.
    text_column : str, default="text"
        The column of documents. Every row must hold some text: an empty or
        whitespace-only cell is an error.
    label_column : str, "auto" or None, default="auto"
        The column of labels. ``"auto"`` takes ``"label"`` if the file has it, else
        ``"generated"`` (Kaggle) if it has that, else none. ``None`` reads no labels
        (then ``require_labels`` must be False). Labels are read, after stripping
        spaces and lowercasing, as 0 (human) from ``"0"``, ``"0.0"``, ``"false"``,
        ``"human"`` and as 1 (machine) from ``"1"``, ``"1.0"``, ``"true"``,
        ``"machine"``, ``"ai"``, ``"generated"``, ``"llm"``; any other value is an
        error.
    id_column : str, "auto" or None, default="auto"
        The column of document ids. ``"auto"`` takes ``"id"`` if the file has it;
        ``None`` reads no ids.
    require_labels : bool, default=True
        Raise an error when the file has no label column. Pass False to load texts
        to score, such as Kaggle's ``test_essays.csv``; ``target`` is then None
        unless the file has labels after all.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    dataset : :class:`~sklearn.utils.Bunch`
        With the keys:

        data : list of str
            The documents, in file order.
        target : ndarray of shape (n_documents,), dtype=int64, or None
            0 for human-written, 1 for machine-written; None when the file has no
            label column (and ``require_labels=False``).
        ids : list of str or None
            The id column, or None.
        layout : {"kaggle", "daigt", "custom"}
            ``"kaggle"`` when the header has ``id``, ``prompt_id`` and ``text``,
            ``"daigt"`` when it has ``text``, ``label``, ``prompt_name`` and
            ``source``, else ``"custom"``.
        text_column, label_column, id_column : str or None
            The columns that were read (None: not read).
        filename : str
            The path of the file.

    (data, target) : tuple
        If ``return_X_y`` is True.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        If the file is a folder, empty, not UTF-8, not valid gzip or CSV, has a row
        whose number of fields differs from the header's, repeats a column name,
        lacks a column it needs, has no data rows, or has an empty text, an empty
        label or a label that is not one of the spellings above.

    Notes
    -----
    A file whose labels are all of one class is loaded without complaint, since it
    may be data to score; a classifier needs both classes to be trained on.

    Reading raises the :mod:`csv` module's field size limit, which is shared by the
    whole process, to 2**31 - 1 characters (it is never lowered).

    Examples
    --------
    >>> import csv, pathlib, tempfile
    >>> from sklearn_aidetect.datasets import load_csv
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "essays.csv"
    >>> with open(path, "w", newline="", encoding="utf-8") as f:
    ...     csv.writer(f).writerows([
    ...         ["id", "text", "label"],
    ...         ["a1", "honestly i forgot the homework again", "human"],
    ...         ["a2", "Furthermore, homework fosters discipline.", "AI"],
    ...     ])
    >>> essays = load_csv(path)
    >>> for text in essays.data:
    ...     print(text)
    honestly i forgot the homework again
    Furthermore, homework fosters discipline.
    >>> essays.target
    array([0, 1])
    >>> essays.ids, essays.layout, essays.label_column
    (['a1', 'a2'], 'custom', 'label')
    >>> X, y = load_csv(path, return_X_y=True)
    """
    path = _check_path(path)
    filename = str(path)
    _check_column_parameter("text_column", text_column, auto=False)
    _check_column_parameter("label_column", label_column)
    _check_column_parameter("id_column", id_column)
    for name, value in [("require_labels", require_labels), ("return_X_y", return_X_y)]:
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(
                f"load_csv: {name} must be True or False, got {value!r} "
                f"({type(value).__name__})."
            )
    if label_column is None and require_labels:
        raise ValueError(
            "load_csv: label_column=None reads no labels, but require_labels=True "
            "asks for them. Pass require_labels=False to load texts without labels, "
            "or name the label column."
        )
    if csv.field_size_limit() < _FIELD_SIZE_LIMIT:
        csv.field_size_limit(_FIELD_SIZE_LIMIT)

    compressed = path.name.lower().endswith(".gz")
    opener = gzip.open if compressed else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            dataset = _read_csv(
                handle, filename, text_column, label_column, id_column, require_labels
            )
    except UnicodeDecodeError:
        raise ValueError(_not_utf8_message(path, compressed)) from None
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise ValueError(
            f"load_csv: {filename} is not a valid gzip file ({exc}). A file whose "
            "name ends in .gz is read as gzip-compressed: rename a plain CSV file to "
            "end in .csv, or download or compress the file again if it is cut short."
        ) from None
    if return_X_y:
        return dataset.data, dataset.target
    return dataset


def _check_path(path):
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            "load_csv: path must be a file path (str or os.PathLike), got "
            f"{type(path).__name__}."
        )
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"load_csv: no file at {path}. Check the path (relative paths start at "
            f"the current folder, {Path.cwd()})."
        )
    if path.is_dir():
        raise ValueError(
            f"load_csv: {path} is a folder, not a CSV file. Give the path of the file "
            "inside it, e.g. train_essays.csv."
        )
    return path


def _check_column_parameter(name, value, *, auto=True):
    if isinstance(value, str) or (value is None and auto):
        return
    allowed = 'a column name (str), "auto" or None' if auto else "a column name (str)"
    raise TypeError(f"load_csv: {name} must be {allowed}, got {value!r}.")


def _read_csv(handle, filename, text_column, label_column, id_column, require_labels):
    reader = csv.reader(_lines_without_nul(handle, filename), dialect=_StrictDialect)
    rows = _numbered_rows(reader, filename)
    first = next(rows, None)
    if first is None:
        raise ValueError(
            f"load_csv: {filename} is empty: it has no header row. A CSV file of "
            "texts starts with a header naming its columns, e.g. text,label."
        )
    header_line, header = first
    header = [name.strip() for name in header]
    _check_unique_columns(header, filename)

    text_index = _column_index(header, text_column, "text_column", filename)
    if label_column == "auto":
        label_column = next((c for c in ("label", "generated") if c in header), None)
        if label_column is None and require_labels:
            raise ValueError(
                f"load_csv: {filename} has no label column: label_column='auto' looks "
                f"for 'label' or 'generated', and the columns are {header}. "
                f"({_LAYOUTS_HINT}.) Pass label_column='<name>' to name the column of "
                "labels, or require_labels=False to load texts without labels."
                f"{_case_hint(header, 'label', 'label_column')}"
            )
    label_index = None
    if label_column is not None:
        label_index = _column_index(header, label_column, "label_column", filename)
    if id_column == "auto":
        id_column = "id" if "id" in header else None
    id_index = None
    if id_column is not None:
        id_index = _column_index(header, id_column, "id_column", filename)

    n_columns = len(header)
    texts, labels, ids = [], [], []
    bad_labels = {}  # normalised value -> (value as written, first line, count)
    row_number = 0
    for row_number, (line, row) in enumerate(rows, 1):
        if len(row) != n_columns:
            raise ValueError(
                f"load_csv: {filename} is not a valid CSV file: line {line} (data row "
                f"{row_number}) has {len(row)} field(s), but the header on line "
                f"{header_line} has {n_columns} column(s). A field that holds a "
                "comma, a double quote or a line break must be quoted, with quotes "
                f"inside it doubled; {_WRITE_HINT}"
            )
        text = row[text_index]
        if not text or text.isspace():
            raise ValueError(
                f"load_csv: {filename}: data row {row_number} (line {line}) has an "
                f"empty text in column {text_column!r}. Remove that row or fill it "
                "in: every document must hold some text."
            )
        texts.append(text)
        if label_index is not None:
            value = row[label_index]
            label = _LABELS.get(value)
            if label is None:
                key = value.strip().lower()
                if not key:
                    raise ValueError(
                        f"load_csv: {filename}: data row {row_number} (line {line}) "
                        f"has an empty label in column {label_column!r}. Fill it in "
                        "(0 = human, 1 = machine) or remove the row; to score texts "
                        "whose labels are unknown, pass label_column=None and "
                        "require_labels=False."
                    )
                label = _LABELS.get(key)
                if label is None:
                    spelling, first_line, count = bad_labels.get(
                        key, (value.strip(), line, 0)
                    )
                    bad_labels[key] = (spelling, first_line, count + 1)
                    label = -1
            labels.append(label)
        if id_index is not None:
            ids.append(row[id_index])
    if not row_number:
        raise ValueError(
            f"load_csv: {filename} has a header (line {header_line}: {header}) but no "
            "data rows. Check that this is the file you meant to load."
        )
    if bad_labels:
        shown = ", ".join(
            f"{spelling!r} (first on line {first_line})"
            for spelling, first_line, _ in list(bad_labels.values())[:5]
        )
        more = len(bad_labels) - 5
        n_rows = sum(count for _, _, count in bad_labels.values())
        raise ValueError(
            f"load_csv: column {label_column!r} of {filename} holds labels that are "
            f"not human/machine labels, in {n_rows} row(s): {shown}"
            + (f" and {more} other value(s)" if more > 0 else "")
            + f". Accepted labels are {_ACCEPTED_LABELS}. Map the labels to these "
            "first, or pass label_column= the column that holds them."
        )
    present = set(header)
    if all(column in present for column in _KAGGLE_COLUMNS):
        layout = "kaggle"
    elif all(column in present for column in _DAIGT_COLUMNS):
        layout = "daigt"
    else:
        layout = "custom"
    return Bunch(
        data=texts,
        target=None if label_index is None else np.asarray(labels, dtype=np.int64),
        ids=None if id_index is None else ids,
        layout=layout,
        text_column=text_column,
        label_column=label_column,
        id_column=id_column,
        filename=filename,
    )


def _lines_without_nul(handle, filename):
    """The lines of ``handle``; a NUL character (binary or UTF-16 data) is an error.

    Python 3.11+ reads NUL into fields, where it only causes trouble downstream.
    """
    for number, line in enumerate(handle, 1):
        if "\x00" in line:
            raise ValueError(
                f"load_csv: {filename} is not a valid CSV file: line {number}: it "
                "holds a NUL character (\\x00), which a text file never does. The "
                "file may be binary (a spreadsheet, say) or UTF-16 text: export or "
                "re-save it as a UTF-8 CSV file."
            )
        yield line


def _numbered_rows(reader, filename):
    """Yield ``(first line, row)`` for each non-blank row of a csv ``reader``."""
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "end of data" in str(exc):
                hint = (
                    f"a quoted field that opens on line {start} is never closed; "
                    'look for a stray double quote (").'
                )
            else:
                hint = (
                    'a double quote (") inside a field must be doubled ("") and the '
                    "whole field quoted."
                )
            raise ValueError(
                f"load_csv: {filename} is not a valid CSV file: line {start}: {exc}: "
                f"{hint} {_WRITE_HINT}"
            ) from None
        if row:  # a blank line between rows is skipped, like csv.DictReader does
            yield start, row
        start = reader.line_num + 1


def _check_unique_columns(header, filename):
    positions = {}
    for index, name in enumerate(header, 1):
        positions.setdefault(name, []).append(index)
    repeated = {name: where for name, where in positions.items() if len(where) > 1}
    if repeated:
        described = "; ".join(
            f"{name!r} (columns {', '.join(map(str, where))})"
            for name, where in repeated.items()
        )
        raise ValueError(
            f"load_csv: the header of {filename} repeats column names: {described}. "
            "Rename the columns so that each name is unique."
        )


def _column_index(header, column, parameter, filename):
    try:
        return header.index(column)
    except ValueError:
        pass
    if parameter == "text_column":
        advice = (
            f"({_LAYOUTS_HINT}.) Pass text_column='<name>' to name the column of "
            "texts; if the file has no header row, add one."
        )
    else:
        advice = f"Pass {parameter}= one of them."
    raise ValueError(
        f"load_csv: {filename} has no column {column!r} ({parameter}); its columns "
        f"are {header}. {advice}{_case_hint(header, column, parameter)}"
    )


def _case_hint(header, column, parameter):
    matches = [name for name in header if name.lower() == column.lower()]
    if len(matches) == 1:
        return f" Did you mean {parameter}={matches[0]!r}?"
    return ""


def _not_utf8_message(path, compressed):
    head, where = _first_bytes_and_bad_byte(path, compressed)
    message = f"load_csv: {path} is not UTF-8 text{where}."
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        message += " It starts with a UTF-16 byte-order mark: it is UTF-16 text."
    elif head[:2] == b"\x1f\x8b" and not compressed:
        message += (
            " It looks gzip-compressed: give it a name that ends in .gz "
            "(e.g. train.csv.gz) so that it is decompressed."
        )
    return message + (
        " Re-save the file as UTF-8: in Excel, Save As > 'CSV UTF-8'; with pandas, "
        "pd.read_csv(path, encoding=...).to_csv(new_path, index=False) (pandas "
        "writes UTF-8)."
    )


def _first_bytes_and_bad_byte(path, compressed):
    """The first bytes of the file, and where its first byte that is not UTF-8 lies.

    The file is read again in binary, in chunks, through an incremental decoder that
    keeps a character cut in two by a chunk boundary for the next chunk.
    """
    opener = gzip.open if compressed else open
    decoder = codecs.getincrementaldecoder("utf-8")()
    head = None
    offset = newlines = 0
    try:
        with opener(path, "rb") as handle:
            while True:
                chunk = handle.read(1 << 20)
                if head is None:
                    head = chunk[:4]
                pending = len(decoder.getstate()[0])
                try:
                    decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError as exc:
                    # exc.object holds the pending bytes, then this chunk.
                    position = offset - pending + exc.start
                    line = newlines + exc.object.count(b"\n", 0, exc.start) + 1
                    byte = exc.object[exc.start]
                    return head, (
                        f": the byte 0x{byte:02x} at offset {position} (line {line}) "
                        "is not valid UTF-8"
                    )
                if not chunk:
                    break
                offset += len(chunk)
                newlines += chunk.count(b"\n")
    except (OSError, EOFError, zlib.error):  # a gzip stream cut short, say
        pass
    return head or b"", ""


# --------------------------------------------------------------------------------------
# Synthetic essays
# --------------------------------------------------------------------------------------
#
# Every sentence below was written for this module. An essay is a sequence of
# sentences, each drawn from a template of a "role" (hook, thesis, reason, example,
# counterargument, aside, closer) in one of two registers: informal ("_h", the way a
# student writes in a hurry) or formal ("_f", the stock register of a chat assistant).
# Templates hold {slots}, filled from the essay's topic or from the shared word lists.
# Each essay draws its own share of formal sentences, of sloppiness (typos, dropped
# apostrophes, lowercase "i", run-on sentences) and of paragraph structure, from
# distributions that differ by class but overlap: the classes are told apart by
# tendencies, as real detectors must, and not by any single marker.

_SHARED_SLOTS = {
    "relative": [
        "mom",
        "dad",
        "aunt",
        "uncle",
        "grandma",
        "grandpa",
        "older brother",
        "older sister",
        "stepdad",
        "neighbor",
    ],
    "friend": [
        "Maya",
        "Jordan",
        "Luis",
        "Priya",
        "Tyler",
        "Aaliyah",
        "Ben",
        "Sofia",
        "Marcus",
        "Emma",
        "Kenji",
        "Nora",
        "Diego",
        "Hannah",
        "Omar",
        "Chloe",
        "my friend",
        "my best friend",
        "this kid in my class",
        "a girl on my team",
    ],
    "time_ago": [
        "last year",
        "two summers ago",
        "in eighth grade",
        "a few months ago",
        "back in middle school",
        "last spring",
        "freshman year",
        "over winter break",
        "in sixth grade",
        "last fall",
    ],
    "trans": [
        "Furthermore",
        "Moreover",
        "Additionally",
        "In addition",
        "Equally important",
        "Beyond this",
        "Similarly",
        "Notably",
        "Likewise",
        "Importantly",
    ],
    "adj": [
        "significant",
        "compelling",
        "important",
        "key",
        "major",
        "crucial",
        "fundamental",
    ],
    "benefit": [
        "personal growth",
        "academic success",
        "a sense of responsibility",
        "lifelong skills",
        "student well-being",
        "meaningful connections",
        "independence",
        "critical thinking",
    ],
    "hedge": [
        "Honestly",
        "To be honest",
        "I mean",
        "Like",
        "Basically",
        "Okay so",
        "Seriously",
        "Look",
    ],
    "feeling": [
        "annoyed",
        "stressed out",
        "happy",
        "really tired",
        "super confused",
        "relieved",
        "mad",
    ],
}

_TEMPLATES = {
    "hook_f": [
        "In today's rapidly changing world, {subject} has become a topic of "
        "considerable debate.",
        "The question of {subject} has sparked {adj} discussion among students, "
        "parents, and educators.",
        "Few issues generate as much discussion in schools as {subject}.",
        "{subject} is an issue that affects {group} in many {adj} ways.",
        "Over the past decade, {subject} has attracted growing attention from "
        "{group} and policymakers alike.",
        "Whether we realize it or not, {subject} shapes the daily lives of {group}.",
        "When it comes to {subject}, there are strong arguments on both sides.",
        "Many people have strong opinions about {subject}, and for good reason.",
    ],
    "hook_h": [
        "So everyone keeps talking about {subject} and honestly I have a lot of "
        "thoughts.",
        "Ok so, {subject}.",
        "I didn't really care about {subject} until it actually affected me.",
        "{subject} is something I think about a lot more than I should.",
        "My teacher asked us to write about {subject}, so here goes.",
        "When people bring up {subject} I usually just roll my eyes, but this time "
        "I want to say something.",
        "Let me tell you what I think about {subject}.",
        "I have a lot to say about {subject}, so bear with me.",
        "Everybody at my school has an opinion on {subject}, including me.",
    ],
    "thesis_f": [
        "{claim}.",
        "This essay will argue that {claim}.",
        "After careful consideration, it becomes clear that {claim}.",
        "I firmly believe that {claim}.",
        "The evidence suggests that {claim}.",
        "There are several compelling reasons why {claim}.",
        "In my view, {claim}, for reasons that deserve careful examination.",
    ],
    "thesis_h": [
        "I think {claim}.",
        "Personally, I think {claim}.",
        "My opinion is that {claim}.",
        "Basically, {claim}.",
        "I'm pretty sure {claim}.",
        "{claim}, and I'll explain why.",
        "If you ask me, {claim}.",
        "I've thought about it a lot and {claim}.",
    ],
    "reason_f": [
        "{trans}, {reason}.",
        "One {adj} reason is that {reason}.",
        "First and foremost, {reason}.",
        "It is essential to recognize that {reason}.",
        "Another important consideration is that {reason}.",
        "It is worth noting that {reason}.",
        "This matters because {reason}.",
        "It is also important to consider that {reason}.",
        "{trans}, {reason}, which contributes to {benefit}.",
        "A {adj} factor is that {reason}.",
    ],
    "reason_h": [
        "{reason}.",
        "Also, {reason}.",
        "Another thing is that {reason}.",
        "The main thing is {reason}.",
        "And {reason}.",
        "Plus {reason}, which nobody seems to talk about.",
        "{hedge}, {reason}.",
        "It's simple, {reason}.",
        "The way I see it, {reason}.",
        "{reason}, and that's a big deal.",
    ],
    "example_f": [
        "For instance, {example}.",
        "To illustrate, {example}.",
        "A clear example of this is that {example}.",
        "Consider, for example, that {example}.",
        "For example, {example}, which highlights the importance of this issue.",
        "As an illustration, {example}.",
    ],
    "example_h": [
        "Like one time {example}.",
        "Here's what I mean, {example}.",
        "For example, {example}.",
        "This actually happened, {example}.",
        "True story, {example}.",
        "Here's a story, {example}.",
        "{hedge}, {example}.",
    ],
    "counter_f": [
        "Critics may argue that {counter}; however, {reason}.",
        "Admittedly, {counter}. Nevertheless, {reason}.",
        "While some believe that {counter}, this view overlooks the fact that "
        "{reason}.",
        "It is true that {counter}, but {reason}.",
        "On the other hand, some argue that {counter}.",
    ],
    "counter_h": [
        "Some people say {counter}, but {reason}.",
        "I get that {counter}, but still.",
        "My {relative} thinks {counter}, and I kind of see the point, but {reason}.",
        "Yeah, {counter}, but come on.",
        "People will say {counter}.",
        "Ok, {counter}, I'll give them that.",
    ],
    "aside_f": [
        "This perspective is supported by a variety of considerations.",
        "It is worth noting that opinions on this matter vary widely.",
        "Such an approach fosters {benefit} and prepares {group} for the future.",
        "Striking the right balance is crucial in this regard.",
        "These factors contribute to a more supportive environment for everyone "
        "involved.",
        "This is a {adj} point that deserves careful attention.",
        "Ultimately, the well-being of {group} should remain the top priority.",
        "This consideration is particularly relevant for {group}.",
    ],
    "aside_h": [
        "I know not everyone agrees with me.",
        "It's kind of a big deal if you think about it.",
        "That's just how it is.",
        "My {relative} says the same thing, for what it's worth.",
        "Honestly, it's not that complicated.",
        "I could go on about this forever.",
        "Nobody ever asks students what they think, which is annoying.",
        "Not even kidding.",
        "Seriously.",
        "It made me feel {feeling}.",
        "I was so {feeling} about it.",
        "Anyway.",
        "It's a lot, trust me.",
        "Which is kind of funny if you think about it.",
    ],
    "closer_f": [
        "In conclusion, {claim}.",
        "In conclusion, {subject} deserves careful attention from {group} and the "
        "adults who guide them.",
        "Ultimately, {claim}, and this would benefit {group} for years to come.",
        "To summarize, {claim}.",
        "By taking these considerations into account, we can make more informed "
        "decisions about {subject}.",
        "Overall, it is clear that {claim}.",
        "In summary, {claim}, which would foster {benefit}.",
    ],
    "closer_h": [
        "So yeah, {claim}.",
        "That's why I think {claim}.",
        "Anyway, that's my opinion.",
        "So in the end, {claim}.",
        "That's pretty much all I have to say about {subject}.",
        "In conclusion, {claim}.",
        "So that's what I think.",
        "Thanks for reading, I guess.",
        "Bottom line, {claim}.",
    ],
}

# Slots filled from the formal or the informal list of the topic: mostly in the
# register of their sentence, sometimes in the other (people mix registers). The
# claim_f and claim_h lists of a topic are in step: an essay takes one position,
# claim_f[i] when formal and claim_h[i] when not, and keeps it to its end.
_REGISTERED_SLOTS = ("claim", "reason", "counter")
_EXAMPLE_SLOT = "example"  # always in the sentence's register: anecdotes stay personal

_TOPICS = [
    {  # phones and driving
        "subject": [
            "using a phone while driving",
            "texting and driving",
            "phone use behind the wheel",
            "checking your phone while you drive",
        ],
        "group": ["teen drivers", "new drivers", "young drivers", "people on the road"],
        "claim_f": [
            "drivers should not use their phones in any way while operating a vehicle",
            "phone use while driving poses a serious risk that outweighs any "
            "convenience it offers",
            "stricter laws on phone use behind the wheel would save lives",
            "education about distracted driving should begin before students "
            "receive their licenses",
        ],
        "claim_h": [
            "nobody should be on their phone while they drive, period",
            "texting and driving is just dumb and it isn't worth it",
            "phones should go in the glove box the second you start the car",
            "people need to stop acting like a text can't wait",
        ],
        "reason_f": [
            "reading a single message can take a driver's eyes off the road for "
            "several seconds",
            "even hands-free calls divide a driver's attention between the "
            "conversation and the road",
            "inexperienced drivers have less capacity to react when something "
            "unexpected happens",
            "a moment of distraction can have consequences that last a lifetime",
            "drivers often overestimate their own ability to multitask",
            "navigation apps can be set up before a trip begins, removing any need to "
            "touch the phone",
        ],
        "reason_h": [
            "you can't watch the road and your screen at the same time, no matter "
            "what people think",
            "no text is so important that it can't wait ten minutes",
            "everyone thinks they're the exception until they're not",
            "my phone buzzing makes me want to check it, so I just put it on do not "
            "disturb",
            "a car is basically a two-ton machine and people treat it like a couch",
            "half the close calls I've seen were people looking down at their laps",
        ],
        "example_f": [
            "a driver traveling at highway speed covers a considerable distance in "
            "the few seconds it takes to read a text",
            "many communities have introduced hands-free laws after a rise in "
            "collisions linked to distraction",
            "driving instructors frequently report that students glance at "
            "notifications without realizing it",
            "a brief glance at a screen at an intersection can cause a driver to miss "
            "a pedestrian entering the crosswalk",
        ],
        "example_h": [
            "my {relative} rear-ended someone because they were reading a group chat "
            "at a red light",
            "I was riding with {friend} and we almost drifted into the other lane "
            "while picking a song",
            "a guy in front of us kept swerving and when we passed him he was "
            "scrolling on his phone",
            "my driving instructor made me hand over my phone before every lesson, "
            "which I thought was annoying but now I get it",
            "{friend} got a ticket for holding a phone at a stop sign and lost the "
            "car keys for a month",
        ],
        "counter_f": [
            "phones provide valuable navigation and emergency functions",
            "some drivers can handle brief interactions with their devices safely",
        ],
        "counter_h": [
            "you need your phone for directions",
            "a quick text at a red light isn't a big deal",
        ],
    },
    {  # car-free cities
        "subject": [
            "limiting car use in cities",
            "the idea of car-free city centers",
            "cutting back on driving",
            "building cities around people instead of cars",
        ],
        "group": ["city residents", "families", "commuters", "people in our community"],
        "claim_f": [
            "reducing car usage would make cities healthier, quieter, and more livable",
            "communities should invest in alternatives to private cars",
            "limiting car traffic in urban centers offers benefits for residents and "
            "the environment",
        ],
        "claim_h": [
            "we'd all be better off if we drove less",
            "cities should have way more places where cars just aren't allowed",
            "cutting down on driving is a good idea even if it's annoying at first",
        ],
        "reason_f": [
            "fewer vehicles on the road lead to cleaner air and lower emissions",
            "streets designed for walking and cycling encourage physical activity",
            "public transportation can move large numbers of people efficiently",
            "reduced traffic lowers the number of collisions involving pedestrians",
            "households that rely less on cars save money on fuel, insurance, and "
            "maintenance",
            "quieter streets contribute to a stronger sense of community",
        ],
        "reason_h": [
            "the air downtown smells like exhaust all the time",
            "biking places is actually faster than sitting in traffic half the time",
            "gas is expensive and my parents complain about it every single week",
            "nobody likes sitting at the same light for five minutes",
            "it's way nicer to walk around when there aren't cars honking at you",
            "kids could ride their bikes to school without their parents freaking out",
        ],
        "example_f": [
            "several cities have converted busy roads into pedestrian zones with "
            "positive results",
            "cities that host car-free days often report a noticeable drop in air "
            "pollution",
            "neighborhoods with reliable bus service tend to have fewer households "
            "that own multiple cars",
            "a single bus can replace dozens of cars during rush hour",
        ],
        "example_h": [
            "when they closed main street for the summer fair the whole town felt "
            "different, like people actually talked to each other",
            "my {relative} sold their car after moving to the city and says they "
            "don't miss it at all",
            "I started biking to practice and got there faster than the kids who got "
            "rides",
            "we visited my {relative} in a city with trains everywhere and we didn't "
            "get in a car for a week",
        ],
        "counter_f": [
            "many rural residents have no practical alternative to driving",
            "public transportation systems require significant investment",
        ],
        "counter_h": [
            "some people live way too far from anything to walk",
            "the bus takes forever",
        ],
    },
    {  # summer projects
        "subject": [
            "the summer project",
            "student-designed summer work",
            "schoolwork over the summer",
            "the summer assignment",
        ],
        "group": ["students", "teachers", "high schoolers", "kids on break"],
        "claim_f": [
            "summer projects should be designed by students rather than teachers",
            "student-designed projects encourage deeper engagement with learning",
            "allowing students to choose their summer projects promotes independence "
            "and creativity",
        ],
        "claim_h": [
            "students should get to pick their own summer projects",
            "summer projects are only worth doing if you actually care about the topic",
            "teachers should let us design our own projects, at least some of the time",
        ],
        "reason_f": [
            "students who choose their own topics are more likely to remain "
            "motivated throughout the break",
            "independent projects develop planning and time management skills",
            "learning continues when students connect assignments to their personal "
            "interests",
            "self-directed work mirrors the expectations students will face in "
            "college and the workplace",
            "projects with personal meaning help prevent the learning loss that "
            "often occurs over the summer",
            "students gain confidence when they see an idea through from start to "
            "finish",
        ],
        "reason_h": [
            "nobody does a project they hate, they just copy something the night "
            "before school starts",
            "summer is supposed to be a break, so the project should at least be fun",
            "I actually learn stuff when it's something I picked",
            "teachers don't know what we're into",
            "it's way easier to stay motivated when you get to choose",
        ],
        "example_f": [
            "a student interested in astronomy might document the night sky over "
            "several weeks",
            "a student who enjoys cooking could research the chemistry behind baking "
            "bread",
            "schools that offer project choice frequently report higher completion "
            "rates",
        ],
        "example_h": [
            "I built a birdhouse {time_ago} for my project and I still remember "
            "everything about it",
            "{friend} made a whole video about a grandma's garden and it was the "
            "best thing anyone turned in",
            "my summer reading packet was so boring I finished it in the car on the "
            "last day",
            "I picked skateboard physics one year and ended up reading way more than "
            "I had to",
        ],
        "counter_f": [
            "teacher-designed projects ensure that essential skills are practiced "
            "consistently",
            "some students may struggle without clear guidance",
        ],
        "counter_h": [
            "some kids would just pick something really easy",
            "teachers know what's gonna be on the test",
        ],
    },
    {  # distance learning
        "subject": [
            "online school",
            "distance learning",
            "taking classes from home",
            "remote learning",
        ],
        "group": ["students", "families", "working students", "teenagers"],
        "claim_f": [
            "distance learning offers flexibility, but it cannot fully replace "
            "in-person instruction",
            "students benefit from having the option to attend some classes from home",
            "online learning should complement, rather than replace, traditional "
            "classrooms",
        ],
        "claim_h": [
            "online school is fine for some people but it was terrible for me",
            "having classes from home should be a choice, not something forced on "
            "everyone",
            "kids learn way better when they're actually in the room",
        ],
        "reason_f": [
            "students who learn remotely can work at their own pace",
            "face-to-face interaction helps students develop communication and "
            "social skills",
            "online courses allow students with health concerns or jobs to continue "
            "their education",
            "many students find it difficult to stay focused without the structure "
            "of a classroom",
            "teachers can more easily identify struggling students in person",
            "not every household has reliable internet access or a quiet place to "
            "study",
        ],
        "reason_h": [
            "my wifi cut out every other day and I'd miss half the lesson",
            "it's so easy to just turn your camera off and go back to sleep",
            "you don't get to see your friends, which is like half the reason to go "
            "to school",
            "I focus better when I'm not in my bedroom",
            "some people actually did better at home because nobody was bothering them",
        ],
        "example_f": [
            "during periods of school closure, many students reported feeling "
            "isolated from their peers",
            "a student who works part-time may find evening online courses far more "
            "manageable",
            "some schools now offer hybrid schedules that combine online and "
            "in-person classes",
        ],
        "example_h": [
            "during online school {friend} logged in and then played video games the "
            "entire period",
            "my little brother cried almost every day because he couldn't figure out "
            "how to unmute",
            "I had a math class online {time_ago} and I honestly don't remember a "
            "single thing from it",
            "my {relative} took night classes online while working and said it was "
            "the only way to finish",
        ],
        "counter_f": [
            "online platforms give students access to courses their school may not "
            "offer",
            "remote learning eliminates the time spent commuting",
        ],
        "counter_h": ["you get to sleep in", "online school is more chill"],
    },
    {  # extracurricular activities
        "subject": [
            "requiring extracurricular activities",
            "forcing students into after-school activities",
            "making every student join a club or sport",
            "extracurricular involvement",
        ],
        "group": ["students", "busy students", "freshmen", "shy students"],
        "claim_f": [
            "participation in an extracurricular activity should be encouraged but "
            "not required",
            "extracurricular activities provide valuable opportunities for personal "
            "growth",
            "schools should require each student to take part in at least one "
            "extracurricular activity",
        ],
        "claim_h": [
            "making everyone do a sport or club is a bad idea",
            "clubs are great but forcing people into them kind of ruins it",
            "everyone should try at least one activity, even if it's just for a "
            "semester",
        ],
        "reason_f": [
            "extracurricular activities help students build friendships outside "
            "their usual circles",
            "team activities teach collaboration, leadership, and perseverance",
            "students with jobs or family responsibilities may not have time for "
            "additional commitments",
            "activities such as debate or robotics allow students to apply classroom "
            "knowledge",
            "involvement in school activities is associated with a stronger sense of "
            "belonging",
            "colleges often value sustained commitment to an activity",
        ],
        "reason_h": [
            "some kids have to watch their little siblings after school",
            "I made most of my friends in band, so I get why people like it",
            "if you hate the club you're in you're just gonna sit there on your phone",
            "being on a team makes school way less boring",
            "I already have practice four days a week and I'm exhausted",
        ],
        "example_f": [
            "a student who joins the school newspaper may discover a lasting "
            "interest in writing",
            "shy students frequently gain confidence through drama or music programs",
            "students who participate in sports often learn to manage their time "
            "more carefully",
        ],
        "example_h": [
            "I joined the chess club {time_ago} because my friend dragged me and now "
            "I'm the president",
            "{friend} quit soccer after two weeks because practice ran until seven "
            "every night",
            "my {relative} says the only reason they made it through high school was "
            "the robotics team",
            "I signed up for yearbook {time_ago} and never went to a single meeting",
        ],
        "counter_f": [
            "mandatory participation could overwhelm students who are already busy",
            "students might choose activities only to satisfy a requirement",
        ],
        "counter_h": [
            "some people are just too busy",
            "it'll get kids off their phones",
        ],
    },
    {  # community service
        "subject": [
            "community service",
            "requiring volunteer hours",
            "mandatory community service",
            "volunteering",
        ],
        "group": ["students", "young people", "volunteers", "our neighbors"],
        "claim_f": [
            "community service should be a part of every student's education",
            "volunteering benefits both the community and the students who participate",
            "schools should encourage, rather than mandate, community service",
        ],
        "claim_h": [
            "everyone should do some community service at least once",
            "helping out in your community actually feels good, even if you don't "
            "expect it to",
            "volunteering is great but it shouldn't be forced",
        ],
        "reason_f": [
            "community service exposes students to perspectives different from "
            "their own",
            "volunteers develop empathy and a sense of civic responsibility",
            "local organizations often depend on volunteers to provide essential "
            "services",
            "students can explore potential careers through service opportunities",
            "required service may feel like a chore, reducing its intended benefits",
            "service projects teach practical skills such as organization and teamwork",
        ],
        "reason_h": [
            "when it's required people just do the bare minimum to get their hours",
            "you meet people you'd never talk to otherwise",
            "some kids don't have a ride to go volunteer anywhere",
            "it looks good for college but that shouldn't be the only reason",
            "I didn't expect to like it, but I did",
        ],
        "example_f": [
            "students who volunteer at food banks gain a clearer understanding of "
            "food insecurity",
            "tutoring younger children allows older students to reinforce their own "
            "knowledge",
            "a park cleanup can bring together residents of all ages",
        ],
        "example_h": [
            "I helped at the animal shelter {time_ago} and ended up going back every "
            "weekend",
            "we cleaned up the creek behind the library and found like three "
            "shopping carts",
            "my {relative} makes us help at the soup kitchen every Thanksgiving and I "
            "actually look forward to it now",
            "{friend} faked half the volunteer hours on the form and nobody even "
            "checked",
        ],
        "counter_f": [
            "mandatory service may conflict with students' other obligations",
            "volunteering loses some of its meaning when it is required",
        ],
        "counter_h": [
            "people are already busy enough",
            "it's not really volunteering if you have to",
        ],
    },
    {  # asking several people for advice
        "subject": [
            "asking more than one person for advice",
            "getting several opinions",
            "asking for advice",
            "talking to different people before a big decision",
        ],
        "group": [
            "teenagers",
            "students",
            "people facing a big decision",
            "friends",
        ],
        "claim_f": [
            "seeking advice from multiple people leads to better decisions",
            "consulting several individuals provides a more complete perspective",
            "asking more than one person for advice is a wise strategy when facing "
            "difficult choices",
        ],
        "claim_h": [
            "asking a bunch of people for advice is way better than just asking one",
            "you should always get more than one opinion before you decide something "
            "big",
            "talking to different people helps, but in the end you have to decide "
            "yourself",
        ],
        "reason_f": [
            "each person draws on different experiences when offering guidance",
            "multiple viewpoints help reveal drawbacks that one might otherwise "
            "overlook",
            "hearing several opinions allows a person to identify common themes",
            "relying on a single advisor can introduce bias into the decision-making "
            "process",
            "discussing a problem with others often clarifies one's own priorities",
        ],
        "reason_h": [
            "one person might just tell you what you want to hear",
            "my friends give totally different advice than my parents do",
            "everybody has been through different stuff so they notice different "
            "things",
            "if three people say the same thing, it's probably right",
            "sometimes just explaining the problem out loud helps",
        ],
        "example_f": [
            "a student choosing a college might consult a counselor, a teacher, and a "
            "family member",
            "someone considering a new job may benefit from speaking with current "
            "employees",
            "doctors frequently recommend seeking a second opinion before a major "
            "procedure",
        ],
        "example_h": [
            "when I was deciding whether to quit swim team I asked my coach, my "
            "{relative}, and {friend}, and they all said something different",
            "I asked only one friend about a haircut {time_ago} and regretted it for "
            "months",
            "my {relative} asked everyone in the family before buying a car and it "
            "drove me crazy, but it turned out to be a good car",
        ],
        "counter_f": [
            "too many opinions can lead to confusion",
            "seeking advice from many people can delay important decisions",
        ],
        "counter_h": [
            "too many opinions just makes it more confusing",
            "some people give really bad advice",
        ],
    },
    {  # four-day school week
        "subject": [
            "a four-day school week",
            "switching to four school days",
            "having longer days with Fridays off",
            "the four-day week",
        ],
        "group": ["students", "teachers", "working parents", "families"],
        "claim_f": [
            "a four-day school week could improve student well-being without "
            "sacrificing learning",
            "schools should carefully evaluate the potential effects of a four-day "
            "week",
            "adopting a four-day school week would benefit both students and teachers",
        ],
        "claim_h": [
            "a four-day week would be amazing and I'm not just saying that because "
            "I'm lazy",
            "four-day weeks sound good but the longer days would be rough",
            "we should totally switch to four days",
        ],
        "reason_f": [
            "an additional day of rest could reduce student stress and burnout",
            "schools may save money on transportation and utilities",
            "longer school days may be tiring for younger students",
            "families with working parents may struggle to find childcare on the "
            "extra day",
            "teachers could use the fifth day for planning and professional "
            "development",
            "students would have more time for jobs, appointments, and family "
            "responsibilities",
        ],
        "reason_h": [
            "by Friday nobody is paying attention anyway",
            "I could finally get my dentist appointments done without missing class",
            "eight hours in a classroom chair is already too much",
            "my mom works Fridays so my little sister would be home alone",
            "three-day weekends every week, come on",
        ],
        "example_f": [
            "several rural districts have adopted four-day schedules to attract and "
            "retain teachers",
            "a student with a part-time job could work on the free weekday rather "
            "than late at night",
            "some districts use the fifth day for optional tutoring or enrichment "
            "programs",
        ],
        "example_h": [
            "we had a four-day week {time_ago} because of a holiday and everyone was "
            "in a way better mood",
            "my cousin's school switched to four days and she says the Mondays are "
            "brutal",
            "{friend} already misses every Friday for tournaments so it wouldn't "
            "even change much",
        ],
        "counter_f": [
            "students may forget material over a longer weekend",
            "a longer school day could reduce attention in afternoon classes",
        ],
        "counter_h": [
            "the days would be too long",
            "parents would have to figure out what to do with little kids",
        ],
    },
    {  # school uniforms
        "subject": [
            "requiring school uniforms",
            "the school dress code",
            "wearing a uniform every day",
            "the uniform policy",
        ],
        "group": ["students", "parents", "families on a budget", "teenagers"],
        "claim_f": [
            "school uniforms promote equality and reduce distractions in the classroom",
            "mandatory uniforms limit students' ability to express themselves",
            "uniform policies create more problems than they solve",
        ],
        "claim_h": [
            "uniforms honestly make mornings way easier",
            "people should get to wear what they want as long as it's not offensive",
            "uniforms are kind of pointless",
        ],
        "reason_f": [
            "uniforms reduce visible differences in family income",
            "clothing is an important means of self-expression for many young people",
            "uniform policies can simplify daily routines for families",
            "the cost of purchasing uniforms may place a burden on some households",
            "a consistent dress standard may foster a sense of school identity",
        ],
        "reason_h": [
            "I never have to think about what to wear",
            "the uniform shirts are itchy and nobody looks good in them",
            "people still find ways to show off, like with shoes and backpacks",
            "kids get made fun of for their clothes and uniforms kind of stop that",
            "what I wear doesn't change how well I do on a test",
        ],
        "example_f": [
            "some schools report fewer disciplinary incidents after introducing "
            "uniforms",
            "families may need to purchase several sets of uniforms each year as "
            "children grow",
            "students in schools with uniforms often personalize their appearance "
            "through accessories",
        ],
        "example_h": [
            "at my old school we had uniforms and everyone just wore crazy socks "
            "instead",
            "{friend} got sent to the office for wearing a hoodie that was the wrong "
            "shade of blue",
            "my {relative} had to buy me new uniform pants three times in one year "
            "because I kept growing",
        ],
        "counter_f": [
            "uniforms can reduce peer pressure related to clothing",
            "dress codes help maintain a professional learning environment",
        ],
        "counter_h": ["uniforms stop bullying", "it's easier for parents"],
    },
    {  # homework limits
        "subject": [
            "the homework load",
            "too much homework",
            "limiting homework",
            "homework every night",
        ],
        "group": ["students", "teachers", "families", "kids in high school"],
        "claim_f": [
            "schools should set reasonable limits on the amount of homework assigned "
            "each night",
            "excessive homework can undermine student well-being",
            "homework remains valuable when it is purposeful and appropriately limited",
        ],
        "claim_h": [
            "teachers give way too much homework",
            "homework should have a limit, like an hour a night max",
            "some homework is fine but the amount we get is ridiculous",
        ],
        "reason_f": [
            "students need time for rest, physical activity, and family",
            "well-designed homework reinforces concepts introduced in class",
            "heavy workloads are associated with increased stress and reduced sleep",
            "coordination among teachers can prevent several large assignments from "
            "falling on the same night",
            "students with part-time jobs or family responsibilities may be unable "
            "to complete lengthy assignments",
        ],
        "reason_h": [
            "I had four hours of homework last night and I still didn't finish",
            "by the time I get home from practice I'm way too tired to think",
            "half of it is busywork that doesn't even help",
            "every teacher acts like theirs is the only class we have",
            "I learn more when I actually get enough sleep",
        ],
        "example_f": [
            "a student enrolled in several advanced courses may face multiple hours "
            "of assignments each evening",
            "some schools have introduced weekends without homework to support "
            "student well-being",
            "teachers who coordinate their due dates often see higher quality work",
        ],
        "example_h": [
            "I stayed up until two in the morning {time_ago} finishing a poster and "
            "then fell asleep in first period",
            "my {relative} sits with my little brother every night and even they get "
            "stressed about his worksheets",
            "{friend} stopped doing homework completely and somehow the grades "
            "barely changed",
        ],
        "counter_f": [
            "homework helps students develop discipline and responsibility",
            "limits may prevent students from practicing challenging material",
        ],
        "counter_h": ["homework helps you practice", "teachers have to cover a lot"],
    },
]

_SLOT = re.compile(r"\{(\w+)\}")


def _compile(template):
    """Split a template into literal text (even positions) and slot names (odd)."""
    return tuple(_SLOT.split(template))


_COMPILED_TEMPLATES = {
    role: [_compile(t) for t in templates] for role, templates in _TEMPLATES.items()
}
# One table of slots per topic: the topic's own lists over the shared ones.
_TOPIC_SLOTS = [
    {
        name: [_compile(value) for value in values]
        for name, values in {**_SHARED_SLOTS, **topic}.items()
    }
    for topic in _TOPICS
]


def _swap(word, i):
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _drop(word, i):
    return word[:i] + word[i + 1 :]


# Misspellings students make often, built from the correct words so that no
# misspelled word sits in the source.
_MISSPELLINGS = {
    "because": _swap("because", 3),
    "their": _swap("their", 2),
    "believe": _swap("believe", 3),
    "different": _drop("different", 4),
    "friends": _swap("friends", 2),
    "friend": _swap("friend", 2),
    "really": _drop("really", 3),
    "probably": _drop("probably", 5),
    "environment": _drop("environment", 6),
    "until": "until" + "l",
    "a lot": "alot",
    "too": "to",
    "you're": "your",
}
_MISSPELLABLE = re.compile(
    r"\b(?:" + "|".join(re.escape(word) for word in _MISSPELLINGS) + r")\b"
)
_CONTRACTION = re.compile(r"\b(\w+)'(t|s|m|re|ve|ll|d)\b")
_PRONOUN_I = re.compile(r"(?<= )I\b")


class _Writer:
    """Draws the essays of one call of :func:`make_essays` from one seeded stream.

    Only ``random.Random.random`` is used (its output for an integer seed is fixed
    across Python versions and processes); sets only answer membership, so neither
    ``hash()`` nor set order can change an essay.
    """

    def __init__(self, seed):
        self.random = random.Random(seed).random
        self.used = set()  # the templates and fillers the current essay has used

    def pick(self, options):
        return options[int(self.random() * len(options))]

    def pick_fresh(self, options):
        """Pick an option the essay has not used yet, while there is one."""
        choice = options[int(self.random() * len(options))]
        if choice in self.used:
            fresh = [option for option in options if option not in self.used]
            if fresh:
                choice = fresh[int(self.random() * len(fresh))]
        self.used.add(choice)
        return choice

    def expand(self, parts, slots, p_formal_fill):
        if len(parts) == 1:
            return parts[0]
        out = [parts[0]]
        for index in range(1, len(parts), 2):
            name = parts[index]
            if name in _REGISTERED_SLOTS:
                name += "_f" if self.random() < p_formal_fill else "_h"
            elif name == _EXAMPLE_SLOT:
                name += "_f" if p_formal_fill > 0.5 else "_h"
            filler = self.pick_fresh(slots[name])
            out.append(self.expand(filler, slots, p_formal_fill))
            out.append(parts[index + 1])
        return "".join(out)

    def sentence(self, role, slots, formality):
        formal = self.random() < formality
        templates = _COMPILED_TEMPLATES[role + ("_f" if formal else "_h")]
        template = self.pick_fresh(templates)
        text = self.expand(template, slots, 0.9 if formal else 0.1)
        return text[0].upper() + text[1:]

    def essay(self, machine):
        rand = self.random
        self.used.clear()
        slots = self.pick(_TOPIC_SLOTS)
        position = int(rand() * len(slots["claim_f"]))
        slots = {
            **slots,
            "claim_f": [slots["claim_f"][position]],
            "claim_h": [slots["claim_h"][position]],
        }
        u = rand()
        # Share of formal sentences: mostly formal for machine essays, mostly
        # informal for human ones, with a wide overlap in the middle.
        formality = 1 - 0.6 * u * u if machine else 0.05 + 0.6 * u * u
        if machine:
            sloppiness = 0.3 * rand() if rand() < 0.12 else 0.0
        else:
            sloppiness = 0.0 if rand() < 0.3 else 0.2 + 0.8 * rand()
        structured = rand() < 0.15 + 0.75 * formality

        def sentences(roles):
            return [self.sentence(role, slots, formality) for role in roles]

        if structured:
            intro = ["hook", "thesis"] + (["aside"] if rand() < 0.3 else [])
            n_body = 2 + (rand() < 0.5)
            body = [
                ["reason"]
                + [
                    self.pick(("reason", "example", "aside", "example"))
                    for _ in range(2)
                ]
                + (["counter"] if rand() < 0.25 else [])
                for _ in range(n_body)
            ]
            outro = ["closer"] + (["aside"] if rand() < 0.5 else [])
        else:
            intro = self.pick(
                (["hook"], ["thesis"], ["hook", "thesis"], ["hook", "aside", "thesis"])
            )
            n_body = 1 + int(rand() * 3)
            body = [
                [
                    self.pick(("reason", "reason", "example", "aside", "counter"))
                    for _ in range(2 + int(rand() * 4))
                ]
                for _ in range(n_body)
            ]
            outro = self.pick((["closer"], ["closer", "aside"], [], ["aside"]))
        body = [sentences(roles) for roles in body]
        paragraphs = [sentences(intro), *body]
        if outro:
            paragraphs.append(sentences(outro))
        self._fit_length(paragraphs, body, slots, formality)
        if sloppiness:
            paragraphs = [self._run_on(p, sloppiness) for p in paragraphs]
        text = "\n\n".join(" ".join(p) for p in paragraphs)
        if sloppiness:
            text = self._sloppy(text, sloppiness)
        return text

    def _fit_length(self, paragraphs, body, slots, formality):
        """Add or drop body sentences to reach a length drawn the same for all.

        The length is measured as characters plus 6 per word, so that neither the
        number of words (larger in the short words of informal essays) nor the number
        of characters (larger in formal ones) gives the class away. Every essay ends
        with 85 to 340 words.
        """
        rand = self.random
        target = 11.5 * (70 + 120 * (rand() + rand()))
        n_words = sum(s.count(" ") + 1 for p in paragraphs for s in p)
        size = sum(len(s) for p in paragraphs for s in p) + 6 * n_words

        def add():
            role = self.pick(("reason", "example", "aside"))
            sentence = self.sentence(role, slots, formality)
            self.pick(body).append(sentence)
            n_added = sentence.count(" ") + 1
            return n_added, len(sentence) + 6 * n_added

        def drop():
            longest = max(body, key=len)
            if len(longest) == 1:
                return 0, 0
            sentence = longest.pop()
            n_dropped = sentence.count(" ") + 1
            return -n_dropped, -(len(sentence) + 6 * n_dropped)

        while size > target + 60:
            change = drop()
            if not change[0]:
                break
            n_words, size = n_words + change[0], size + change[1]
        while size < target or n_words < 85:
            change = add()
            n_words, size = n_words + change[0], size + change[1]
        while n_words > 340:
            change = drop()
            if not change[0]:
                break
            n_words, size = n_words + change[0], size + change[1]

    def _run_on(self, paragraph, sloppiness):
        """Join some neighbouring sentences into one, as hurried writers do."""
        joined = [paragraph[0]]
        for sentence in paragraph[1:]:
            previous = joined[-1]
            if previous.endswith(".") and self.random() < 0.3 * sloppiness:
                glue = self.pick((",", " and", " so", ",", ""))
                joined[-1] = (
                    f"{previous[:-1]}{glue} {sentence[0].lower()}{sentence[1:]}"
                )
            else:
                joined.append(sentence)
        return joined

    def _sloppy(self, text, sloppiness):
        rand = self.random
        if rand() < 0.6 * sloppiness:
            text = _PRONOUN_I.sub(lambda m: "i" if rand() < 0.9 else "I", text)
        if rand() < sloppiness:
            text = _CONTRACTION.sub(
                lambda m: m[1] + m[2] if rand() < 0.7 else m[0], text
            )
        p_misspell = 0.5 * sloppiness
        text = _MISSPELLABLE.sub(
            lambda m: _MISSPELLINGS[m[0]] if rand() < p_misspell else m[0], text
        )
        words = text.split(" ")
        for _ in range(int(rand() * 5 * sloppiness + 0.5)):
            index = int(rand() * len(words))
            word = words[index]
            if len(word) >= 4 and word.isalpha():
                words[index] = self._typo(word)
        return " ".join(words)

    def _typo(self, word):
        i = 1 + int(self.random() * (len(word) - 2))  # never the first letter
        kind = self.random()
        if kind < 0.45 and i < len(word) - 1:
            return _swap(word, i)
        if kind < 0.8:
            return _drop(word, i)
        return word[: i + 1] + word[i:]


def make_essays(n_samples=1000, *, weights=None, random_state=None):
    """Make a synthetic corpus of short school essays, labelled human or machine.

    The corpus is synthetic: every essay is assembled by this module's own code from
    templates and word lists written for it; no text is copied from any dataset. It
    is meant for demos, examples and tests (it is small, fast and free to ship),
    **not** for judging a detector: a score on it says nothing about real
    machine-generated text.

    The essays discuss ten school-essay topics (phones and driving, car-free cities,
    summer projects, distance learning, extracurricular activities, community
    service, asking several people for advice, a four-day school week, school
    uniforms, homework limits), in two or more paragraphs separated by ``"\\n\\n"``
    and of about 80 to 350 words. "Human" essays lean to an informal register:
    first-person anecdotes, contractions, sentences of uneven length, and in many
    essays typos, missing apostrophes, a lowercase "i" and run-on sentences.
    "Machine" essays lean to a formal register: stock transitions ("Furthermore",
    "In conclusion", "it is essential"), balanced paragraphs. The classes overlap on
    purpose: each essay draws its own mix of both registers, the topics and lengths
    are shared, and some human essays are tidy while a few machine ones are not, so a
    word TF-IDF and logistic regression reach a cross-validated ROC AUC of about
    0.95, not 1.

    Parameters
    ----------
    n_samples : int, default=1000
        The number of essays, at least 2.
    weights : array-like of shape (2,), default=None
        The shares ``(w_human, w_machine)`` of the two classes: non-negative and
        summing to 1. None means balanced. There are exactly
        ``round(n_samples * w_machine)`` machine essays (Python's ``round``: a half
        goes to the even number) and the rest are human; each class must get at
        least one essay.
    random_state : int, RandomState instance or None, default=None
        Controls the essays and their order. Pass an int for the same corpus on
        every call, in any process.

    Returns
    -------
    texts : list of str
        The essays, in random order.
    labels : ndarray of shape (n_samples,), dtype=int64
        0 for a human-style essay, 1 for a machine-style one.

    See Also
    --------
    load_csv : Load a real labelled corpus from a CSV file.

    Examples
    --------
    >>> from sklearn_aidetect.datasets import make_essays
    >>> texts, labels = make_essays(4, random_state=0)
    >>> labels
    array([1, 1, 0, 0])
    >>> print(texts[0].splitlines()[0])
    Many people have strong opinions about asking more than one person for advice,
    and for good reason. After careful consideration, it becomes clear that
    consulting several individuals provides a more complete perspective.
    >>> print(texts[2].splitlines()[0])
    Many people have strong opinions about taking classes from home, and for good
    reason. I've thought about it a lot and online school is fine for some people
    but it was terrible for me.

    Unequal classes:

    >>> texts, labels = make_essays(10, weights=[0.8, 0.2], random_state=0)
    >>> int(labels.sum())
    2
    """
    if isinstance(n_samples, bool) or not isinstance(n_samples, Integral):
        raise TypeError(
            f"make_essays: n_samples must be an int, got {n_samples!r} "
            f"({type(n_samples).__name__})."
        )
    if n_samples < 2:
        raise ValueError(
            f"make_essays: n_samples must be at least 2 (one essay of each class), "
            f"got {n_samples}."
        )
    w_machine = _check_weights(weights)
    n_machine = round(n_samples * w_machine)
    n_human = n_samples - n_machine
    if not n_machine or not n_human:
        raise ValueError(
            f"make_essays: n_samples={n_samples} with weights={weights!r} gives "
            f"{n_human} human and {n_machine} machine essays; each class needs at "
            "least one. Raise n_samples or make both weights larger."
        )
    rng = check_random_state(random_state)
    labels = rng.permutation(
        np.repeat(np.array([0, 1], dtype=np.int64), [n_human, n_machine])
    )
    writer = _Writer(int(rng.randint(np.iinfo(np.int32).max)))
    texts = [writer.essay(machine=bool(label)) for label in labels]
    return texts, labels


def _check_weights(weights):
    """Return the machine share of ``weights`` (None: balanced), after checks."""
    if weights is None:
        return 0.5
    fix = (
        "Pass two non-negative shares (w_human, w_machine) that sum to 1, e.g. "
        "weights=[0.7, 0.3], or None for balanced classes."
    )
    if isinstance(weights, (str, bytes)):
        raise ValueError(f"make_essays: weights={weights!r} is not a pair. {fix}")
    try:
        values = [float(w) for w in weights]
    except (TypeError, ValueError):
        raise ValueError(
            f"make_essays: weights must be a pair of numbers, got {weights!r}. {fix}"
        ) from None
    if len(values) != 2:
        raise ValueError(
            f"make_essays: weights must hold 2 shares (human, machine), got "
            f"{len(values)}: {weights!r}. {fix}"
        )
    if not all(np.isfinite(values)) or min(values) < 0:
        raise ValueError(
            f"make_essays: weights must be non-negative numbers, got {values}. {fix}"
        )
    if abs(sum(values) - 1) > 1e-6:
        raise ValueError(
            f"make_essays: weights must sum to 1, got {values} (sum {sum(values):g}). "
            f"{fix}"
        )
    return values[1]
