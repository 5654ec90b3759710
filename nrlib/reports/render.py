"""Rendering one report: papermill runs its notebook in a (warm) kernel, then it is exported to one HTML file."""

from __future__ import annotations

import functools
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from nrlib import config
from nrlib.reports.jobs import WORK_DIR, ReportJob, ReportResult, one_line


def render_report(job: ReportJob, *, cwd: str | Path | None = None, kernel_template: str | None = None,
                  kernel_env: dict[str, str] | None = None) -> ReportResult:
    """Run one report notebook with papermill and export it to HTML (in this process).

    ``kernel_template`` is the socket of a warm kernel template
    (:mod:`nrlib.reports.warmstart`): the kernel is forked from it instead of started
    cold. ``kernel_env`` adds variables to the kernel's environment. On success the executed notebook (with ``metadata.nrlib``: parameters,
    data version, timing) is kept under ``notebooks/`` and the HTML written;
    on failure the executed notebook goes to ``failed/`` (papermill marks the
    failing cell), a stale HTML of the same report is removed, and the
    result names the failing cell. Never raises for a failing notebook.
    """
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from nrlib.reports.html_export import export_html, lift_record, write_html

    t0 = time.perf_counter()
    base = dict(kind=job.kind, code=job.code, name=job.name)
    work = job.out_dir / WORK_DIR
    work.mkdir(parents=True, exist_ok=True)
    tmp = work / f"{job.kind}_{job.stem}.{os.getpid()}.ipynb"
    kernel_log = tmp.with_suffix(".kernel.log")
    # POSIX: the kernel's channels are Unix sockets in a folder of its own, not TCP ports: a port picked free by
    # one report's kernel manager could be taken by another's kernel before its kernel bound it ("Address already
    # in use", a report lost at random when reports render in parallel); Windows has no Unix sockets here
    sockets = tempfile.mkdtemp(prefix="nrlib-kernel-") if os.name == "posix" else None
    try:
        pm.execute_notebook(str(job.notebook), str(tmp), parameters=dict(job.parameters),
                            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                            cwd=str(cwd or config.project_root()),
                            kernel_manager_class=_kernel_manager_logging_to(kernel_log, kernel_template, kernel_env,
                                                                            sockets))
        nb = nbformat.read(tmp, as_version=4)
        record = lift_record(nb) or {}
        page = export_html(nb, record=record)
        write_html(page, job.html_path)
        duration = time.perf_counter() - t0
        nb.metadata["nrlib"] = {**record, "job": {"kind": job.kind, "code": job.code, "html": job.rel_html,
                                                    "render_seconds": round(duration, 3)}}
        job.ipynb_path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, job.ipynb_path)
        tmp.unlink(missing_ok=True)
        kernel_log.unlink(missing_ok=True)
        job.failed_path.unlink(missing_ok=True)
        job.failed_path.with_suffix(".kernel.log").unlink(missing_ok=True)
        return ReportResult(**base, status="ok", html=job.rel_html, size_bytes=job.html_path.stat().st_size,
                            duration_s=duration, title=record.get("title"), data_version=record.get("data_version"),
                            is_sample=bool(record.get("is_sample")))
    except PapermillExecutionError as exc:
        failed = _keep_failed(tmp, job)
        return ReportResult(**base, status="failed", html=None, size_bytes=None,
                            duration_s=time.perf_counter() - t0, error_name=exc.ename,
                            error_value=one_line(exc.evalue), cell_index=exc.cell_index,
                            exec_count=exc.exec_count, cell_source=exc.source,
                            error_line=_failing_line(exc.traceback), failed_notebook=failed)
    except Exception as exc:  # kernel died, export failed, disk full: still one failed report, not a crash
        failed = _keep_failed(tmp, job)
        return ReportResult(**base, status="failed", html=None, size_bytes=None,
                            duration_s=time.perf_counter() - t0, error_name=type(exc).__name__,
                            error_value=one_line(str(exc)), failed_notebook=failed)
    finally:
        if sockets:
            shutil.rmtree(sockets, ignore_errors=True)


#: seconds a kernel's IOPub channel is given to show the status of a kernel_info request before it is asked again
IOPUB_PROBE_SECONDS = 0.05
#: milliseconds between a kernel client's attempts to connect to a kernel that has not bound its sockets yet
RECONNECT_MS = 10


@functools.lru_cache(maxsize=1)
def _ready_client_class():
    """The :class:`ReadyClient` class (made on first use: jupyter_client is imported only when a report renders)."""
    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyClient(AsyncKernelClient):
        """A kernel client whose readiness check ends as soon as the kernel is ready, not 0,2 s later.

        jupyter_client's ``wait_for_ready`` asks for ``kernel_info`` until the
        reply comes on the shell channel and a message on IOPub shows that
        channel connected, then *flushes* IOPub until it has been silent for
        0,2 s: every report's kernel start waited those 0,2 s (a third of
        what starting a warm kernel costs). Here the check waits for the
        request's own ``idle`` status on IOPub, which the kernel publishes
        after its reply and after everything else it sends for that request:
        seeing it proves IOPub connected and leaves nothing of the request to
        flush. Messages before it are dropped, as the flush dropped them.
        """

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            # the channels connect while the kernel is still starting, before it has bound its sockets; ZeroMQ
            # then tries again every RECONNECT_IVL (0,1 s by default), and a kernel ready 0,05 s after its
            # start answered 0,1-0,15 s later. Every 10 ms instead (this client's own context, before any channel)
            import zmq

            self.context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_MS)

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            from queue import Empty

            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                msg_id = self.kernel_info()
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    reply = None
                if reply is not None and reply["msg_type"] == "kernel_info_reply" and await self._idle_after(msg_id):
                    self._handle_kernel_info_reply(reply)
                    return
                if not await self.is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

        async def _idle_after(self, msg_id: str) -> bool:
            """Whether IOPub shows the idle status of request ``msg_id`` within :data:`IOPUB_PROBE_SECONDS`."""
            from queue import Empty

            end = time.monotonic() + IOPUB_PROBE_SECONDS
            while (left := end - time.monotonic()) > 0:
                try:
                    msg = await self.iopub_channel.get_msg(timeout=left)
                except Empty:
                    return False
                if (msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle"
                        and msg["parent_header"].get("msg_id") == msg_id):
                    return True
            return False

    return ReadyClient


