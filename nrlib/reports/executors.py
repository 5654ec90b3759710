"""Where the reports of a batch are rendered: worker processes here, or a Dask cluster.

:func:`nrlib.reports.batch.run_reports` hands its jobs to an executor and gets back
``(index, ReportResult)`` pairs as reports finish; progress lines, failure
handling and the index page are the batch runner's, the same for every
executor.

* :class:`LocalExecutor` — worker processes on this machine
  (``concurrent.futures.ProcessPoolExecutor`` started from a fork server,
  never a fork of this process, which may hold DuckDB's threads). Each
  report is rendered by :func:`nrlib.reports.render.render_report` straight into the
  output folder.
* :class:`DaskExecutor` — the workers of a ``dask.distributed`` cluster
  (``nrlib reports --executor dask --scheduler tcp://host:8786``). Workers
  need the same nrlib installed, nothing else: the store travels as a
  read-only snapshot (:mod:`nrlib.store.snapshot`; its bytes, or a path on shared
  storage), the notebook as its bytes, and each worker renders into a
  scratch folder of its own and returns the report's files (HTML, executed
  notebook, or the failed notebook and kernel log) to this process, which
  writes them where a local run would.

Both start report kernels warm by default (:mod:`nrlib.reports.warmstart`): one
kernel template per batch here, one per worker on a cluster, each report
still in a fresh kernel process of its own. ``warm=False`` starts every
kernel from scratch.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from nrlib import config
from nrlib.core.files import atomic_write, sha256_bytes
from nrlib.exceptions import NrlibError
from nrlib.reports.jobs import ReportJob, ReportResult, failed_result
from nrlib.reports.render import render_report

EXECUTORS = ("local", "dask")


def preload_targets(jobs: list[ReportJob]) -> list[tuple[str, str]]:
    """``(db_path, district_code)`` of every dataset the jobs read, for a kernel template to preload.

    A job whose unit or district cannot be resolved is left out: its own
    kernel reports the error.
    """
    seen: list[tuple[str, str]] = []
    for job in jobs:
        p = job.parameters
        try:
            district = p.get("district_code") or job.district_code or _district_of_unit(p["unit_code"])
            target = (str(p["db_path"]), str(district))
        except Exception:
            continue
        if target not in seen and p.get("db_path"):
            seen.append(target)
    return seen


def _district_of_unit(unit_code: str) -> str:
    from nrlib.reference import find_unit

    return find_unit(unit_code)["district_code"]


def _template(stores, warm: bool):
    """A kernel template preloading ``stores`` (None: given later, :meth:`~nrlib.reports.warmstart.KernelTemplate.preload`),
    or None where kernels start cold."""
    from nrlib.reports import warmstart

    if not (warm and warmstart.supported()):
        return None
    tpl = warmstart.KernelTemplate(stores)
    return tpl if tpl.ready else (tpl.close() or None)


def _worker_started() -> int:
    """A pool worker's first task: nothing, so that the worker starts (and imports) before the reports come."""
    return os.getpid()


# --------------------------------------------------------------------------- local processes


def _render_in_worker(job: ReportJob, cwd: str, template: str | None) -> ReportResult:
    return render_report(job, cwd=cwd, kernel_template=template)


def _exit_with(parent: int) -> None:
    """Worker initializer: end this worker when the batch process is gone (and skip what a worker never uses:
    :mod:`nrlib.reports.lean`, for workers started by ``spawn``; the fork server did it for its own).

    A ``nrlib reports`` killed outright (SIGKILL, a closed terminal) cannot
    stop its pool, and idle workers would wait for work forever. A daemon
    thread waits on the parent (a pidfd where Linux has one, else a poll
    every second) and exits the worker when it goes.
    """
    import threading
    import time

    from nrlib.reports.lean import skip_slow_optional_imports

    skip_slow_optional_imports()

    def watch() -> None:
        try:
            fd = os.pidfd_open(parent)
        except (AttributeError, OSError):
            fd = None
        if fd is not None:
            import select

            select.select([fd], [], [])
        else:
            while True:
                try:
                    os.kill(parent, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    pass
                time.sleep(1)
        os._exit(70)

    threading.Thread(target=watch, name="nrlib-parent-watch", daemon=True).start()
    # Ctrl-C is the batch's to handle (it cancels what has not started and writes the index): a worker finishes
    # the report it is rendering, quietly
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):   # blocked in the fork server (_start_fork_server): ignored is enough
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _pool_context():
    """Start method of the workers: a clean process, never a fork of this one.

    The parent may hold DuckDB's threads and connections, which must not be
    forked. ``forkserver`` (Unix) forks workers from a small server process
    that imported papermill and nbconvert once (their import alone takes
    seconds); elsewhere ``spawn``. ``$NRLIB_START_METHOD`` chooses between
    them (:func:`nrlib.config.start_method`); ``fork`` is taken as ``forkserver``.
    """
    method = config.start_method("forkserver")
    if method == "fork":
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["nrlib.reports._worker_preload", "nrlib.reports", "nrlib.reports.executors",
                                    "nrlib.reports.warmstart", "nrlib.reports.html_export",
                                    "papermill", "nbformat", "nbconvert"])
        _start_fork_server()
    return ctx


