"""Warm start of report kernels: each kernel is forked from a template that has already done the common work.

Most of a report's time outside its own analysis is the same for every
report: starting a Python kernel, importing pandas, plotly, DuckDB, IPython
and nrlib, parsing the outline and the unit registry, opening the store and
reading the district's tables. A *kernel template* is a process that does
all of that once (:data:`TEMPLATE_MODULES`, :func:`preload_reference`, and
the stores it is given: :func:`preload_dataset`) and then, for each report,
**forks** a fresh process that becomes the report's kernel
(``ipykernel``'s ``IPKernelApp``, the program ``ipykernel_launcher`` runs).

Isolation: every report still gets its own process, started from the
template's state, never from another report's. Nothing a report defines or
changes (globals, imported modules' state, options, environment, the
dataset it was given) is visible to the next one; the template runs no
report code. What the children share is read-only at fork time
(copy-on-write memory): imported modules, the reference caches and the
preloaded datasets. A preloaded dataset is only used while the store file
it came from is unchanged (inode, size and modification time of the file
and its write-ahead log); otherwise the kernel reads the store itself.

Wiring: the kernel manager launches :mod:`nrlib.reports._kernel_relay` instead of
``python -m ipykernel_launcher``; the relay hands the kernel's arguments,
directory, environment and standard streams to the template over a Unix
socket and stands in for the kernel process (signals are forwarded, the
exit code is passed back). papermill, nbclient and jupyter_client see an
ordinary kernel. Without ``fork`` (Windows) or when the template is not
there, kernels start cold, as before.

Run ``python -m nrlib.reports.warmstart --socket PATH [--store DB DISTRICT [SOURCE]]...``
to start a template by hand; :class:`KernelTemplate` does it for the batch
runner.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import selectors
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

#: imported by the template once, so no report kernel imports them again
TEMPLATE_MODULES = (
    "numpy", "pandas", "duckdb", "yaml", "plotly.graph_objects", "plotly.io",
    "IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipywidgets",
    # what IPKernelApp.initialize imports when a kernel starts (its debugger pulls in debugpy: 0,05-0,1 s of
    # every report's start when left to the forked kernel)
    "ipykernel.debugger", "IPython.core.debugger", "IPython.core.completerlib", "IPython.extensions.storemagic",
    "tornado.gen", "tornado.queues", "tornado.platform.asyncio",
    "nrlib.reports.params", "nrlib.present.figures", "nrlib.present.fragments", "nrlib.reports.sections", "nrlib.reports.unit",
    "nrlib.reports.district", "nrlib.store", "nrlib.present.narrative", "nrlib.present.scoring", "nrlib.store.snapshot",
    "pandas.core.reshape.reshape",
)

RELAY = Path(__file__).with_name("_kernel_relay.py")
#: seconds a forked kernel's exit functions may take once its loop has ended (they take about 0,04 s)
EXIT_GRACE_SECONDS = 0.3

#: {(store path, district code): (file identity, Dataset)}, filled in the template before any fork
_PRELOADED: dict[tuple[str, str], tuple[tuple, object, str]] = {}


def supported() -> bool:
    """Warm start needs ``os.fork`` and Unix sockets (Linux, macOS)."""
    return hasattr(os, "fork") and hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds")


# --------------------------------------------------------------------------- what the template preloads


def _file_identity(path: Path) -> tuple:
    def one(p: Path):
        try:
            st = p.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    return (one(path), one(path.with_name(path.name + ".wal")))


def _key(db_path: str | Path) -> str:
    return str(Path(db_path).expanduser().resolve())


def preload_reference() -> None:
    """Parse the outline and criteria, index the unit registry (all cached).

    The plotly.js bundle is not among them: a kernel never exports its page
    (the worker that ran it does, :mod:`nrlib.reports.render`).
    """
    from nrlib import reference

    reference.load_outline()
    reference.load_criteria()
    reference.load_unit_history()
    with contextlib.suppress(Exception):
        reference.find_unit("00001")  # builds the registry's ward index; the code itself need not exist
    from nrlib.present import figures

    figures.warm_up()                 # plotly's figure classes and validators, loaded on first use


def preload_dataset(db_path: str | Path, district_code: str, source: str | Path | None = None) -> bool:
    """Read the district's dataset from the store once, for every kernel forked afterwards.

    ``db_path`` is the store as reports name it (their ``db_path``
    parameter); ``source`` the file actually read (a snapshot of it, see
    :mod:`nrlib.store.snapshot`; default ``db_path``). Returns False, quietly, when
    the store cannot give that district: the kernel then reads it itself and
    reports the error the way it always does.
    """
    from nrlib.store import load_dataset

    src = Path(source or db_path)
    identity = _file_identity(src)
    try:
        ds = load_dataset(src, district_code=district_code)
    except Exception:
        return False
    ds.meta["db_path"] = str(db_path)
    _PRELOADED[(_key(db_path), str(district_code))] = (identity, ds, str(src))
    # the analyses every report of the district starts from (0,15-0,25 s each): computed once here, from the
    # dataset alone; a report whose dataset differs (another deadline: a new Dataset) computes its own
    from nrlib.reports.sections import precompute_analyses

    with contextlib.suppress(Exception):   # an analysis that fails is the report's to show, in its own kernel
        precompute_analyses(ds)
    return True


def preloaded_analyses(ds) -> dict | None:
    """The analyses computed by the template for exactly this dataset object, or None."""
    from nrlib.reports.sections import precomputed_analyses

    return precomputed_analyses(ds)


def preloaded_dataset(db_path: str | Path, district_code: str):
    """The dataset the template preloaded for this store and district, or None.

    None when nothing was preloaded (a cold kernel) or when the file it was
    read from has changed since.
    """
    if not _PRELOADED:
        return None
    hit = _PRELOADED.get((_key(db_path), str(district_code)))
    if hit is None:
        return None
    identity, ds, src = hit
    if _file_identity(Path(src)) != identity:
        return None
    return ds


# --------------------------------------------------------------------------- the template process


def _recv_request(conn: socket.socket) -> tuple[dict, list[int]]:
    data, fds, _flags, _addr = socket.recv_fds(conn, 65536, 3)
    if len(data) < 4:
        raise OSError("short request")
    size = struct.unpack("!I", data[:4])[0]
    body = data[4:]
    while len(body) < size:
        chunk = conn.recv(size - len(body))
        if not chunk:
            raise OSError("request cut short")
        body += chunk
    return json.loads(body), fds


def _reply(conn: socket.socket, payload: dict) -> None:
    with contextlib.suppress(OSError):
        conn.sendall(json.dumps(payload).encode("utf-8") + b"\n")


def _kernel_args(argv: list[str]) -> list[str]:
    """Arguments after ``-m ipykernel_launcher`` in a kernel command."""
    i = argv.index("ipykernel_launcher")
    return list(argv[i + 1:])


def _become_kernel(request: dict, fds: list[int], close: list) -> None:
    """In the forked child: take the relay's streams, directory and environment, then run the kernel."""
    code = 1
    try:
        os.setsid()  # like a launched kernel: its own session, out of reach of the terminal's Ctrl-C
        signal.set_wakeup_fd(-1)
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for obj in close:
            with contextlib.suppress(Exception):
                os.close(obj) if isinstance(obj, int) else obj.close()
        for target, fd in zip((0, 1, 2), fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        if "numpy" in sys.modules:  # a forked child inherits the template's random state: reseed it
            sys.modules["numpy"].random.seed()
        sys.argv = [sys.argv[0]]
        args = _kernel_args(request["argv"])
        parent = request["env"].get("JPY_PARENT_PID")
        if parent and parent.isdigit():  # read by ipykernel at import, i.e. in the template: pass it again
            args.append(f"--IPKernelApp.parent_handle={parent}")
        # a report's kernel keeps no input history: IPython's history database (one SQLite file in the user's
        # profile, shared by every kernel) costs each kernel start a connection and a writer thread
        args.append("--HistoryManager.enabled=False")
        from ipykernel import kernelapp

        kernelapp.IPKernelApp.launch_instance(argv=args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        # The kernel's work is over once its loop has ended (the shutdown reply is sent). ipykernel's own
        # close, an exit function, can deadlock there (its control thread blocks flushing output to the
        # stopped IOPub thread while the main thread joins it; an upstream race, seen about once in ten
        # reports): the kernel manager then waited 2,5 s before terminating it. A watchdog ends the process.
        watchdog = threading.Timer(EXIT_GRACE_SECONDS, os._exit, args=(code,))
        watchdog.daemon = True
        watchdog.start()
        with contextlib.suppress(BaseException):
            atexit._run_exitfuncs()
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _thread_count() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def _stores_from(fd: int) -> list[tuple[str, str, str | None]] | None:
    """The stores to preload, one JSON line on ``fd`` (:meth:`KernelTemplate.preload`); None when it closed first."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(fd, 4096)
        if not chunk:
            return None
        data += chunk
    return [(str(db), str(district), None if source is None else str(source))
            for db, district, source in json.loads(data)]


def serve(sock_path: str, stores: list[tuple[str, str, str | None]] | None = ()) -> int:
    """Run a template: bind ``sock_path``, preload, then fork one kernel per connection until stdin closes.

    The socket is bound first, so kernels asked for while the template is
    still importing simply wait for it. ``stores=None``: the stores come as
    one JSON line on stdin once the imports are done (the caller starts the
    template before it knows its reports, :meth:`KernelTemplate.preload`).
    """
    os.environ.pop("JPY_PARENT_PID", None)  # a forked kernel's parent is this process, not the caller
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(sock_path)
    listener.listen(64)
    print("listening", flush=True)
    for name in TEMPLATE_MODULES:
        with contextlib.suppress(ImportError):
            __import__(name)
    preload_reference()
    if stores is None:
        stores = _stores_from(sys.stdin.fileno())
        if stores is None:   # the caller went before it knew its reports: nothing to serve
            return 0
    for db_path, district, source in stores:
        preload_dataset(db_path, district, source)
    import gc

    gc.collect()
    gc.freeze()  # keep the preloaded objects' pages shared with the children (no refcount-free GC writes)

    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGCHLD, lambda *a: None)
    signal.set_wakeup_fd(wake_w)
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *a: stop.update(now=True))
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, "accept")
    sel.register(wake_r, selectors.EVENT_READ, "wake")
    stdin = sys.stdin.fileno()
    sel.register(stdin, selectors.EVENT_READ, "stdin")
    kernels: dict[int, socket.socket] = {}  # pid -> relay connection
    conns: dict[socket.socket, int] = {}

    def reap() -> None:
        while kernels:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = kernels.pop(pid, None)
            if conn is not None:
                _reply(conn, {"exit": os.waitstatus_to_exitcode(status)})
                conns.pop(conn, None)
                with contextlib.suppress(Exception):
                    sel.unregister(conn)
                conn.close()

    try:
        while not stop["now"]:
            for key, _ in sel.select(timeout=1.0):
                what = key.data
                if what == "accept":
                    conn, _ = listener.accept()
                    try:
                        request, fds = _recv_request(conn)
                    except (OSError, ValueError):
                        conn.close()
                        continue
                    pid = os.fork()
                    if pid == 0:
                        _become_kernel(request, fds, [listener, sel, conn, *conns, wake_r, wake_w])
                    for fd in fds:
                        os.close(fd)
                    kernels[pid] = conn
                    conns[conn] = pid
                    sel.register(conn, selectors.EVENT_READ, "relay")
                    _reply(conn, {"pid": pid})
                elif what == "wake":
                    with contextlib.suppress(BlockingIOError):
                        os.read(wake_r, 4096)
                elif what == "stdin":
                    if not os.read(stdin, 4096):
                        stop["now"] = True
                elif what == "relay":  # the relay closed: its kernel must go too
                    conn = key.fileobj
                    with contextlib.suppress(OSError):
                        if conn.recv(4096):
                            continue
                    pid = conns.pop(conn, None)
                    sel.unregister(conn)
                    conn.close()
                    if pid is not None and pid in kernels:
                        kernels.pop(pid)
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(pid, signal.SIGKILL)
                        with contextlib.suppress(ChildProcessError):
                            os.waitpid(pid, 0)
            reap()
    finally:
        for pid in list(kernels):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for pid in list(kernels):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        with contextlib.suppress(OSError):
            os.unlink(sock_path)
    return 0


# --------------------------------------------------------------------------- the caller's side


class KernelTemplate:
    """A kernel template process for one batch (a context manager).

    Parameters
    ----------
    stores : iterable of (db_path, district_code) or (db_path, district_code, source), or None
        Datasets to preload (see :func:`preload_dataset`). None: given later,
        with :meth:`preload`, so that the template imports while the caller
        is still planning its reports.

    The template is started at once and preloads in the background;
    :attr:`socket_path` can be handed to kernel managers right away
    (:func:`relay_command`). It stops when :meth:`close` is called or when
    this process exits (its stdin is a pipe from here).
    """

    def __init__(self, stores=()) -> None:
        self._dir = tempfile.mkdtemp(prefix="nrlib-warm-")
        self.socket_path = os.path.join(self._dir, "template.sock")
        self.log_path = os.path.join(self._dir, "template.log")
        self.deferred = stores is None
        args = [sys.executable, "-m", "nrlib.reports.warmstart", "--socket", self.socket_path]
        if self.deferred:
            args.append("--stores-on-stdin")
        for store in stores or ():
            db, district, *source = [str(s) for s in store if s is not None]
            args += ["--store", db, district, *source]
        env = dict(os.environ)
        env.pop("JPY_PARENT_PID", None)
        # small tables: BLAS and DuckDB thread pools only cost memory and forks
        env.setdefault("OPENBLAS_NUM_THREADS", "1")
        env.setdefault("OMP_NUM_THREADS", "1")
        with open(self.log_path, "ab") as log:
            self._proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                          start_new_session=True, env=env)
        self.ready = self._wait_listening(timeout=30)
        atexit.register(self.close)

    def _wait_listening(self, timeout: float) -> bool:
        sel = selectors.DefaultSelector()
        sel.register(self._proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if sel.select(timeout=0.5):
                line = self._proc.stdout.readline()
                sel.close()
                return line.strip() == b"listening"
            if self._proc.poll() is not None:
                break
        sel.close()
        return False

    def alive(self) -> bool:
        return self.ready and self._proc.poll() is None

    def preload(self, stores) -> None:
        """Give a template started with ``stores=None`` its stores (once); kernels asked for meanwhile wait."""
        if not self.deferred:
            raise RuntimeError("this template was given its stores when it started")
        self.deferred = False
        rows = [[str(db), str(district), None if not source or source[0] is None else str(source[0])]
                for db, district, *source in stores]
        with contextlib.suppress(OSError):   # a template that died is seen by its kernels (started cold)
            self._proc.stdin.write((json.dumps(rows) + "\n").encode("utf-8"))
            self._proc.stdin.flush()

    def close(self) -> None:
        if self._proc.poll() is None:
            with contextlib.suppress(OSError):
                self._proc.stdin.close()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> "KernelTemplate":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def relay_command(kernel_cmd: list[str], socket_path: str | None) -> list[str]:
    """The command that runs ``kernel_cmd`` as a kernel forked from the template at ``socket_path``.

    Only a kernel of this very Python (``<this python> -m ipykernel_launcher ...``)
    is forked; any other command is returned unchanged (started cold).
    """
    if (not socket_path or not supported() or len(kernel_cmd) < 3 or kernel_cmd[1:3] != ["-m", "ipykernel_launcher"]
            or os.path.realpath(kernel_cmd[0]) != os.path.realpath(sys.executable)):
        return list(kernel_cmd)
    return [sys.executable, "-I", "-S", str(RELAY), socket_path, "--", *kernel_cmd]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m nrlib.reports.warmstart", description=__doc__.splitlines()[0])
    p.add_argument("--socket", required=True, help="Unix socket path to listen on")
    p.add_argument("--store", nargs="+", action="append", default=[], metavar="DB DISTRICT [SOURCE]",
                   help="preload the district's dataset of this store (SOURCE: the file to read, e.g. a snapshot)")
    p.add_argument("--stores-on-stdin", action="store_true",
                   help="read the stores to preload as one JSON line on stdin, [[DB, DISTRICT, SOURCE|null], ...], "
                        "once the imports are done")
    args = p.parse_args(argv)
    if args.stores_on_stdin:
        if args.store:
            p.error("--store and --stores-on-stdin are exclusive")
        return serve(args.socket, None)
    stores = []
    for s in args.store:
        if len(s) not in (2, 3):
            p.error("--store takes DB DISTRICT [SOURCE]")
        stores.append((s[0], s[1], s[2] if len(s) == 3 else None))
    return serve(args.socket, stores)


if __name__ == "__main__":
    # run the template inside the module ``nrlib.reports.warmstart`` (not ``__main__``), where kernels look up preloads
    from nrlib.reports.warmstart import main as _main

    sys.exit(_main())