#: seconds between two looks at whether a kernel asked to shut down has exited
SHUTDOWN_POLL_SECONDS = 0.01
#: seconds jupyter_client gives a report's kernel to exit (half of it before SIGTERM, all of it before SIGKILL)
KERNEL_SHUTDOWN_WAIT = 1.0


def _kernel_manager_logging_to(log_path: Path, template: str | None = None, env: dict[str, str] | None = None,
                               socket_dir: str | Path | None = None):
    """A kernel manager class whose kernel process writes its stderr to ``log_path``.

    The kernel's own log lines (e.g. ipykernel's warning about TCP transport)
    would otherwise interleave with the progress lines; cell outputs are not
    affected (they travel over the kernel protocol). The log is kept next to
    a failed notebook, since it holds the cause when a kernel dies. With
    ``template``, the kernel is forked from that warm template
    (:func:`nrlib.reports.warmstart.relay_command`); ``env`` is added to the kernel's
    environment. With ``socket_dir``, the kernel talks over Unix sockets in that folder (``transport="ipc"``), so
    no TCP port is chosen, and none can be taken by another process meanwhile.
    """
    from jupyter_client import AsyncKernelManager

    from nrlib.reports.warmstart import relay_command

    class _LoggingKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            if socket_dir is not None:
                kwargs.setdefault("transport", "ipc")
                kwargs.setdefault("ip", str(Path(socket_dir) / "k"))
            # a report's kernel is asked to shut down once every cell has run and its output is in: terminate
            # it after 0,5 s rather than 2,5 s when ipykernel's shutdown deadlocks (an upstream race)
            kwargs.setdefault("shutdown_wait_time", KERNEL_SHUTDOWN_WAIT)
            kwargs.setdefault("client_factory", _ready_client_class())
            super().__init__(**kwargs)

        async def _async_interrupt_kernel(self):
            # jupyter_client interrupts a kernel (SIGINT) before asking it to shut down, to stop a cell still
            # running; a report's kernel is idle by then, and the signal, landing while ipykernel handles the
            # shutdown request, sometimes kept it from exiting: the manager then waited half its
            # shutdown_wait_time (2,5 s) before terminating it, one report in a batch taking 3 s more
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

        async def _async_wait(self, pollinterval: float = 0.1) -> None:
            # jupyter_client looks every 0,1 s whether a kernel asked to shut down has exited: a report's
            # kernel exits some 0,02 s after the request, and each report waited up to 0,1 s more than that
            await super()._async_wait(pollinterval=min(pollinterval, SHUTDOWN_POLL_SECONDS))

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            if env:
                kw["env"] = {**(kw.get("env") or os.environ), **env}
            with open(log_path, "ab") as fh:  # the child keeps its own copy of the descriptor
                kw["stderr"] = fh
                return await super()._async_launch_kernel(relay_command(kernel_cmd, template), **kw)

    return _LoggingKernelManager


def _failing_line(traceback: list[str] | None) -> str | None:
    """The cell's line that raised, from IPython's traceback (``----> 3 ds = ...``).

    A traceback holds one block per frame, and a chained exception (``raise
    … from exc``) puts the frames of the first exception first: the line
    wanted is the one marked in the notebook cell's own frame (``Cell In[4],
    line 5``), the last such frame; only a traceback without one falls back
    to the first marked line.
    """
    from papermill.exceptions import strip_color

    cell, first = None, None
    for block in traceback or []:
        text = strip_color(block)
        for line in text.splitlines():
            m = re.match(r"^-+>\s*\d+\s(.*)$", line)
            if m:
                first = first or m.group(1).strip()
                if re.match(r"\s*(Cell In\s*\[|Input In\s*\[)", text):
                    cell = m.group(1).strip()
                break
    return cell or first


def _keep_failed(tmp: Path, job: ReportJob) -> str | None:
    job.html_path.unlink(missing_ok=True)  # never leave an old report looking current
    job.ipynb_path.unlink(missing_ok=True)
    job.failed_path.parent.mkdir(parents=True, exist_ok=True)
    log = tmp.with_suffix(".kernel.log")
    if log.exists():
        if log.stat().st_size:
            shutil.move(str(log), job.failed_path.with_suffix(".kernel.log"))
        else:
            log.unlink()
    if not tmp.exists():
        return None
    shutil.move(str(tmp), job.failed_path)
    return job.failed_path.relative_to(job.out_dir).as_posix()
