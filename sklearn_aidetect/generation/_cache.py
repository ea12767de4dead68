"""The JSONL cache of finished requests: what makes a run resumable.

Each finished request is one line, appended and flushed to disk (``fsync``) as soon
as its answer arrives, so an interrupted run (Ctrl-C, a crash, a network fault)
loses no answer it received, and a rerun sends no request whose answer is here.
A last line cut short by a crash is ignored (and overwritten by the next append);
any other unreadable line is an error, so that a wrong file is never taken for a
cache.
"""

import json
import os
from pathlib import Path

__all__ = ["ResponseCache"]


class ResponseCache:
    """Finished requests by key, read from and appended to a JSONL file.

    Parameters
    ----------
    path : str or os.PathLike
        The JSONL file; read if it exists, created by the first :meth:`append`.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from sklearn_aidetect.generation import ResponseCache
    >>> path = Path(tempfile.mkdtemp()) / "cache.jsonl"
    >>> ResponseCache(path).append({"key": "k1", "text": "An essay."})
    >>> cache = ResponseCache(path)  # a later run reads it back
    >>> "k1" in cache, cache.get("k1")["text"]
    (True, 'An essay.')
    """

    def __init__(self, path):
        self.path = Path(path)
        self.records = {}
        self._valid_bytes = None  # where the records end; None: the file is whole
        self._needs_newline = False
        if self.path.exists():
            self._read()

    def _read(self):
        data = self.path.read_bytes()
        lines = data.split(b"\n")
        offset = 0
        for number, line in enumerate(lines, start=1):
            last = number == len(lines)  # no newline after it
            if line.strip():
                try:
                    record = json.loads(line)
                    key = record["key"]
                except (ValueError, KeyError, TypeError):
                    # A record a crash cut short starts as every record does.
                    if last and line.startswith(b'{"key"'):
                        self._valid_bytes = offset
                        return
                    raise ValueError(
                        f"{self.path}: line {number} is not a cache record; this is "
                        "not a cache of 'aidetect generate' (choose another --cache "
                        "file)."
                    ) from None
                self.records[key] = record
                self._needs_newline = last
            offset += len(line) + 1

    def __contains__(self, key):
        return key in self.records

    def __len__(self):
        return len(self.records)

    def get(self, key):
        """The record of ``key``, or None.

        Parameters
        ----------
        key : str
            A :attr:`Request.key`.

        Returns
        -------
        dict or None
            The record appended for it.
        """
        return self.records.get(key)

    def append(self, record):
        """Add ``record`` and make it durable at once (flushed and fsynced).

        Parameters
        ----------
        record : dict
            A JSON-serialisable dict with a ``key``.
        """
        record = {"key": record["key"], **record}  # first: what a cut line starts with
        line = json.dumps(record, ensure_ascii=False) + "\n"
        if self._needs_newline:  # a last record without its newline (edited by hand)
            line = "\n" + line
        # O_APPEND: each record is one write at the end of the file, so that two
        # runs sharing a cache interleave whole lines instead of overwriting.
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
        try:
            if self._valid_bytes is not None:  # drop the line a crash cut short, once
                os.ftruncate(fd, self._valid_bytes)
                self._valid_bytes = None
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        self._needs_newline = False
        self.records[record["key"]] = record
