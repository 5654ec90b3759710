"""Read-only snapshots of the store, for report workers that do not share it.

A batch of reports on a cluster must read one state of the store, wherever
its workers run. :func:`take_snapshot` copies the DuckDB file once, under the
store's writer lock (so no ingest is half-written into it), folding a
pending write-ahead log into the copy. The snapshot travels either as its
bytes (workers on other machines: :func:`materialise` writes it once per
worker, named by its SHA-256) or as a path on storage every worker can read
(``shared_dir``).

Reports keep naming the store by its own path (their ``db_path``
parameter, recorded in each report); a worker tells its kernels where that
store's snapshot lies through the environment variable
:data:`SNAPSHOT_ENV`, a JSON object ``{store path: snapshot path}``, which
:func:`source_of` reads. With no mapping a store is read in place.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from nrlib import config
from nrlib.core.files import atomic_write, sha256_bytes, sha256_file
from nrlib.exceptions import StoreError
from nrlib.store.connection import missing_store_message, resolve_db_path, store_lock

SNAPSHOT_ENV = "NRLIB_STORE_SNAPSHOTS"


@dataclass(frozen=True)
class StoreSnapshot:
    """One state of a store, as shipped to workers.

    ``store`` is the store's path as reports name it; ``sha256`` the
    snapshot's checksum; exactly one of ``data`` (the file's bytes) and
    ``path`` (a file on shared storage) is set.
    """

    store: str
    sha256: str
    size: int
    data: bytes | None = None
    path: str | None = None

    def __repr__(self) -> str:  # never print megabytes of bytes
        where = f"path={self.path!r}" if self.path else f"{self.size} bytes"
        return f"StoreSnapshot(store={self.store!r}, sha256={self.sha256[:12]}…, {where})"


def _copy_store(db_path: Path, dest: Path) -> None:
    """Copy the store file (and its write-ahead log, folded in) to ``dest``."""
    wal = db_path.with_name(db_path.name + ".wal")
    try:
        lock = store_lock(db_path, quiet=True)
        lock.__enter__()
    except OSError:  # a read-only folder: no lock file possible, and no writer either
        lock = None
    try:
        shutil.copyfile(db_path, dest)
        has_wal = wal.exists()
        if has_wal:
            shutil.copyfile(wal, dest.with_name(dest.name + ".wal"))
    finally:
        if lock is not None:
            lock.__exit__(None, None, None)
    if has_wal:
        import duckdb

        con = duckdb.connect(str(dest))  # replays the log; CHECKPOINT writes it into the file
        try:
            con.execute("CHECKPOINT")
        finally:
            con.close()


def take_snapshot(db_path: str | Path, shared_dir: str | Path | None = None) -> StoreSnapshot:
    """Snapshot the store at ``db_path``.

    Parameters
    ----------
    db_path : str or Path
        The store (must exist).
    shared_dir : str or Path, optional
        A folder every worker can read at the same path: the snapshot is
        written there (named by its checksum) and only its path travels.
        Default: the snapshot's bytes travel.
    """
    db = resolve_db_path(db_path)
    if not db.is_file():
        raise StoreError(missing_store_message(db))
    with tempfile.TemporaryDirectory(prefix="nrlib-snapshot-") as tmp:
        copy = Path(tmp) / "store.duckdb"
        _copy_store(db, copy)
        digest, size = sha256_file(copy)
        if shared_dir is None:
            return StoreSnapshot(store=str(db), sha256=digest, size=size, data=copy.read_bytes())
        target = Path(shared_dir).expanduser().resolve() / f"nrlib-snapshot-{digest}.duckdb"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not (target.exists() and target.stat().st_size == size):
            atomic_write(target, copy_from=copy)
        return StoreSnapshot(store=str(db), sha256=digest, size=size, path=str(target))


def materialise(snapshot: StoreSnapshot, local_dir: str | Path) -> Path:
    """The snapshot as a local file: its shared path, or its bytes written once under ``local_dir``.

    Bytes are checked against the checksum before use.
    """
    if snapshot.path:
        path = Path(snapshot.path)
        if not path.is_file():
            raise FileNotFoundError(f"snapshot {path} is not readable on this worker: is the folder shared?")
        return path
    if sha256_bytes(snapshot.data) != snapshot.sha256:
        raise ValueError("store snapshot damaged in transit (checksum mismatch)")
    target = Path(local_dir) / f"nrlib-snapshot-{snapshot.sha256}.duckdb"
    if target.exists() and target.stat().st_size == snapshot.size:
        return target
    return atomic_write(target, snapshot.data, mode=0o444)  # a snapshot is never written to
    return target


def snapshot_env(mapping: dict[str, str | Path]) -> dict[str, str]:
    """Environment entries telling kernels where each store's snapshot is."""
    return {SNAPSHOT_ENV: json.dumps({str(k): str(v) for k, v in mapping.items()})} if mapping else {}


def source_of(db_path: str | Path) -> Path:
    """The file to read for the store at ``db_path``: its snapshot when :data:`SNAPSHOT_ENV` maps it, else itself."""
    raw = config.env(SNAPSHOT_ENV)
    if raw:
        try:
            mapping = json.loads(raw)
        except ValueError:
            mapping = {}
        if isinstance(mapping, dict):
            for key in (str(db_path), str(Path(db_path).expanduser().resolve())):
                if isinstance(mapping.get(key), str):
                    return Path(mapping[key])
    return Path(db_path)
