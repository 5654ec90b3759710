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


class FolderRefused(ValueError):
    """An output folder nrlib may not write into; the message is one Vietnamese line saying what to give instead.

    Callers in the stages turn it into an :class:`nrlib.NrlibError` (core imports nothing of nrlib).
    """


def claim_folder(out: str | Path, *, marker: str, marker_text: str, what: str,
                 is_ours: Callable[[Path], bool] | None = None, own: tuple[Path, ...] = ()) -> Path:
    """The output folder of a command, made or checked before anything is written: nrlib writes only into a
    folder it made.

    A folder is nrlib's when it holds ``marker`` (left by an earlier run), when
    ``is_ours(folder)`` says so (an older run's own file), when it is new or
    empty, or when it is one of ``own`` (the project's own output folders).
    Any other folder is refused and left as it is, as is a path that is a
    file or a folder that cannot be written. ``what`` names what the folder
    is for, in the messages (``"báo cáo"``, ``"văn bản"``).

    Returns
    -------
    Path
        The folder, created if needed, with ``marker`` in it (``marker_text``).

    Raises
    ------
    FolderRefused
        With one Vietnamese line (and its English) saying what to do.
    """
    out = Path(out).expanduser()
    if out.exists() and not out.is_dir():
        raise FolderRefused(f"--out {out} là một tệp, không phải thư mục: hãy chọn một thư mục (mới hoặc trống) để ghi "
                            f"{what} / --out {out} is a file: pick a new or empty folder")
    mark = out / marker
    resolved_own = {p.resolve() for p in own}
    if out.is_dir() and not mark.exists() and any(out.iterdir()) and not (is_ours and is_ours(out)) \
            and out.resolve() not in resolved_own:
        found = ", ".join(sorted(p.name for p in out.iterdir())[:5])
        raise FolderRefused(f"thư mục {out} đã có tệp không do nrlib tạo ({found}…): nrlib không ghi vào đó để khỏi "
                            f"thay hay xóa tệp của người dùng. Hãy chọn một thư mục mới hoặc trống cho --out / "
                            f"{out} holds files nrlib did not make: pick a new or empty folder for --out")
    try:
        out.mkdir(parents=True, exist_ok=True)
        if not mark.exists():
            mark.write_text(marker_text, encoding="utf-8")
    except OSError as exc:
        raise FolderRefused(f"không ghi được vào thư mục {out} ({exc.strerror or exc}): hãy chọn một thư mục ghi được "
                            f"cho --out / cannot write into {out}") from None
    return out