def _start_fork_server() -> None:
    """Start the fork server now, from the main thread, with Ctrl-C blocked in the process it becomes.

    The server imports its preload modules before it ignores SIGINT itself
    (CPython's ``forkserver.main``), and it is in the terminal's process
    group: a Ctrl-C in that second ended it on a ``KeyboardInterrupt``
    traceback, and the thread starting the workers on another
    (``EOFError``). A blocked signal stays blocked across ``exec``; the
    server then discards it when it ignores SIGINT, and each worker unblocks
    it once it ignores it too (:func:`_exit_with`). Here the signal is only
    blocked in this thread while the server is spawned, and a Ctrl-C of those
    milliseconds is delivered after, not lost. The batch process handles
    Ctrl-C for all: it stops the workers.
    """
    if threading.current_thread() is not threading.main_thread():
        return      # the server then starts with the first worker, as CPython would start it
    from multiprocessing import forkserver, resource_tracker

    resource_tracker.ensure_running()   # it unblocks SIGINT after spawning its own process: before, not inside
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        forkserver.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


@contextlib.contextmanager
def _ctrl_c_deferred():
    """Hold a Ctrl-C that comes during the block and raise it when the block ends (main thread only).

    For steps that must not be cut in half: a thread interrupted while it
    was being started cannot be joined, and a pool half made cannot be shut.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(frame))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught and callable(previous):
            previous(signal.SIGINT, caught[0])


class LocalExecutor:
    """Render with ``n_jobs`` worker processes on this machine (one: in this process)."""

    name = "local"

    def __init__(self, n_jobs: int = 2, *, warm: bool = True) -> None:
        self.n_jobs = max(1, int(n_jobs))
        self.warm = warm
        self._template = None     # started by start(), before the jobs are known
        self._pool = None
        self._starting: threading.Thread | None = None
        self._broken = False      # the pool of start() could not start its workers

    def describe(self) -> str:
        return f"{self.n_jobs} tiến trình song song"

    def start(self, expected_jobs: int | None = None) -> None:
        """Begin what takes the first second of a batch, while the caller still plans it (optional).

        The kernel template starts importing (its stores come with the jobs)
        and, when more than one report is expected (``None``: not known, a
        whole district), the worker processes start. :meth:`close` ends them
        if :meth:`run` never comes.
        """
        if self._starting is not None:
            return
        with _ctrl_c_deferred():     # a Ctrl-C now is raised once the pool and the thread are set for close()
            self._start(self.n_jobs > 1 and (expected_jobs is None or expected_jobs > 1))

    def _start(self, workers: bool) -> None:
        if workers:
            self._pool = self._new_pool(self.n_jobs)

        def begin() -> None:   # in a thread: a process start waits for the fork server's own imports
            self._template = _template(None, self.warm)
            if workers:
                try:
                    for _ in range(self.n_jobs):    # one no-op each: every worker starts now, not at the first one
                        self._pool.submit(_worker_started)
                except Exception:   # the pool could not start (the fork server went away): run() starts another
                    self._broken = True

        self._starting = threading.Thread(target=begin, name="nrlib-executor-start", daemon=True)
        self._starting.start()

    def _started(self) -> None:
        starting, self._starting = self._starting, None
        if starting is not None:
            starting.join()

    def close(self) -> None:
        """End the template and the workers of :meth:`start` (idempotent; :meth:`run` ends them itself)."""
        self._started()
        pool, self._pool = self._pool, None
        template, self._template = self._template, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        if template is not None:
            template.close()

    @staticmethod
    def _new_pool(workers: int) -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(),
                                      initializer=_exit_with, initargs=(os.getpid(),))

    def run(self, jobs: list[ReportJob], cwd: str) -> Iterator[tuple[int, ReportResult]]:
        if not jobs:
            self.close()
            return
        self._started()
        template, self._template = self._template, None
        pool, self._pool = self._pool, None
        if pool is not None and self._broken:
            pool.shutdown(wait=False, cancel_futures=True)
            pool = None
        if template is not None and template.deferred:
            template.preload(preload_targets(jobs))
        elif template is None:
            template = _template(preload_targets(jobs), self.warm)
        sock = template.socket_path if template else None
        try:
            if self.n_jobs <= 1 or len(jobs) <= 1:
                if pool is not None:
                    pool.shutdown(wait=False, cancel_futures=True)
                for i, job in enumerate(jobs):
                    yield i, render_report(job, cwd=cwd, kernel_template=sock)
                return
            pool = pool or self._new_pool(min(self.n_jobs, len(jobs)))
            with pool:
                futures = {pool.submit(_render_in_worker, job, cwd, sock): i for i, job in enumerate(jobs)}
                try:
                    for fut in cf.as_completed(futures):
                        i = futures[fut]
                        try:
                            r = fut.result()
                        except Exception as exc:  # the worker process itself died
                            r = failed_result(jobs[i], exc)
                        yield i, r
                except (KeyboardInterrupt, GeneratorExit):
                    # Ctrl-C: reports not started are not started; those being rendered end first, with the
                    # template still there for their kernels (a first shutdown(wait=False) would make the one
                    # of the with-block return at once: the template went, and their kernels "died")
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
        finally:
            if template is not None:
                template.close()


# --------------------------------------------------------------------------- Dask


@dataclass
class RemoteJob:
    """What a cluster worker needs for one report: no path of this machine is used there."""

    kind: str
    code: str
    name: str
    parameters: dict
    notebook_name: str
    notebook: bytes
    preload: list = field(default_factory=list)  # [(db_path, district)] of the batch, for the worker's template


@dataclass
class RemoteOutcome:
    """A rendered report coming back from a worker: its result and its files' bytes."""

    result: ReportResult
    files: dict  # "html" | "ipynb" | "failed" | "kernel_log" -> bytes
    worker: str = ""


