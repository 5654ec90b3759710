"""Ingest received workbooks: keep the raw file, validate it, store it as the unit's next version.

For each file, in order of received date:

1. its checksum (SHA-256) is computed; a file already in the store (same
   checksum) changes nothing and is reported as such;
2. it is read (:mod:`nrlib.intake.reader`) and validated against the outline in one
   pass (:mod:`nrlib.intake.validate`), including the unit it claims to come from
   (the file name's leading 5-digit code, the manifest's ``unit_code``);
3. it is copied unchanged and read-only to ``<store folder>/submissions/raw/``
   (for the default store: ``data/submissions/raw``) as
   ``{unit_code}_{yyyymmdd}_{sha256[:12]}{ext}`` — codes and digits only,
   never the received name, which is kept as data;
4. it is stored as the unit's next version in ONE transaction: accepted (no
   errors) with all its content, or rejected with its problems only.

The store is held (its writer lock, :func:`nrlib.store.store_lock`, and its file) only while a batch of
files is written: readers (``nrlib status``, reports, notebooks) run between batches.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import json
import multiprocessing
import os
import re
import signal
import stat
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from nrlib import config, store
from nrlib.core import labels
from nrlib.core.files import atomic_write, remove_stale_temporaries, sha256_file
from nrlib.core.vnformat import date_or_none, fmt_date, parse_date
from nrlib.dataset import PROPOSAL_DETAILS
from nrlib.exceptions import NrlibError
from nrlib.intake.limits import load_limits
from nrlib.intake.plausibility import Peers, check_outliers
from nrlib.intake.partner import partner_form, partner_sheets, validate_partner
from nrlib.intake.reader import SUPPORTED_SUFFIXES, WorkbookReadError, read_workbook
from nrlib.intake.result import Problem, ProblemCounts, Result
from nrlib.intake.schema import Schema, Schemas, cached_match_key, compile_schemas
from nrlib.intake.validate import validate_workbook

MANIFEST_NAME = "received.csv"
MANIFEST_COLUMNS = ("file_name", "unit_code", "received_date")
_LEADING_CODE = re.compile(r"^(\d{5})(?!\d)")


class IngestUsageError(NrlibError):
    """The command line named something that cannot be ingested (missing path, bad manifest)."""


@dataclass
class FileOutcome(ProblemCounts):
    """What happened to one file: ``outcome`` is ``accepted``, ``rejected`` or ``duplicate``."""

    path: Path
    outcome: str
    status: str
    sha256: str
    received_date: dt.date
    unit_code: str | None = None
    version: int | None = None
    submission_id: int | None = None
    stored_as: str | None = None
    problems: list[Problem] = field(default_factory=list)
    previous: dict | None = None
    partner: str | None = None
    partner_name: str | None = None

    def summary_line(self) -> str:
        unit = self.unit_code or labels.UNKNOWN_UNIT
        lines = labels.OUTCOME_LINES
        if self.partner_name and self.outcome != "duplicate":
            unit, lines = self.partner_name, labels.PARTNER_OUTCOME_LINES
        if self.outcome == "duplicate":
            p = self.previous or {}
            if p.get("partner") and not p.get("unit_code"):
                return labels.PARTNER_OUTCOME_LINES["duplicate"].format(
                    unit=_partner_name(p["partner"]), version=p.get("version") or "–",
                    received=fmt_date(p.get("received_date")))
            return labels.OUTCOME_LINES["duplicate"].format(
                unit=p.get("unit_code") or labels.UNKNOWN_UNIT, version=p.get("version") or "–",
                received=fmt_date(p.get("received_date")))
        if self.outcome == "accepted":
            key = "accepted_warnings" if self.n_warnings else "accepted"
            return lines[key].format(unit=unit, version=self.version, n_warnings=self.n_warnings)
        return lines["rejected"].format(
            unit=unit, n_errors=self.n_errors, n_warnings=self.n_warnings,
            version_part=f", phiên bản {self.version}" if self.version else "")

    def lines(self, display: str | None = None) -> list[str]:
        """``FILE: outcome`` then one ``FILE: SHEET!CELL: [RULE] message`` per problem.

        File names, sheet names and messages quote received text: control
        characters in them (terminal escape sequences) are printed as ``?``.
        """
        name = labels.printable(display or str(self.path))
        out = [f"{name}: {self.summary_line()}"]
        out += [labels.printable(f"{name}: {p.location}: [{p.rule}] {p.message}") for p in self.problems]
        return out

    def as_dict(self) -> dict:
        return {"file": str(self.path), "outcome": self.outcome, "status": self.status,
                "unit_code": self.unit_code, "partner": self.partner, "version": self.version, "submission_id": self.submission_id,
                "received_date": self.received_date.isoformat(), "sha256": self.sha256, "stored_as": self.stored_as,
                "n_errors": self.n_errors, "n_warnings": self.n_warnings,
                "problems": [p.as_dict() for p in self.problems]}


# ----------------------------------------------------------------------------- inputs


def collect_files(paths, skipped: list | None = None) -> list[Path]:
    """Workbook files named by ``paths`` (files, or folders searched recursively), sorted, de-duplicated.

    Office lock files (``~$…``) and hidden files are passed over; every other
    file of a folder that is not a workbook (a CSV, a PDF, a scan) is added
    to ``skipped``, so the caller can say what it did not ingest. Raises
    :class:`IngestUsageError` for a path that does not exist, a file named on
    its own that is not a workbook, or when nothing at all is a workbook.
    """
    out: list[Path] = []
    skipped = [] if skipped is None else skipped
    for p in map(Path, paths):
        if not p.exists():
            raise IngestUsageError(f"không tìm thấy {p} / no such file or folder: {p}")
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file() or f.name.startswith(("~$", ".")):
                    continue
                if f.suffix.lower() in SUPPORTED_SUFFIXES:
                    out.append(f)
                else:
                    skipped.append(f)
        else:
            if p.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise IngestUsageError(f"{p}: không phải tệp bảng tính (.xlsx, .xls) / not a workbook file")
            if not p.is_file():      # a FIFO or a device named .xlsx would block or never end
                raise IngestUsageError(f"{p}: không phải một tệp thông thường / not a regular file")
            out.append(p)
    seen, unique = set(), []
    for f in out:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    if not unique:
        found = ", ".join(labels.printable(f.name) for f in skipped[:10]) + (" …" if len(skipped) > 10 else "")
        raise IngestUsageError(
            "không có tệp bảng tính (.xlsx, .xlsm, .xls, .ods) nào để nhận"
            + (f"; trong thư mục chỉ có: {found}" if skipped else "")
            + " / no workbook to ingest" + (f" (found only: {found})" if skipped else ""))
    return unique


def _open_error(path: Path) -> OSError | None:
    try:
        with open(path, "rb") as fh:
            fh.read(1)
    except OSError as exc:
        return exc
    return None


def _unreadable_message(paths: list[Path], exc: OSError) -> str:
    shown = ", ".join(labels.printable(str(p)) for p in paths[:5]) + (f" và {len(paths) - 5} tệp khác"
                                                                      if len(paths) > 5 else "")
    reason = labels.printable(exc.strerror or str(exc))
    return (f"không mở được để đọc {len(paths)} tệp ({reason}): {shown}. Hãy kiểm tra quyền đọc tệp (hoặc đóng "
            f"chương trình đang giữ tệp) rồi chạy lại; chưa có gì được lưu từ các tệp này / cannot open "
            f"{len(paths)} file(s) for reading ({reason}): check their permissions, then re-run")


def parse_received(text: str) -> dt.date:
    """A received date from the command line: ``2021-02-18`` or ``18/02/2021``."""
    d = date_or_none(text)
    if d is None:
        raise IngestUsageError(labels.INVALID_DATE_OPTION.format(text=text))
    return d


def read_manifest(path: str | Path) -> dict[str, dict]:
    """Read a ``received.csv`` manifest: ``file_name, unit_code, received_date`` per received file.

    Returns ``{file_name: {"unit_code": ..., "received_date": date, "path": Path}}``;
    ``path`` is the file name resolved against the manifest's folder.
    """
    path = Path(path)
    if not path.exists():
        raise IngestUsageError(f"không tìm thấy danh sách nhận {path} / manifest not found: {path}")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in MANIFEST_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise IngestUsageError(f"{path}: thiếu cột {missing}; cần {list(MANIFEST_COLUMNS)} / "
                                   f"manifest lacks columns {missing}")
        out = {}
        for i, row in enumerate(reader, start=2):
            name = (row["file_name"] or "").strip()
            if not name:
                continue
            try:
                received = parse_date(row["received_date"])
            except ValueError:
                received = None
            if received is None:
                raise IngestUsageError(f"{path}, dòng {i}: ngày nhận không hợp lệ {row['received_date']!r} / "
                                       f"line {i}: invalid received_date")
            # names as NFC: macOS and some zip tools write them decomposed (NFD), which looks the same
            out[unicodedata.normalize("NFC", Path(name).name)] = {"unit_code": (row["unit_code"] or "").strip() or None,
                                    "received_date": received, "path": path.parent / name}
    return out


def raw_dir(db_path: Path) -> Path:
    """Where unchanged copies of received files are kept: ``<store folder>/submissions/raw``."""
    return db_path.parent / "submissions" / "raw"


def _keep_raw(src: Path, db_path: Path, unit_code: str | None, received: dt.date, sha: str) -> str:
    ext = src.suffix.lower() if src.suffix.lower() in SUPPORTED_SUFFIXES else ".bin"
    name = f"{unit_code or 'unknown'}_{received:%Y%m%d}_{sha[:12]}{ext}"
    target = raw_dir(db_path) / name
    if not target.exists():
        atomic_write(target, copy_from=src, mode=stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return target.relative_to(db_path.parent).as_posix()


# ----------------------------------------------------------------------------- ingest


def _tables(res: Result) -> dict[str, dict[str, list]]:
    """The analysis-table columns of a validated workbook (see :data:`nrlib.store.ANALYSIS_TABLES`; a partner's:
    :data:`nrlib.store.write.PARTNER_TABLES`)."""
    if res.partner:
        return {name: _columns_of(rows) for name, rows in res.partner_tables.items()}
    vals = res.values
    props = ("seq", "kind", "name", "address", "achievement", "award_form", *PROPOSAL_DETAILS)
    return {
        "data_values": {"year": [v["year"] for v in vals], "data_element": [v["data_element"] for v in vals],
                        "value": [float("nan") if v["value"] is None else float(v["value"]) for v in vals]},
        "criteria_status": {k: [c[k] for c in res.criteria_status] for k in ("year", "criterion_no", "status")},
        "urban_status": {k: [c[k] for c in res.urban_status] for k in ("year", "criterion_code", "status")},
        "proposals": {k: [p.get(k) for p in res.proposals] for k in props},
        "narratives": {k: [n[k] for n in res.narratives] for k in ("section_code", "text")},
        "info": {"key": list(res.info), "value": list(res.info.values())},
        "notes": {k: [n[k] for n in res.notes] for k in ("sheet", "row_code", "text")},
    }


def _columns_of(rows: list[dict]) -> dict[str, list]:
    keys = list(dict.fromkeys(k for r in rows for k in r))
    return {k: [r.get(k) for r in rows] for k in keys}


def _unit_row(code: str | None) -> dict | None:
    from nrlib.intake.schema import registry_unit

    return registry_unit(code) if code else None


class _PeerCache:
    """Peers per district, loaded from the store once and kept up to date during the run."""

    def __init__(self, con, schema: Schema):
        self.con, self.schema, self.by_district = con, schema, {}

    def get(self, district: str) -> Peers:
        if district not in self.by_district:
            df = self.con.execute("""
                SELECT v.unit_code, v.year, v.data_element, v.value
                FROM data_values v JOIN current_submissions c USING (submission_id)
                WHERE c.district_code = ?""", [district]).df()
            self.by_district[district] = Peers.from_frame(df, self.schema)
        return self.by_district[district]


#: files stored per transaction: one commit costs several milliseconds, so batching keeps ingest fast;
#: a batch commits entirely or not at all
BATCH_SIZE = 50
#: below this many files, reading and validating in worker processes costs more than it saves
PARALLEL_MIN_FILES = 16


#: more worker processes than this are never started, whatever is asked
MAX_WORKERS = 64


def parse_workers(text: str, where: str) -> int:
    """A number of worker processes given as text (``--workers``, ``$NRLIB_INGEST_WORKERS``): a whole
    number from 1, capped at :data:`MAX_WORKERS`; anything else is an :class:`IngestUsageError` naming ``where``."""
    if not text.strip().isdigit() or int(text) < 1:
        raise IngestUsageError(f"{where}={text!r}: cần một số nguyên dương / must be a positive whole number "
                               "of processes")
    return min(int(text), MAX_WORKERS)


def default_workers() -> int:
    """Worker processes for reading and validating: ``$NRLIB_INGEST_WORKERS``, else the CPUs this process may use (at most 4).

    The machine's load is not subtracted: on 2 CPUs kept busy by two other
    processes, 2 workers still ingest about 1,4× as fast as one (they get a
    larger share of the CPUs), and the parallel path costs little CPU of its
    own (measured in ``benchmarks/bench_ingest.py``).
    """
    env = config.ingest_workers()
    if env:
        return parse_workers(env, "NRLIB_INGEST_WORKERS")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(4, cpus))


def ingest_files(paths, db_path=None, *, received: dt.date | str | None = None, manifest: str | Path | None = None,
                 timeout: float | None = None, on_file=None, batch_size: int = BATCH_SIZE,
                 workers: int | None = None, on_skipped=None) -> list[FileOutcome]:
    """Ingest workbooks into the store.

    Parameters
    ----------
    paths : iterable of str or Path
        Files or folders (searched for ``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``).
    db_path : str or Path, optional
        The store (default :func:`nrlib.config.default_db_path`), created on first use.
    received : date or str, optional
        Received date of every file (default: today), unless a manifest gives it.
    manifest : str or Path, optional
        A ``received.csv`` (``file_name, unit_code, received_date``): each file
        must be listed; its ``unit_code`` is checked against the workbook.
    timeout : float, optional
        Seconds to wait for another writer.
    on_file : callable, optional
        Called with each :class:`FileOutcome` once it is committed.
    on_skipped : callable, optional
        Called, before anything is read, with the files of the folders that
        are not workbooks (not ingested).
    batch_size : int
        Files per transaction (each file's content is always within one).
    workers : int, optional
        Processes reading and validating files (default :func:`default_workers`;
        used from :data:`PARALLEL_MIN_FILES` files on). Checks that depend on
        the store (duplicates, outliers, versions) always run in this
        process, in order, so the result does not depend on ``workers``.

    Returns
    -------
    list of FileOutcome
        In processing order (received date, then file name).

    Raises
    ------
    IngestUsageError
        Before anything is stored, for a missing path, a bad manifest or a
        file the manifest does not list.
    """
    db_path = store.resolve_db_path(db_path)
    load_limits()     # a bad limit setting stops the run here, before anything is read or stored
    store.check_writable(db_path)
    skipped: list[Path] = []
    files = collect_files(paths, skipped)
    if manifest:          # the manifest lying in the folder it lists is not a file left out
        skipped = [f for f in skipped if f.resolve() != Path(manifest).resolve()]
    if skipped and on_skipped:
        on_skipped(skipped)
    cannot = [(f, err) for f in files if (err := _open_error(f)) is not None]
    if cannot:          # before any work: a file nrlib may not open (permissions, held by another program)
        raise IngestUsageError(_unreadable_message([f for f, _ in cannot], cannot[0][1]))
    entries = read_manifest(manifest) if manifest else {}
    default_date = (received if isinstance(received, dt.date) else parse_received(received)) if received \
        else dt.date.today()
    plan = []
    for f in files:
        entry = entries.get(unicodedata.normalize("NFC", f.name)) if manifest else None
        if manifest and entry is None:
            raise IngestUsageError(f"{f}: không có trong danh sách nhận {manifest} / not listed in the manifest")
        plan.append((entry["received_date"] if entry else default_date, f.name, f, entry))
    plan.sort(key=lambda t: (t[0], t[1]))
    schema = compile_schemas()      # every shipped outline: each file is validated against the one it states
    tasks = [(f, _claims(f, entry)) for _, _, f, entry in plan]
    workers = default_workers() if workers is None else workers
    if len(tasks) >= PARALLEL_MIN_FILES and workers > 1:
        schema.prepare_units({code for _, claims in tasks for _, code in claims})
    outcomes: list[FileOutcome] = []
    writer = _BatchWriter(db_path, schema, timeout, outcomes, on_file)
    # the pool is forked before the store is opened: a child must never inherit a DuckDB connection
    with _collect_less(), _analyser(tasks, schema, workers if len(tasks) >= PARALLEL_MIN_FILES else 1) as analysed, \
            _write_failures(db_path, outcomes, len(plan)):
        batch: list = []
        for item in zip(plan, analysed):
            batch.append(item)
            if len(batch) >= batch_size:
                writer.write(batch)
                batch = []
        writer.write(batch)
    return outcomes


class _BatchWriter:
    """Stores analysed files a batch at a time, holding the store only while it writes each batch.

    Reading and validating need no store, so they run with the store free:
    ``nrlib status``, reports and notebooks get in between batches. Each
    batch takes the writer's lock, opens the store, checks what depends on
    the store (duplicates, outliers against the units stored so far,
    versions), keeps the raw copies, commits, and closes the store again.
    What was read from the store is kept from one batch to the next unless
    another command changed the store in between (its last audit row tells).
    """

    def __init__(self, db_path: Path, schema: Schemas, timeout, outcomes: list, on_file):
        self.db_path, self.schema, self.timeout = db_path, schema, timeout
        self.outcomes, self.on_file = outcomes, on_file
        self.seen: str | None = None          # the store's last change as this run left it
        self.known: dict = {}
        self.peers: _PeerCache | None = None
        self.first = True

    def write(self, batch: list) -> None:
        if not batch:
            return
        with store.store_lock(self.db_path, self.timeout), \
                store.open_store(self.db_path, read_only=False, timeout=self.timeout) as con:
            if self.first:
                remove_stale_temporaries(raw_dir(self.db_path))  # copies of a run killed mid-copy
                self.first = False
            if store.data_version(con) != self.seen:      # first batch, or another command wrote since
                self.known = store.known_checksums(con)
                self.peers = _PeerCache(con, self.schema.default)
            self.peers.con = con
            self._store(con, batch)
            self.seen = store.data_version(con)

    def _store(self, con, batch: list) -> None:
        pending: list[tuple[FileOutcome, tuple]] = []
        known, outcomes, on_file = self.known, self.outcomes, self.on_file

        def flush() -> None:
            ids = _add(con, pending)
            for (outcome, (record, _, _)), got in zip(pending, ids):
                outcome.submission_id, outcome.version = got["submission_id"], got["version"]
                known[record["sha256"]] = dict(record, **got)
                outcomes.append(outcome)
                if on_file:
                    on_file(outcome)
            pending.clear()

        for (received_date, _, f, entry), (sha, size, res) in batch:
            if any(o.sha256 == sha for o, _ in pending):
                flush()  # the same file twice in one run: the second is a no-op against the first
            previous = known.get(sha)
            if previous is not None:
                outcome = FileOutcome(path=f, outcome="duplicate", status=previous["status"], sha256=sha,
                                      received_date=received_date, unit_code=previous["unit_code"],
                                      version=_int(previous["version"]),
                                      submission_id=int(previous["submission_id"]),
                                      stored_as=previous["raw_path"], previous=previous)
                flush()
                outcomes.append(outcome)
                if on_file:
                    on_file(outcome)
                continue
            pending.append(_prepare(self.db_path, f, sha, size, received_date, entry, res, self.schema.default,
                                    self.peers))
        flush()


@contextlib.contextmanager
def _collect_less():
    """Fewer cyclic garbage collections while files are read and stored (workers, forked inside, inherit it).

    A run allocates many small containers (a workbook's values, cells and
    problems), which makes Python's collector run often and, at its oldest
    generation, walk the whole heap (pandas, DuckDB, the registries). The
    objects that exist before the run are frozen (left out of collections) and
    the first generation is collected every 10.000 allocations instead of 700:
    about 6 % less CPU per workbook (``benchmarks/bench_ingest.py``). Both are
    undone afterwards; nothing is leaked, cycles are still collected.
    """
    import gc

    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(10_000, threshold[1], threshold[2])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


_DISK_FULL = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
_WRITE_FAILED = ("Could not write", "No space left", "File too large", "Disk quota", "Read-only file system")


def _interrupted(exc: BaseException) -> bool:
    """A Ctrl-C as DuckDB reports it when it lands inside a statement: ``duckdb.InterruptException`` (DuckDB 1.x)
    or ``RuntimeError('Query interrupted')`` (DuckDB 2)."""
    return isinstance(exc, getattr(duckdb, "InterruptException", ())) or (
        type(exc) is RuntimeError and "interrupted" in str(exc).lower())


def _write_failure(exc: BaseException) -> bool:
    """A failed write (disk, permissions), as opposed to content the store refuses."""
    return isinstance(exc, (OSError, duckdb.IOException)) or any(k in str(exc) for k in _WRITE_FAILED)


def _add(con, pending: list) -> list[dict]:
    """Store a batch; if the store refuses one file's content (a bug: validation let through what a
    constraint forbids), store the others and that one as rejected (``E_INTERNAL``) instead of losing
    the batch. A failed write is not retried: :func:`_write_failures` reports it."""
    items = [item for _, item in pending]
    try:
        return store.add_submissions(con, items)
    except Exception as exc:
        if _interrupted(exc):
            # DuckDB takes a Ctrl-C that lands while one of its statements runs and reports it as its own error:
            # the user stopping the run, never content the store refuses (taken for that, the batch was retried
            # file by file, or the run ended on a traceback)
            raise KeyboardInterrupt from None
        if not isinstance(exc, duckdb.Error) or _write_failure(exc):
            raise
        if len(items) > 1:
            return [got for one in pending for got in _add(con, [one])]
        outcome, (record, tables, problems) = pending[0]
        reason = labels.printable(f"{type(exc).__name__}: {exc}".splitlines()[0])[:160]
        print(f"nrlib: lỗi nội bộ khi lưu {labels.printable(str(outcome.path))} / internal error: {reason}", file=sys.stderr)
        internal = Problem(sheet="", cell="", rule="E_INTERNAL", severity="error",
                           message=labels.problem_message("E_INTERNAL", reason=reason))
        outcome.problems = [*outcome.problems, internal]
        outcome.outcome = outcome.status = "rejected"
        for k, values in problems.items():      # in place: the caller holds these objects
            values.append(getattr(internal, k))
        record.update(status="rejected", n_errors=record["n_errors"] + 1)
        return store.add_submissions(con, [(record, tables, problems)])


@contextlib.contextmanager
def _write_failures(db_path: Path, outcomes: list, n_files: int):
    """Turn a failed write (disk full, read-only folder, store error) into a :class:`StoreError` that says
    what was stored, what was not, and what to run next. Each batch commits whole or not at all, and
    raw copies are kept before their batch commits, so nothing accepted is lost."""
    try:
        yield
    except NrlibError as exc:
        stored = sum(o.outcome in ("accepted", "rejected") for o in outcomes)
        if not outcomes:
            raise
        # the store stayed busy between two batches, a file could no longer be read: say what this run
        # stored before it stopped
        raise type(exc)(
            f"{exc}. Lần chạy này đã lưu {stored} tệp; {n_files - len(outcomes)} tệp chưa được lưu: chạy lại đúng "
            f"lệnh này để lưu nốt (các tệp đã lưu sẽ được bỏ qua) / {stored} file(s) of this run were stored, "
            f"{n_files - len(outcomes)} were not: re-run the same command") from exc
    except RuntimeError as exc:
        if _interrupted(exc):                   # Ctrl-C, as DuckDB 2 reports it (see _add)
            raise KeyboardInterrupt from None
        raise
    except (OSError, duckdb.Error) as exc:
        if _interrupted(exc):                   # Ctrl-C, as DuckDB 1.x reports it
            raise KeyboardInterrupt from None
        # the path written to tells which disk is full: a copy's target, else the store's file
        text = f"{exc.strerror}: {exc.filename2 or exc.filename}" if isinstance(exc, OSError) and exc.strerror \
            else str(exc).splitlines()[0]
        full = getattr(exc, "errno", None) in _DISK_FULL or any(
            k in text for k in ("No space left", "File too large", "Disk quota"))
        what = "ổ đĩa đã đầy" if full else "không ghi được"
        stored = sum(o.outcome in ("accepted", "rejected") for o in outcomes)
        raise store.StoreError(
            f"{what} ({labels.printable(text)[:400]}). Đã lưu {stored} tệp của lần chạy này trước khi lỗi; "
            f"{n_files - len(outcomes)} tệp chưa được lưu. Dữ liệu đã lưu vẫn nguyên vẹn. "
            f"{'Hãy giải phóng chỗ trống trên ổ đĩa' if full else 'Hãy khắc phục lỗi trên'} rồi chạy lại đúng lệnh "
            "này: các tệp đã lưu sẽ được bỏ qua / "
            f"{'disk full' if full else 'write failed'}: {stored} file(s) of this run were stored before the "
            f"failure, {n_files - len(outcomes)} were not; the store is consistent. Free space (or fix the cause) "
            "and re-run the same command: files already stored are skipped") from exc


def _claims(path: Path, entry: dict | None) -> list[tuple[str, str]]:
    """Units a file is said to come from: its name's leading 5-digit code, the manifest's unit."""
    claims = []
    m = _LEADING_CODE.match(path.name)
    if m:
        claims.append(("file_name", m.group(1)))
    if entry and entry.get("unit_code"):
        claims.append(("manifest", entry["unit_code"]))
    return claims


def analyse_file(path: Path, claims: list[tuple[str, str]], schema: Schema | Schemas) -> tuple[str, int, Result]:
    """Checksum, read and validate one file (no store involved): ``(sha256, size, result)``.

    A file that cannot be read, or is refused before reading (a limit of
    :mod:`nrlib.intake.limits`), gets one problem with the refusal's rule, sheet and
    cell. Should validation itself fail on a file (a bug), the file gets an
    ``E_INTERNAL`` problem and the traceback goes to stderr: one file never
    stops the others.
    """
    try:
        sha, size = sha256_file(path)
    except OSError as exc:      # removed, or its permissions changed, since the run began
        raise IngestUsageError(_unreadable_message([path], exc)) from None
    try:
        book = read_workbook(path, keep=schema.reads_sheet)
        partner = partner_form(book) is not None
        if partner:      # a partner's workbook: its own sheets are read too
            sheets = partner_sheets()
            book = read_workbook(path, keep=lambda name: cached_match_key(name) in sheets)
    except WorkbookReadError as exc:
        res = Result()
        res.problems.append(Problem(sheet=exc.sheet, cell=exc.cell, rule=exc.rule,
                                    severity=labels.rule(exc.rule).severity, message=exc.message))
        return sha, size, res
    try:
        if partner:
            return sha, size, validate_partner(book, schema.default if isinstance(schema, Schemas) else schema)
        return sha, size, validate_workbook(book, schema, claims=claims)
    except Exception as exc:  # a bug must not cost the other files of the run
        return sha, size, _internal_error(path, exc)


def _internal_error(path: Path, exc: Exception) -> Result:
    import traceback

    print(f"nrlib: lỗi nội bộ khi kiểm tra {labels.printable(str(path))} / internal error:", file=sys.stderr)
    traceback.print_exception(exc, file=sys.stderr)
    res = Result()
    reason = labels.printable(f"{type(exc).__name__}: {exc}")[:160]
    res.problems.append(Problem(sheet="", cell="", rule="E_INTERNAL", severity="error",
                                message=labels.problem_message("E_INTERNAL", reason=reason)))
    return res




_WORKER_SCHEMA: Schemas | None = None


def _worker_init(schema: Schemas) -> None:
    """Use the parent's compiled schema: with ``fork`` it arrives as it is, with the units' registry rows and
    levels that :meth:`Schema.prepare_units` loaded (a fresh ``compile_schema()`` would load them again)."""
    global _WORKER_SCHEMA
    _WORKER_SCHEMA = schema
    # Ctrl-C is the parent's to handle (it stops the pool and says what to run next): a worker stops quietly
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker(task):
    path, claims = task
    return analyse_file(path, claims, _WORKER_SCHEMA)


@contextlib.contextmanager
def _analyser(tasks: list, schema: Schemas, workers: int):
    """Iterate ``analyse_file`` results in task order, in worker processes when ``workers > 1``."""
    if workers <= 1:
        yield (analyse_file(path, claims, schema) for path, claims in tasks)
        return
    # fork (Linux) hands the compiled schema over for free; under spawn (Windows) each worker unpickles it
    ctx = multiprocessing.get_context(config.start_method("fork"))
    pool = ctx.Pool(workers, initializer=_worker_init, initargs=(schema,))
    try:
        yield pool.imap(_worker, tasks, chunksize=4)
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _prepare(db_path: Path, path: Path, sha: str, size: int, received: dt.date, entry: dict | None,
             res: Result, schema: Schema, peers: _PeerCache) -> tuple[FileOutcome, tuple]:
    """Check outliers against the units stored so far, keep the raw copy; returns the outcome and what to store."""
    if res.partner_form is not None:
        return _prepare_partner(db_path, path, sha, size, received, entry, res)
    claims = _claims(path, entry)
    unit_code = sender(claims, res.unit_code)
    unit = _unit_row(unit_code)
    own = _unit_row(res.unit_code)
    if own and res.unit_code == unit_code:
        check_outliers(res, schema, peers.get(own["district_code"]))
    _check_report_date(res, received)
    stored_as = _keep_raw(path, db_path, unit_code, received, sha)
    status = "accepted" if res.accepted and res.unit_code else "rejected"
    m = _LEADING_CODE.match(path.name)
    record = _record(path, sha, size, received, res, status, stored_as, unit_code=unit_code,
                     district_code=unit["district_code"] if unit else None,
                     claimed_unit_code=(entry or {}).get("unit_code") or (m.group(1) if m else None))
    if status == "accepted" and unit:
        peers.get(unit["district_code"]).set_unit(
            unit_code, {(v["data_element"], v["year"]): v["value"] for v in res.values})
    outcome = FileOutcome(path=path, outcome=status, status=status, sha256=sha, received_date=received,
                          unit_code=unit_code, stored_as=stored_as, problems=res.problems)
    return outcome, (record, _tables(res), _problem_columns(res))


def _record(path: Path, sha: str, size: int, received: dt.date, res: Result, status: str, stored_as: str | None,
            **who) -> dict:
    """A received file's row of ``submissions``; ``who``: ``unit_code``, ``district_code``, ``claimed_unit_code``
    and, for a partner's workbook, ``partner``."""
    return {"file_name": path.name, "raw_path": stored_as, "file_format": path.suffix.lower().lstrip("."),
            "size_bytes": size, "sha256": sha, "received_date": received, "status": status,
            "n_errors": res.n_errors, "n_warnings": res.n_warnings, "is_sample": res.is_sample,
            "outline_version": res.outline_version, **who}


