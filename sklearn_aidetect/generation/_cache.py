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
        self._valid_bytes = 0
        if self.path.exists():
            self._read()

    def _read(self):
        data = self.path.read_bytes()
        lines = data.split(b"\n")
        offset = 0
        for number, line in enumerate(lines, start=1):
            end = offset + len(line) + 1
            if not line.strip():
                offset = end
                continue
            try:
                record = json.loads(line)
                key = record["key"]
            except (ValueError, KeyError, TypeError):
                if number == len(lines):  # the unterminated last line of a crash
                    break
                raise ValueError(
                    f"{self.path}: line {number} is not a cache record; this is not "
                    "a cache of 'aidetect generate' (choose another --cache file)."
                ) from None
            self.records[key] = record
            offset = end
        self._valid_bytes = min(offset, len(data))

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
        line = json.dumps(record, ensure_ascii=False) + "\n"
        flags = os.O_WRONLY | os.O_CREAT
        fd = os.open(self.path, flags, 0o666)
        try:
            os.ftruncate(fd, self._valid_bytes)  # drop a line cut short by a crash
            os.lseek(fd, self._valid_bytes, os.SEEK_SET)
            data = line.encode("utf-8")
            os.write(fd, data)
            os.fsync(fd)
            self._valid_bytes += len(data)
        finally:
            os.close(fd)
        self.records[record["key"]] = record
