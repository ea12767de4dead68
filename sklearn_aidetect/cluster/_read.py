"""Reading texts in partitions: :func:`read_texts`, for CSV and Parquet files.

A CSV file is split at record boundaries found in one pass over its bytes (a quoted
field may span lines), and each partition is read and checked, when it is computed,
by :func:`sklearn_aidetect.datasets._csv.read_csv`: the rules and messages of
:func:`~sklearn_aidetect.load_csv`, with the file's own line numbers. A Parquet file
is read by row group with :func:`dask.dataframe.read_parquet`, each partition checked
with the same label rules.
"""

import csv
import io
import itertools
from pathlib import Path

import numpy as np

from ..datasets._csv import (
    ACCEPTED_LABELS,
    check_column_parameters,
    check_path,
    load_csv,
    parse_label,
    read_csv,
    resolve_columns,
)
from ._client import _check_positive_int, _require_dask

__all__ = ["read_texts"]

_PARQUET_SUFFIXES = (".parquet", ".parq", ".pq")
_DEFAULT_BLOCKSIZE = 64 * 2**20


def read_texts(
    path,
    text_column="text",
    label_column="auto",
    *,
    id_column="auto",
    blocksize=None,
):
    """Read a CSV or Parquet file of texts lazily, as a Dask DataFrame.

    Each partition is read and checked when it is computed (on a worker, when a
    client is active), with the rules of :func:`~sklearn_aidetect.load_csv`: UTF-8,
    a strict CSV dialect, quoted fields that may span lines, no empty text, labels
    spelled as :func:`~sklearn_aidetect.load_csv` accepts them. Partitions follow
    the file's order.

    - A CSV file is split every ``blocksize`` bytes, at the first record boundary
      after each split point: one pass over the file here finds them, following
      quotes, so a text that spans lines is never cut in two.
    - A gzip-compressed CSV file (``.gz``) cannot be split: it is one partition.
      Decompress it, or convert it to Parquet, to read a large one in parts.
    - A Parquet file (``.parquet``, ``.parq``, ``.pq``) or a folder of them is read
      with :func:`dask.dataframe.read_parquet`, by row group.

    The workers read the file themselves: on a cluster of several machines, give a
    path every worker can read (a shared file system, or a URL such as
    ``s3://...`` for Parquet).

    Parameters
    ----------
    path : str or os.PathLike
        The CSV (``.csv``, ``.csv.gz``) or Parquet file, or a folder of Parquet
        files.
    text_column : str, default="text"
        The column of texts.
    label_column : str, "auto" or None, default="auto"
        The column of labels, if any: ``"auto"`` takes ``"label"``, else
        ``"generated"``, if the file has one; None reads none.
    id_column : str, "auto" or None, default="auto"
        The column of ids: ``"auto"`` takes ``"id"`` if the file has it; None reads
        none.
    blocksize : int, str or None, default=None
        Bytes per partition, such as ``64_000_000`` or ``"64MiB"``; None means 64 MiB
        for CSV and Dask's default for Parquet.

    Returns
    -------
    texts : dask.dataframe.DataFrame
        Columns ``text`` (str), ``id`` (str, when the file has ids) and ``label``
        (int64, 0 = human, 1 = machine, when it has labels), whatever the file's
        own column names.

    Raises
    ------
    ImportError
        If Dask is not installed.
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        If the header lacks a column, repeats a name or has no data rows. A wrong
        row raises when its partition is computed, naming its line.

    See Also
    --------
    sklearn_aidetect.load_csv : Read a whole CSV file into memory.

    Examples
    --------
    >>> import csv, tempfile
    >>> from pathlib import Path
    >>> from sklearn_aidetect.cluster import read_texts
    >>> path = Path(tempfile.mkdtemp()) / "essays.csv"
    >>> with open(path, "w", newline="", encoding="utf-8") as f:
    ...     csv.writer(f).writerows(
    ...         [["id", "text", "label"]]
    ...         + [[f"e{i}", f"essay {i},\\nover two lines", i % 2] for i in range(6)])
    >>> texts = read_texts(path, blocksize=40)
    >>> texts.npartitions, list(texts.columns)
    (3, ['text', 'id', 'label'])
    >>> texts.partitions[1].compute()["id"].tolist()
    ['e2', 'e3']
    """
    _require_dask("read_texts")
    check_column_parameters(text_column, label_column, id_column)
    blocksize = _parse_blocksize(blocksize)
    if _is_parquet(path):
        return _read_parquet(path, text_column, label_column, id_column, blocksize)
    path = check_path(path)
    return _read_csv_partitions(path, text_column, label_column, id_column, blocksize)