_WORKER_STATE: dict = {}
_WORKER_LOCK = threading.Lock()


def _worker_dir() -> Path:
    try:
        from distributed import get_worker

        base = Path(get_worker().local_directory)
    except (ImportError, ValueError):
        base = Path(tempfile.gettempdir())
    path = base / "nrlib"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _worker_template(stores: tuple, warm: bool):
    """This worker's kernel template for these stores (kept across the batch's reports, replaced for another batch)."""
    if not warm:
        return None
    with _WORKER_LOCK:
        current = _WORKER_STATE.get("template")
        if current and current[0] == stores and current[1].alive():
            return current[1]
        if current:
            current[1].close()
        tpl = _template(list(stores), True)
        _WORKER_STATE["template"] = (stores, tpl) if tpl else None
        return tpl


def render_remote(job: RemoteJob, snapshot, warm: bool = True) -> RemoteOutcome:
    """Render one report on a cluster worker (runs there; see :class:`DaskExecutor`).

    Method: write the snapshot (once per worker) and the notebook to the
    worker's scratch space, render with :func:`nrlib.reports.render.render_report`
    into a private folder, with kernels told to read the store from the
    snapshot (:data:`nrlib.store.snapshot.SNAPSHOT_ENV`), and return the files'
    bytes. The private folder is removed.
    """
    import socket

    from nrlib.store.snapshot import materialise, snapshot_env

    base = _worker_dir()
    snap = materialise(snapshot, base / "snapshots")
    nb_path = base / "notebooks" / sha256_bytes(job.notebook)[:16] / Path(job.notebook_name).name
    if not nb_path.exists():
        atomic_write(nb_path, job.notebook)
    stores = tuple((db, district, str(snap)) for db, district in job.preload if db == snapshot.store)
    template = _worker_template(stores, warm)
    out = Path(tempfile.mkdtemp(prefix="report-", dir=base))
    try:
        local = ReportJob(job.kind, job.code, job.name, dict(job.parameters), out, notebook=nb_path)
        result = render_report(local, kernel_template=template.socket_path if template else None,
                               kernel_env=snapshot_env({snapshot.store: snap}))
        files = {}
        if result.ok:
            files["html"] = local.html_path.read_bytes()
            files["ipynb"] = local.ipynb_path.read_bytes()
        else:
            if local.failed_path.exists():
                files["failed"] = local.failed_path.read_bytes()
            log = local.failed_path.with_suffix(".kernel.log")
            if log.exists():
                files["kernel_log"] = log.read_bytes()
        return RemoteOutcome(result=result, files=files, worker=socket.gethostname())
    finally:
        shutil.rmtree(out, ignore_errors=True)


