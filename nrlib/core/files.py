"""Files nrlib writes and reads: one atomic write, one checksum.

Every file nrlib writes (a report, a raw copy of a received file, a
template, a store snapshot, an index page) goes through :func:`atomic_write`:
readers, a killed process or a full disk never leave half a file under the
final name.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import uuid
from pathlib import Path
from typing import Callable

#: temporary files are named ``.<final name>.<unique>.tmp`` in the target's folder (a cleanup finds them by it)
TMP_SUFFIX = ".tmp"


def atomic_write(path: str | Path, content: bytes | str | None = None, *, copy_from: str | Path | None = None,
                 writer: Callable[[Path], None] | None = None, mode: int | None = None,
                 encoding: str = "utf-8") -> Path:
    """Write ``path`` whole or not at all, and return it.

    Exactly one of ``content`` (bytes, or text written in ``encoding``),
    ``copy_from`` (a file copied byte for byte) and ``writer`` (called with
    the temporary path to write) gives what is written. Method: write a
    temporary file in the same folder, set its permissions (``mode``), then
    ``os.replace`` it onto ``path`` (atomic on one file system); the
    temporary file is removed if anything fails. The folder is created.
    """
    if sum(x is not None for x in (content, copy_from, writer)) != 1:
        raise ValueError("atomic_write needs exactly one of content, copy_from, writer")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}{TMP_SUFFIX}")
    try:
        if writer is not None:
            writer(tmp)
        elif copy_from is not None:
            shutil.copyfile(copy_from, tmp)
        elif isinstance(content, str):
            tmp.write_text(content, encoding=encoding)
        else:
            tmp.write_bytes(content)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path


def sha256_file(path: str | Path) -> tuple[str, int]:
    """``(SHA-256 hex digest, size in bytes)`` of a file, read once in 1 MiB blocks."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def sha256_bytes(data: bytes) -> str:
    """SHA-256 hex digest of bytes in memory (a snapshot in transit, a notebook)."""
    return hashlib.sha256(data).hexdigest()