def _is_parquet(path):
    path = Path(path)
    if path.is_dir():
        return True
    return path.suffix.lower() in _PARQUET_SUFFIXES


def _parse_blocksize(blocksize):
    if blocksize is None:
        return None
    if isinstance(blocksize, str):
        from dask.utils import parse_bytes

        try:
            blocksize = parse_bytes(blocksize)
        except ValueError:
            raise ValueError(
                f"blocksize must be a number of bytes, such as 64000000 or '64MiB', "
                f"got {blocksize!r}."
            ) from None
    _check_positive_int("blocksize", blocksize)
    return int(blocksize)


def _empty_frame(has_ids, has_labels):
    import pandas as pd

    columns = {"text": pd.Series([], dtype=object)}
    if has_ids:
        columns["id"] = pd.Series([], dtype=object)
    if has_labels:
        columns["label"] = pd.Series([], dtype=np.int64)
    return pd.DataFrame(columns)


def _frame(texts, ids, labels):
    import pandas as pd

    columns = {"text": pd.Series(texts, dtype=object)}
    if ids is not None:
        columns["id"] = pd.Series(ids, dtype=object)
    if labels is not None:
        columns["label"] = pd.Series(labels, dtype=np.int64)
    return pd.DataFrame(columns)


# --- CSV ---


def _read_csv_partitions(path, text_column, label_column, id_column, blocksize):
    import dask.dataframe as dd

    filename = str(path)
    compressed = path.name.lower().endswith(".gz")
    if compressed:
        header_text, header = _gzip_header(path)
        parts = [None]  # the whole file: gzip cannot be read from the middle
    else:
        header_text, header, parts = _split_csv(path, blocksize or _DEFAULT_BLOCKSIZE)
    label_column, id_column = resolve_columns(
        header, filename, text_column, label_column, id_column
    )
    if not parts:
        raise ValueError(
            f"read_texts: {filename} has a header ({header}) but no data rows. Check "
            "that this is the file you meant to read."
        )
    reader = _CsvPart(
        filename, header_text, text_column, label_column, id_column, compressed
    )
    return dd.from_map(
        reader,
        parts,
        meta=_empty_frame(id_column is not None, label_column is not None),
        label="read-texts-csv",
        enforce_metadata=False,
    )


def _decode(data, filename, where):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"read_texts: {filename} is not UTF-8 text (byte {where + exc.start}). "
            "Re-save the file as UTF-8: in Excel, Save As > 'CSV UTF-8'."
        ) from None


def _header_fields(header_text, filename):
    try:
        header = next(csv.reader(io.StringIO(header_text, newline="")), None)
    except csv.Error as exc:
        raise ValueError(
            f"read_texts: {filename} is not a valid CSV file: its header: {exc}."
        ) from None
    if not header:
        raise ValueError(
            f"read_texts: {filename} is empty: it has no header row. A CSV file of "
            "texts starts with a header naming its columns, e.g. text,label."
        )
    return [name.strip() for name in header]


def _gzip_header(path):
    import gzip
    import zlib

    try:
        with gzip.open(path, "rb") as handle:
            head = handle.read(1 << 20)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise ValueError(
            f"read_texts: {path} is not a valid gzip file ({exc}). A file whose name "
            "ends in .gz is read as gzip-compressed."
        ) from None
    end = _first_record_end(head)
    header_text = _decode(head[:end], path, 0).removeprefix("\ufeff")
    return header_text, _header_fields(header_text, path)


def _first_record_end(data):
    """The offset just after the first newline outside quotes (or the length)."""
    quotes = 0
    start = 0
    while (newline := data.find(b"\n", start)) != -1:
        quotes += data.count(b'"', start, newline)
        if quotes % 2 == 0:
            return newline + 1
        start = newline + 1
    return len(data)