def write_outcome(job: ReportJob, outcome: RemoteOutcome) -> ReportResult:
    """Write a worker's files where :func:`nrlib.reports.render.render_report` would have; return the result.

    Destinations come from ``job`` (this machine's plan), never from the
    worker; the bookkeeping is the local runner's: a success removes the
    report's old failed notebook, a failure removes the report's old HTML
    and executed notebook so nothing stale looks current.
    """
    r, files = outcome.result, outcome.files
    if r.ok and "html" in files:
        atomic_write(job.html_path, files["html"])
        if "ipynb" in files:
            atomic_write(job.ipynb_path, files["ipynb"])
        job.failed_path.unlink(missing_ok=True)
        job.failed_path.with_suffix(".kernel.log").unlink(missing_ok=True)
        r.html, r.size_bytes = job.rel_html, len(files["html"])
        return r
    job.html_path.unlink(missing_ok=True)
    job.ipynb_path.unlink(missing_ok=True)
    r.failed_notebook = None
    if "kernel_log" in files:
        atomic_write(job.failed_path.with_suffix(".kernel.log"), files["kernel_log"])
    if "failed" in files:
        atomic_write(job.failed_path, files["failed"])
        r.failed_notebook = job.failed_path.relative_to(job.out_dir).as_posix()
    if r.ok:  # "ok" without its HTML: not a report
        r.status, r.html, r.error_name, r.error_value = "failed", None, "MissingOutput", "the worker returned no HTML"
    return r


class DaskExecutor:
    """Render on the workers of a ``dask.distributed`` cluster.

    Parameters
    ----------
    scheduler : str, optional
        Scheduler address (``tcp://host:8786``). Default: a local cluster of
        ``n_workers`` worker processes on this machine, for trying it out.
    n_workers : int
        Workers of that local cluster.
    warm : bool
        Warm kernels on each worker (:mod:`nrlib.reports.warmstart`).
    shared_dir : str or Path, optional
        A folder every worker reads at the same path: the store's snapshot
        is written there instead of being sent to each worker.
    """

    name = "dask"

    def __init__(self, scheduler: str | None = None, n_workers: int = 2, *, warm: bool = True,
                 shared_dir: str | Path | None = None, timeout: float = 30) -> None:
        try:
            import distributed  # noqa: F401
        except ImportError as exc:
            raise NrlibError("cần cài thêm dask: pip install 'nrlib[dask]' / the dask executor needs "
                             "dask.distributed: pip install 'nrlib[dask]'") from exc
        self.scheduler = scheduler
        self.n_workers = max(1, int(n_workers))
        self.warm = warm
        self.shared_dir = shared_dir
        self.timeout = timeout

    def describe(self) -> str:
        where = self.scheduler or f"cụm Dask cục bộ, {self.n_workers} worker"
        return f"Dask ({where})"

    @contextlib.contextmanager
    def _client(self):
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                client = Client(self.scheduler, timeout=self.timeout)
            except (OSError, TimeoutError) as exc:
                raise NrlibError(f"không kết nối được bộ lập lịch Dask {self.scheduler}: {exc} / cannot reach the "
                                 f"Dask scheduler {self.scheduler}") from exc
            with client:
                yield client
            return
        with LocalCluster(n_workers=self.n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client

    def run(self, jobs: list[ReportJob], cwd: str) -> Iterator[tuple[int, ReportResult]]:
        from distributed import as_completed

        from nrlib.store.snapshot import take_snapshot

        if not jobs:
            return
        preload = preload_targets(jobs)
        notebooks = {str(j.notebook): j.notebook.read_bytes() for j in jobs}
        with self._client() as client:
            snapshots = {}
            for db in dict.fromkeys(str(j.parameters["db_path"]) for j in jobs):
                snap = take_snapshot(db, self.shared_dir)
                [snapshots[db]] = client.scatter([snap], hash=False)
            batch = uuid.uuid4().hex[:8]
            futures = {}
            for i, job in enumerate(jobs):
                remote = RemoteJob(job.kind, job.code, job.name, dict(job.parameters), job.notebook.name,
                                   notebooks[str(job.notebook)], preload)
                fut = client.submit(render_remote, remote, snapshots[str(job.parameters["db_path"])], self.warm,
                                    pure=False, key=f"nrlib-report-{job.kind}-{job.code}-{batch}-{i}")
                futures[fut] = i
            for fut in as_completed(futures):
                i = futures[fut]
                try:
                    r = write_outcome(jobs[i], fut.result())
                except Exception as exc:  # the worker died, or the task could not run there
                    r = failed_result(jobs[i], exc)
                yield i, r


def make_executor(name: str = "local", *, jobs: int = 2, scheduler: str | None = None, warm: bool = True,
                  shared_dir: str | Path | None = None):
    """The executor ``nrlib reports --executor NAME`` uses."""
    if name == "local":
        if scheduler:
            raise NrlibError("--scheduler chỉ dùng với --executor dask / --scheduler needs --executor dask")
        return LocalExecutor(jobs, warm=warm)
    if name == "dask":
        return DaskExecutor(scheduler, n_workers=jobs, warm=warm, shared_dir=shared_dir)
    raise NrlibError(f"executor must be one of {', '.join(EXECUTORS)}, not {name!r}")
