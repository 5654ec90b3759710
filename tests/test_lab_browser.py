"""End to end in a real browser: JupyterLab opens 02_criteria_maintenance.ipynb, runs it, the unit selector redraws the chart.

JupyterLab runs on loopback with a token, a free port, a temporary runtime,
config and settings directory, and a copy of ``notebooks/`` as its root; the
store is the session's sample store, passed through ``NRLIB_DB``. Debian's
chromium is driven headless by the ``playwright`` package (its own browser
downloads are never used). Skipped with the reason when chromium is missing,
failed instead under ``NRLIB_REQUIRE_EXTERNAL=1``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import require_module, require_program

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = "02_criteria_maintenance.ipynb"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_server(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"JupyterLab exited ({proc.returncode}):\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"JupyterLab did not answer within {timeout} s:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture
def lab(tmp_path, sample_store):
    """A JupyterLab server on loopback serving a copy of notebooks/; yields (base_url, token)."""
    root = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, NRLIB_DB=str(sample_store), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"), PYTHONUNBUFFERED="1")
    settings = tmp_path / "settings" / "@jupyterlab"
    # no "news" pop-up over the notebook (and no request for it)
    (settings / "apputils-extension").mkdir(parents=True)
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}', encoding="utf-8")
    # every cell stays in the page: with windowing, cells scrolled out of view leave the DOM
    (settings / "notebook-extension").mkdir(parents=True)
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        '{"windowingMode": "none"}', encoding="utf-8")
    log = tmp_path / "jupyterlab.log"
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=", "--LabApp.extension_manager=readonly",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI often run as root
        cmd.append("--allow-root")
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_server(f"{base}/api/status?token={token}", proc, log)
        yield base, token
    finally:
        proc.terminate()  # the server shuts its kernels down on SIGTERM
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _plot_state(page) -> dict | None:
    """Title, unit and z matrix of the scorecard chart (the plotly chart whose trace names a unit), or None."""
    return page.evaluate("""() => {
        for (const gd of document.querySelectorAll('.js-plotly-plot')) {
            if (!gd.data || !gd.data.length || !(gd.data[0].meta || {}).unit_code) continue;
            return {title: (gd.layout.title || {}).text || '', unit: gd.data[0].meta.unit_code,
                    z: gd.data[0].z, x: gd.data[0].x};
        }
        return null;
    }""")


def _plots_summary(page) -> list:
    """Every plotly chart of the page: number of traces, title, first trace's meta (for failure messages)."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => [
        (gd.data || []).length, ((gd.layout || {}).title || {}).text || '', (gd.data && gd.data[0] || {}).meta || null])""")


def _wait_plot(page, predicate, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    state = None
    while time.monotonic() < deadline:
        state = _plot_state(page)
        if state and predicate(state):
            return state
        page.wait_for_timeout(250)
    raise AssertionError(f"scorecard chart not as expected within {timeout} s; last state: "
                         f"{state and (state['unit'], state['title'])}; charts on the page: {_plots_summary(page)}")


def test_lab_runs_criteria_notebook_and_unit_selector_redraws(lab, sample_store, tmp_path):
    require_program("chromium")
    sync_api = require_module("playwright.sync_api")
    from nrlib import explore
    from nrlib.store import load_dataset

    ds = load_dataset(sample_store)

    def z_of(code):
        return [list(row) for row in explore.scorecard_view(ds, code)[0].data[0].z]

    options = explore.unit_options(ds)
    first = options[0]  # the dropdown's initial value
    expected_first = z_of(first[1])
    # switch to the first unit whose scorecard differs, so a stale chart cannot pass
    second = next(o for o in options[1:] if z_of(o[1]) != expected_first)
    expected_second = z_of(second[1])

    base, token = lab
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                    args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
            console: list[str] = []
            page.on("console", lambda msg: console.append(f"console.{msg.type}: {msg.text}"))
            page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}", wait_until="domcontentloaded")
            page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-Notebook')",
                                   timeout=60_000)
            page.wait_for_function("""() => {
                const w = window.jupyterapp.shell.currentWidget;
                return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel
                    && w.sessionContext.session.kernel.status === 'idle';
            }""", timeout=60_000)
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            try:
                state = _wait_plot(page, lambda s: first[0].split(" (")[0] in s["title"], timeout=120)
                assert state["unit"] == first[1] and state["z"] == expected_first

                # the unit selector: the dropdown that lists the units
                select = page.locator(".widget-dropdown select", has=page.locator("option", has_text=second[0])).first
                select.select_option(label=second[0])
                state = _wait_plot(page, lambda s: s["unit"] == second[1], timeout=60)
            except AssertionError as exc:
                if page.locator(".js-plotly-plot").count():
                    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
                page.screenshot(path=str(tmp_path / "failure.png"))
                raise AssertionError(f"{exc}; screenshot {tmp_path / 'failure.png'}; browser errors: {errors}; "
                                     f"console: {console}") from None
            assert second[0].split(" (")[0] in state["title"]
            assert state["z"] == expected_second

            page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
            shot = tmp_path / "lab_02_criteria_maintenance.png"
            page.screenshot(path=str(shot))
            if os.environ.get("NRLIB_SCREENSHOT_DIR"):
                shutil.copy(shot, Path(os.environ["NRLIB_SCREENSHOT_DIR"]) / shot.name)
            print(f"screenshot: {shot}")
        finally:
            browser.close()
    errors += [c for c in console if c.startswith("console.error")]
    assert not errors, "JavaScript errors in JupyterLab:\n" + "\n".join(errors)
