"""CSV files of labelled texts: :func:`load_csv` and the rules it reads them by.

This module reads a CSV file (plain or gzip-compressed) row by row and checks it: the
strict dialect, UTF-8, the columns a file must have and the spellings of its labels,
with errors that name the file and the line to fix. Besides :func:`load_csv`, it
offers the package a few functions without a leading underscore, so that
:func:`sklearn_aidetect.cluster.read_texts`, which reads a file in partitions, applies
the same rules with the same messages: :func:`check_path`,
:func:`check_column_parameters`, :func:`resolve_columns`, :func:`read_csv` (whose
``first_line`` reads one partition after the file's header and gives the file's own
line numbers), :func:`parse_label` and :data:`ACCEPTED_LABELS`. They are not part of
the public API.
"""

import codecs
import csv
import gzip
import os
import zlib
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

__all__ = ["load_csv"]

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
#: The label spellings, for messages.
ACCEPTED_LABELS = (
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
    group_column=None,
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
    group_column : str or None, default=None
        A column of groups to read as well (``domain``, ``prompt_name``,
        ``generator``...), for metrics per group; its cells are read as they are.

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
        groups : list of str or None
            The ``group_column``, or None.
        text_column, label_column, id_column, group_column : str or None
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
    path = check_path(path)
    filename = str(path)
    check_column_parameters(text_column, label_column, id_column)
    if group_column is not None and not isinstance(group_column, str):
        raise TypeError(
            f"load_csv: group_column must be a column name (str) or None, got "
            f"{group_column!r}."
        )
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
            dataset = read_csv(
                handle,
                filename,
                text_column,
                label_column,
                id_column,
                require_labels=require_labels,
                group_column=group_column,
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


def check_path(path):
    """The :class:`~pathlib.Path` of ``path``, after checking that it is a file.

    Raises TypeError if ``path`` is not a path, FileNotFoundError if nothing is there
    and ValueError if it is a folder; the messages are load_csv's.
    """
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


def check_column_parameters(text_column, label_column, id_column):
    """Raise TypeError unless the three column parameters have load_csv's types.

    ``text_column`` must be a str; ``label_column`` and ``id_column`` a str, "auto"
    or None. Whether the columns exist is :func:`resolve_columns`'s to check.
    """
    _check_column_parameter("text_column", text_column, auto=False)
    _check_column_parameter("label_column", label_column)
    _check_column_parameter("id_column", id_column)


def _check_column_parameter(name, value, *, auto=True):
    if isinstance(value, str) or (value is None and auto):
        return
    allowed = 'a column name (str), "auto" or None' if auto else "a column name (str)"
    raise TypeError(f"load_csv: {name} must be {allowed}, got {value!r}.")


def resolve_columns(
    header, filename, text_column, label_column, id_column, *, require_labels=False
):
    """The label and id columns to read, ``(label_column, id_column)``, from a header.

    Checks that the column names of ``header`` (a list of str, stripped) are unique
    and that it has ``text_column`` and the label and id columns named; resolves
    ``"auto"`` as load_csv does (``"label"``, else ``"generated"``; ``"id"``), to
    None when the header has no such column. With ``require_labels``, a header
    without a label column is an error. Raises ValueError with load_csv's messages.
    """
    _check_unique_columns(header, filename)
    _column_index(header, text_column, "text_column", filename)
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
    elif label_column is not None:
        _column_index(header, label_column, "label_column", filename)
    if id_column == "auto":
        id_column = "id" if "id" in header else None
    elif id_column is not None:
        _column_index(header, id_column, "id_column", filename)
    return label_column, id_column


def parse_label(value):
    """The label, 0 (human) or 1 (machine), that the str ``value`` spells, or None.

    Case and surrounding spaces are ignored; :data:`ACCEPTED_LABELS` lists the
    spellings.
    """
    label = _LABELS.get(value)
    if label is None:
        label = _LABELS.get(value.strip().lower())
    return label


def read_csv(
    handle,
    filename,
    text_column,
    label_column,
    id_column,
    *,
    require_labels=True,
    caller="load_csv",
    first_line=None,
    group_column=None,
):
    """Read and check the CSV text of ``handle``: load_csv's work, once it is open.

    Parameters
    ----------
    handle : iterable of str
        The lines of the file, header first, as a text file opened with
        ``newline=""`` gives them.
    filename : str
        The file's name, for messages.
    text_column, label_column, id_column, require_labels, group_column
        As for :func:`load_csv`.
    caller : str, default="load_csv"
        The function that messages about the rows start with.
    first_line : int or None, default=None
        None reads a whole file. An int reads one part of a file: ``handle`` holds
        the file's header and then the part, whose first line is line
        ``first_line`` of the file. Messages then give the file's line numbers, and
        no data row numbers (which would count from the part's start).

    Returns
    -------
    dataset : :class:`~sklearn.utils.Bunch`
        As :func:`load_csv` returns it.
    """
    numbers = _LineNumbers()
    lines = _lines_without_nul(handle, filename, caller, numbers)
    reader = csv.reader(lines, dialect=_StrictDialect)
    rows = _numbered_rows(reader, filename, caller, numbers)
    first = next(rows, None)
    if first is None:
        raise ValueError(
            f"{caller}: {filename} is empty: it has no header row. A CSV file of "
            "texts starts with a header naming its columns, e.g. text,label."
        )
    header_line, header = first
    header = [name.strip() for name in header]
    if first_line is not None:
        numbers.shift_after(reader.line_num, first_line)
    label_column, id_column = resolve_columns(
        header,
        filename,
        text_column,
        label_column,
        id_column,
        require_labels=require_labels,
    )
    text_index = header.index(text_column)
    label_index = None if label_column is None else header.index(label_column)
    id_index = None if id_column is None else header.index(id_column)
    group_index = None
    if group_column is not None:
        group_index = _column_index(header, group_column, "group_column", filename)

    n_columns = len(header)
    texts, labels, ids, groups = [], [], [], []
    bad_labels = {}  # normalised value -> (value as written, first line, count)
    row_number = 0
    for row_number, (line, row) in enumerate(rows, 1):
        if first_line is None:
            line_and_row = f"line {line} (data row {row_number})"
            row_and_line = f"data row {row_number} (line {line})"
        else:
            line_and_row = row_and_line = f"line {line}"
        if len(row) != n_columns:
            raise ValueError(
                f"{caller}: {filename} is not a valid CSV file: {line_and_row} has "
                f"{len(row)} field(s), but the header on line {header_line} has "
                f"{n_columns} column(s). A field that holds a comma, a double quote "
                "or a line break must be quoted, with quotes inside it doubled; "
                f"{_WRITE_HINT}"
            )
        text = row[text_index]
        if not text or text.isspace():
            raise ValueError(
                f"{caller}: {filename}: {row_and_line} has an empty text in column "
                f"{text_column!r}. Remove that row or fill it in: every document "
                "must hold some text."
            )
        texts.append(text)
        if label_index is not None:
            value = row[label_index]
            label = parse_label(value)
            if label is None:
                key = value.strip().lower()
                if not key:
                    raise ValueError(
                        f"{caller}: {filename}: {row_and_line} has an empty label in "
                        f"column {label_column!r}. Fill it in (0 = human, 1 = "
                        "machine) or remove the row; to score texts whose labels are "
                        "unknown, pass label_column=None and require_labels=False."
                    )
                spelling, first_seen, count = bad_labels.get(
                    key, (value.strip(), line, 0)
                )
                bad_labels[key] = (spelling, first_seen, count + 1)
                label = -1
            labels.append(label)
        if id_index is not None:
            ids.append(row[id_index])
        if group_index is not None:
            groups.append(row[group_index])
    if not row_number:
        raise ValueError(
            f"{caller}: {filename} has a header (line {header_line}: {header}) but no "
            "data rows. Check that this is the file you meant to load."
        )
    if bad_labels:
        shown = ", ".join(
            f"{spelling!r} (first on line {first_seen})"
            for spelling, first_seen, _ in list(bad_labels.values())[:5]
        )
        more = len(bad_labels) - 5
        n_rows = sum(count for _, _, count in bad_labels.values())
        raise ValueError(
            f"{caller}: column {label_column!r} of {filename} holds labels that are "
            f"not human/machine labels, in {n_rows} row(s): {shown}"
            + (f" and {more} other value(s)" if more > 0 else "")
            + f". Accepted labels are {ACCEPTED_LABELS}. Map the labels to these "
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
        groups=None if group_index is None else groups,
        layout=layout,
        text_column=text_column,
        label_column=label_column,
        id_column=id_column,
        group_column=group_column,
        filename=filename,
    )


class _LineNumbers:
    """The file's number of a line of the handle: past the header of a part, shifted."""

    def __init__(self):
        self.header_end = self.shift = 0

    def shift_after(self, header_end, first_line):
        """Lines after ``header_end`` are the part's, which starts at ``first_line``."""
        self.header_end = header_end
        self.shift = first_line - header_end - 1

    def __call__(self, number):
        return number + self.shift if number > self.header_end else number


def _lines_without_nul(handle, filename, caller, numbers):
    """The lines of ``handle``; a NUL character (binary or UTF-16 data) is an error.

    Python 3.11+ reads NUL into fields, where it only causes trouble downstream.
    """
    for number, line in enumerate(handle, 1):
        if "\x00" in line:
            raise ValueError(
                f"{caller}: {filename} is not a valid CSV file: line "
                f"{numbers(number)}: it holds a NUL character (\\x00), which a text "
                "file never does. The file may be binary (a spreadsheet, say) or "
                "UTF-16 text: export or re-save it as a UTF-8 CSV file."
            )
        yield line


def _numbered_rows(reader, filename, caller, numbers):
    """Yield ``(first line, row)`` for each non-blank row of a csv ``reader``."""
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = numbers(start)
            if "end of data" in str(exc):
                hint = (
                    f"a quoted field that opens on line {line} is never closed; "
                    'look for a stray double quote (").'
                )
            else:
                hint = (
                    'a double quote (") inside a field must be doubled ("") and the '
                    "whole field quoted."
                )
            raise ValueError(
                f"{caller}: {filename} is not a valid CSV file: line {line}: {exc}: "
                f"{hint} {_WRITE_HINT}"
            ) from None
        if row:  # a blank line between rows is skipped, like csv.DictReader does
            yield numbers(start), row
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