def _problem_columns(res: Result) -> dict[str, list]:
    return {k: [getattr(p, k) for p in res.problems] for k in ("sheet", "cell", "rule", "severity", "message", "value")}


def _prepare_partner(db_path: Path, path: Path, sha: str, size: int, received: dt.date, entry: dict | None,
                     res: Result) -> tuple[FileOutcome, tuple]:
    """A partner's workbook: no unit, its district and partner instead; kept and stored as the communes' are."""
    _check_report_date(res, received)
    # the copy's name: the district's code and the partner's key (reference data), never received text
    owner = f"{res.district_code}-{res.partner}" if res.district_code and res.partner else None
    stored_as = _keep_raw(path, db_path, owner, received, sha)
    status = "accepted" if res.accepted and res.partner and res.district_code else "rejected"
    record = _record(path, sha, size, received, res, status, stored_as, unit_code=None,
                     district_code=res.district_code, partner=res.partner,
                     claimed_unit_code=(entry or {}).get("unit_code"))
    outcome = FileOutcome(path=path, outcome=status, status=status, sha256=sha, received_date=received,
                          unit_code=None, stored_as=stored_as, problems=res.problems, partner=res.partner,
                          partner_name=_partner_name(res.partner))
    return outcome, (record, _tables(res), _problem_columns(res))