def _split_csv(path, blocksize):
    """The header and the partitions ``(start, stop, first_line)`` of a CSV file.

    One pass over the bytes: a newline ends a record when the double quotes before
    it are even in number (a quote inside a quoted field is written doubled), so
    each partition starts on a record boundary, the first one at or after a
    multiple of ``blocksize``.
    """
    chunk_size = 1 << 22
    boundaries = []  # (offset, line) where a record starts, from the header's end
    target = 0  # the header ends at the first record boundary
    quotes = 0  # double quotes before the chunk
    lines = 1  # the line number of the chunk's start
    offset = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            start = 0
            counted = chunk_quotes = chunk_lines = 0  # in chunk[:counted]
            while True:
                start = max(start, target - offset)
                if start >= len(chunk):
                    break
                newline = chunk.find(b"\n", start)
                if newline == -1:
                    break
                chunk_quotes += chunk.count(b'"', counted, newline)
                chunk_lines += chunk.count(b"\n", counted, newline)
                counted = newline
                if (quotes + chunk_quotes) % 2 == 0:
                    record = offset + newline + 1
                    boundaries.append((record, lines + chunk_lines + 1))
                    target = record + blocksize
                start = newline + 1
            quotes += chunk.count(b'"')
            lines += chunk.count(b"\n")
            offset += len(chunk)
    size = offset
    if not boundaries:  # a header without a newline, or an empty file
        boundaries.append((size, lines))
    header_end = boundaries[0][0]
    with open(path, "rb") as handle:
        header_text = _decode(handle.read(header_end), path, 0).removeprefix("\ufeff")
    header = _header_fields(header_text, path)
    if not header_text.endswith(("\n", "\r")):
        header_text += "\r\n"
    starts = [*boundaries, (size, None)]
    parts = [
        (begin, end, line)
        for (begin, line), (end, _) in itertools.pairwise(starts)
        if end > begin
    ]
    return header_text, header, parts


class _CsvPart:
    """Reads and checks one partition of a CSV file (a picklable callable)."""

    def __init__(
        self, filename, header_text, text_column, label_column, id_column, compressed
    ):
        self.filename = filename
        self.header_text = header_text
        self.text_column = text_column
        self.label_column = label_column
        self.id_column = id_column
        self.compressed = compressed

    def __call__(self, part):
        if part is None:  # the whole (gzip-compressed) file
            data = load_csv(
                self.filename,
                self.text_column,
                self.label_column,
                id_column=self.id_column,
                require_labels=False,
            )
            return _frame(data.data, data.ids, data.target)
        begin, end, first_line = part
        with open(self.filename, "rb") as handle:
            handle.seek(begin)
            body = _decode(handle.read(end - begin), self.filename, begin)
        if not body.strip():  # blank lines only
            return _empty_frame(
                self.id_column is not None, self.label_column is not None
            )
        data = read_csv(
            io.StringIO(self.header_text + body, newline=""),
            self.filename,
            self.text_column,
            self.label_column,
            self.id_column,
            require_labels=False,
            caller="read_texts",
            first_line=first_line,
        )
        return _frame(data.data, data.ids, data.target)


# --- Parquet ---


def _read_parquet(path, text_column, label_column, id_column, blocksize):
    import dask.dataframe as dd

    filename = str(path)
    if "://" not in filename and not Path(path).exists():  # local, not a URL
        raise FileNotFoundError(f"read_texts: no file or folder at {path}.")
    options = {} if blocksize is None else {"blocksize": blocksize}
    frame = dd.read_parquet(path, **options)
    header = list(frame.columns)
    label_column, id_column = resolve_columns(
        header, filename, text_column, label_column, id_column
    )
    columns = [c for c in (text_column, id_column, label_column) if c is not None]
    check = _ParquetPart(filename, text_column, label_column, id_column)
    return frame[columns].map_partitions(
        check,
        meta=_empty_frame(id_column is not None, label_column is not None),
        enforce_metadata=False,
        align_dataframes=False,
    )


class _ParquetPart:
    """Checks one partition of a Parquet file as load_csv checks a CSV row."""

    def __init__(self, filename, text_column, label_column, id_column):
        self.filename = filename
        self.text_column = text_column
        self.label_column = label_column
        self.id_column = id_column

    def __call__(self, part, partition_info=None):
        import pandas as pd

        number = (partition_info or {}).get("number", 0) + 1
        where = f"{self.filename}, partition {number}"
        texts = part[self.text_column].tolist()
        for row, text in enumerate(texts, 1):
            if not isinstance(text, str) or not text or text.isspace():
                raise ValueError(
                    f"read_texts: {where}, row {row}: no text in column "
                    f"{self.text_column!r} ({text!r}). Remove that row or fill it "
                    "in: every document must hold some text."
                )
        labels = None
        if self.label_column is not None:
            labels = []
            for row, value in enumerate(part[self.label_column].tolist(), 1):
                missing = value is None or bool(pd.isna(value))
                label = None if missing else parse_label(str(value))
                if label is None:
                    raise ValueError(
                        f"read_texts: {where}, row {row}: {value!r} in column "
                        f"{self.label_column!r} is not a human/machine label. "
                        f"Accepted labels are {ACCEPTED_LABELS}."
                    )
                labels.append(label)
        ids = None
        if self.id_column is not None:
            ids = [str(value) for value in part[self.id_column].tolist()]
        return _frame(texts, ids, labels)
