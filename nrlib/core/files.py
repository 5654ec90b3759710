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
import re
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


_TMP_NAME = re.compile(r"^\..+\.(\d+)\.[0-9a-f]{8}" + re.escape(TMP_SUFFIX) + "$")


def remove_stale_temporaries(folder: str | Path, *, recursive: bool = False) -> int:
    """Remove the temporary files :func:`atomic_write` left in ``folder`` when its process was killed.

    Only files named as :func:`atomic_write` names them, and only those whose
    writing process is gone (a live writer's file is left alone). Returns how
    many were removed.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.rglob(f".*{TMP_SUFFIX}") if recursive else folder.glob(f".*{TMP_SUFFIX}"):
        m = _TMP_NAME.match(path.name)
        if m and path.is_file() and not _alive(int(m.group(1))):
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


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