def _partner_name(key: str | None) -> str:
    from nrlib.reference import load_partners

    return f"biểu mẫu của {load_partners().partner(key)['name']}" if key else labels.UNKNOWN_PARTNER


def _check_report_date(res: Result, received: dt.date) -> None:
    """A report dated after the day it was received: a mistyped date (or received date) to look at."""
    raw = res.info.get("report_date")
    try:
        dated = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        dated = None
    if dated is not None and dated > received:
        res.add("W_REPORT_DATE_AFTER_RECEIVED", "ThongTin", res.cells.get(("info", "report_date"), ""), raw,
                report_date=fmt_date(dated), received=fmt_date(received))


def sender(claims: list[tuple[str, str]], workbook_unit: str | None) -> str | None:
    """The unit a file counts for: the officer's manifest, then the file's name, then the workbook itself.

    Who sent a file is what the district recorded when it arrived; a
    workbook naming another unit (a commune that filled its neighbour's
    template) is rejected (``E_UNIT_MISMATCH``) and counts for its sender, so
    ``nrlib status`` shows the sender as rejected and the other unit as
    still to send.
    """
    for source in ("manifest", "file_name"):
        for src, code in claims:
            code = str(code).strip()
            if src == source and code.isdigit() and _unit_row(code.zfill(5)):
                return code.zfill(5)
    return workbook_unit


