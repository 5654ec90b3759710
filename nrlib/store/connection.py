"""Opening the store: its path, the writer's lock, read-only readers that wait for a writer, migrations on open."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

import duckdb

from nrlib import config
from nrlib.core import labels
from nrlib.exceptions import StoreError
from nrlib.store import migrations

#: seconds a writer waits for the lock, or a reader for the writer (``$NRLIB_LOCK_TIMEOUT``)
DEFAULT_TIMEOUT = config.DEFAULT_LOCK_TIMEOUT


def _timeout(timeout: float | None) -> float:
    return float(timeout) if timeout is not None else config.lock_timeout()


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@contextlib.contextmanager
def store_lock(db_path: str | Path | None = None, timeout: float | None = None, *, quiet: bool = False):
    """Hold the store's exclusive writer lock on ``<store>.lock`` (:mod:`filelock`: ``flock`` on Unix, the
    Windows file lock on Windows).

    Waits up to ``timeout`` seconds (default ``$NRLIB_LOCK_TIMEOUT`` or
    :data:`DEFAULT_TIMEOUT`), printing once that it waits, then raises
    :class:`StoreError` asking to re-run. The lock dies with its process, so
    a killed ingest never leaves the store locked.
    """
    from filelock import FileLock, Timeout

    db_path = resolve_db_path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    limit = _timeout(timeout)
    lock = FileLock(lock_path(db_path), preserve_lock_file=True)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if not quiet:
            print(labels.LOCK_WAITING.format(db=db_path, timeout=f"{limit:g}"), file=sys.stderr, flush=True)
        try:
            lock.acquire(timeout=limit, poll_interval=0.1)
        except Timeout:
            raise StoreError(
                f"kho dữ liệu {db_path} vẫn đang được một lệnh khác ghi sau {limit:g} giây; hãy chạy lại lệnh "
                f"sau ít phút / the store is still being written by another command after {limit:g} s: "
                "re-run later") from None
    try:
        yield db_path
    finally:
        lock.release()


def check_writable(db_path: Path) -> None:
    """Before a writer starts any work: the store's folder exists or can be made, and nrlib can write there.

    Raises :class:`StoreError` with one line naming the path and what to do
    (the common mistakes: ``--db`` inside a folder that is a file, a store
    that is a folder, a folder one cannot write).
    """
    if db_path.is_dir():
        raise StoreError(f"--db {db_path} là một thư mục: hãy chỉ tới một tệp kho dữ liệu, ví dụ "
                         f"{db_path / 'nrlib.duckdb'} / --db is a folder: name a store file")
    for folder in (db_path.parent, *db_path.parent.parents):
        if folder.exists():
            if not folder.is_dir():
                raise StoreError(f"không tạo được kho dữ liệu {db_path}: {folder} là một tệp, không phải thư mục. Hãy "
                                 f"chọn --db ở một thư mục khác / {folder} is a file, not a folder")
            break
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        probe = db_path.parent / f".nrlib-write-test.{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise StoreError(f"không ghi được vào thư mục {db_path.parent} ({exc.strerror or exc}): hãy chọn --db ở một "
                         f"thư mục ghi được / cannot write into {db_path.parent}") from None


def resolve_db_path(db_path: str | Path | None) -> Path:
    return Path(db_path).expanduser().resolve() if db_path else config.default_db_path()


def _connect(db_path: Path, read_only: bool, timeout: float | None) -> duckdb.DuckDBPyConnection:
    limit = _timeout(timeout)
    deadline = time.monotonic() + limit
    told = False
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise StoreError(f"không mở được kho dữ liệu {db_path}: {exc} / cannot open the store") from exc
            if time.monotonic() >= deadline:
                if read_only:
                    raise StoreError(
                        f"kho dữ liệu {db_path} vẫn đang được một lệnh khác ghi sau {limit:g} giây; hãy chạy lại "
                        f"lệnh khi lệnh đó xong / the store is still being written after {limit:g} s: re-run") from exc
                raise StoreError(
                    f"kho dữ liệu {db_path} vẫn đang được một chương trình khác mở sau {limit:g} giây (một sổ tay "
                    "Jupyter, một lệnh nrlib reports, hay DuckDB mở tệp này); hãy đóng chương trình đó hoặc chạy lại "
                    f"sau ít phút / the store is still open in another program after {limit:g} s: close it or "
                    "re-run later") from exc
            if not told:     # say once what the command waits for, and how long it will
                waiting = labels.READ_WAITING if read_only else labels.WRITE_WAITING
                print(waiting.format(db=db_path, timeout=f"{limit:g}"), file=sys.stderr, flush=True)
                told = True
            time.sleep(0.1)
        except duckdb.Error as exc:
            raise StoreError(f"không mở được kho dữ liệu {db_path}: {exc} / cannot open the store") from exc


def missing_store_message(db_path: Path) -> str:
    return (f"chưa có kho dữ liệu {db_path}: hãy chạy `nrlib ingest THƯ_MỤC_BIỂU_MẪU` hoặc `make demo` / "
            f"no store at {db_path}: run `nrlib ingest FOLDER` or `make demo` first")


def open_store(db_path: str | Path | None = None, *, read_only: bool = True,
               timeout: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open the store, migrating an older schema first.

    Parameters
    ----------
    db_path : str or Path, optional
        Default :func:`nrlib.config.default_db_path`.
    read_only : bool
        Reports, notebooks, ``status`` and ``export`` open read-only (default)
        and never write: a store of an older schema is refused with the
        command that upgrades it (``nrlib upgrade``). A read-write connection
        creates the store if needed and migrates an older one; hold
        :func:`store_lock` around it, as :mod:`nrlib.ingest` does.
    timeout : float, optional
        Seconds to wait while another process holds the store.

    Raises
    ------
    StoreError
        Missing store (read-only), a store of an older schema (read-only), a
        store from a newer nrlib, a database that is not an nrlib store, or a
        store still busy after ``timeout``.
    """
    db_path = resolve_db_path(db_path)
    if read_only:
        if not db_path.exists():
            raise StoreError(missing_store_message(db_path))
        con = _connect(db_path, True, timeout)
        try:
            version = migrations.schema_version(con)
            foreign = migrations.foreign_tables(con) if version == 0 else []
        except BaseException:
            con.close()
            raise
        if version == migrations.SCHEMA_VERSION:
            return con
        con.close()
        # a read-only command never writes: not even to upgrade an older store
        if version > migrations.SCHEMA_VERSION:
            raise migrations.newer_store(version, migrations.SCHEMA_VERSION)
        if foreign:
            raise migrations.foreign_store(db_path, foreign)
        if version == 0:
            raise StoreError(missing_store_message(db_path))
        raise migrations.outdated_store(db_path, version)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(db_path, False, timeout)
    try:
        migrations.migrate(con)
    except BaseException:
        con.close()
        raise
    return con