def _int(x):
    return None if x is None or pd.isna(x) else int(x)


def summarise(outcomes: list[FileOutcome], db_path: Path) -> dict:
    n = {k: sum(o.outcome == k for o in outcomes) for k in ("accepted", "rejected", "duplicate")}
    return {"n_files": len(outcomes), "n_accepted": n["accepted"], "n_rejected": n["rejected"],
            "n_duplicate": n["duplicate"], "db": str(db_path)}


def outcomes_json(outcomes: list[FileOutcome], db_path: Path) -> str:
    return json.dumps({"db": str(db_path), "summary": summarise(outcomes, db_path),
                       "files": [o.as_dict() for o in outcomes]}, ensure_ascii=False, indent=2)


def exit_code(outcomes: list[FileOutcome]) -> int:
    """0 when every file is (or already was) accepted, 1 when any is rejected."""
    return 1 if any(o.status == "rejected" for o in outcomes) else 0


def ingest_sample_folder(sample_dir: str | Path, db_path: str | Path | None = None) -> Path:
    """Ingest the sample workbooks listed in ``sample_dir/received.csv`` into the store.

    Used by ``make demo``; idempotent (files already stored are no-ops). The partners' sample workbooks in
    ``sample_dir/partners/`` (its own ``received.csv``) are ingested too when present.
    Returns the store's path.
    """
    sample_dir = Path(sample_dir)
    manifest = sample_dir / MANIFEST_NAME
    entries = read_manifest(manifest)
    db = store.resolve_db_path(db_path)
    outcomes = ingest_files([e["path"] for e in entries.values()], db, manifest=manifest)
    # the partners' sample workbooks, when `nrlib sample` wrote them (a folder of their own, its own manifest)
    partners = sample_dir / "partners" / MANIFEST_NAME
    if partners.is_file():
        outcomes += ingest_files([e["path"] for e in read_manifest(partners).values()], db, manifest=partners)
    print("nrlib ingest: " + labels.INGEST_SUMMARY.format(**summarise(outcomes, db)))
    return db
