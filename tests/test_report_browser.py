"""Reports in a real browser: headless Chromium, opened from file:// with the network blocked.

For each report, at a phone's width and a laptop's: no request leaves the
file, every chart is drawn (plotly's ``.main-svg`` inside each
``.plotly-graph-div``, and its traces in ``_fullData``) from the packed
plotly.js the page carries, no console error, and submission text holding
``<script>`` / ``<img onerror>`` payloads shows as text and runs nothing. In a
browser without ``DecompressionStream`` each chart's place says so in
Vietnamese, and nothing is thrown. Skipped with the reason shown when chromium
or playwright is missing, unless NRLIB_REQUIRE_EXTERNAL=1.

Chromium is Debian's ``/usr/bin/chromium`` driven by playwright
(``playwright install`` is never run).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import external_required, require_program

pytestmark = pytest.mark.slow

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 # belt and braces: nothing can resolve or reach a host
                 "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9"]
#: a phone (an iPhone 12-15's CSS width) and a laptop
WIDTHS = (390, 1280)


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "python package playwright not installed (pip install -e '.[test]')"
        if external_required():
            pytest.fail(f"{reason}, and NRLIB_REQUIRE_EXTERNAL=1 requires it", pytrace=False)
        pytest.skip(reason)
    return sync_playwright


@pytest.fixture(scope="module")
def browser():
    chromium = require_program("chromium")
    sync_playwright = _playwright()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def open_report(browser, path: Path, width: int = 1280, height: int = 900, init_script: str | None = None):
    """Open ``path`` with every request recorded and every non-file request aborted.

    ``init_script`` runs in the page before any of its own scripts.
    Returns ``(page, context, log)``; ``log`` has ``requests`` (URLs other than
    the file itself), ``errors`` (console errors and uncaught exceptions).
    """
    ctx = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=True,
                              service_workers="block")
    url = path.resolve().as_uri()
    log = {"requests": [], "errors": []}

    def on_request(req):
        if req.url != url and not req.url.startswith("data:"):
            log["requests"].append(req.url)

    ctx.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
    page = ctx.new_page()
    if init_script:
        page.add_init_script(init_script)
    page.on("request", on_request)
    page.on("console", lambda m: log["errors"].append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: log["errors"].append(f"pageerror: {exc}"))
    page.goto(url, wait_until="load")
    return page, ctx, log


def assert_report_ok(browser, path: Path, width: int = 1280) -> dict:
    """The checks every report must pass; returns a few facts for the caller's own checks."""
    page, ctx, log = open_report(browser, path, width=width)
    try:
        n_charts = page.eval_on_selector_all(".plotly-graph-div", "els => els.length")
        if n_charts:
            from playwright.sync_api import TimeoutError as PlaywrightTimeout

            try:
                page.wait_for_function(
                    "() => [...document.querySelectorAll('.plotly-graph-div')].every(d => d.querySelector('.main-svg'))",
                    timeout=20_000)
            except PlaywrightTimeout:
                pass  # counted and reported just below
        drawn = page.eval_on_selector_all(
            ".plotly-graph-div", "els => els.filter(d => d.querySelector('.main-svg') && d.getBoundingClientRect().height > 50"
                                 " && (d._fullData || []).length > 0).length")
        assert drawn == n_charts, f"{path.name} at {width} px: {drawn}/{n_charts} charts drawn"
        page.wait_for_timeout(200)
        assert log["requests"] == [], f"{path.name}: requests left the file: {log['requests']}"
        assert log["errors"] == [], f"{path.name}: {log['errors']}"
        assert page.evaluate("typeof window.__xss") == "undefined", f"{path.name}: injected script ran"
        facts = {"charts": n_charts, "narrative": page.eval_on_selector_all(".narrative .body", "els => els.map(e => e.innerText)"),
                 "scripts_in_narrative": page.eval_on_selector_all(".narrative script, .narrative img, .narrative a", "els => els.length"),
                 "title": page.title()}
        return facts
    finally:
        ctx.close()


def test_browser_check_catches_a_network_request(browser, tmp_path):
    """The harness itself: a page that tries to load from the network is caught."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><head><script src="https://cdn.plot.ly/plotly-2.0.0.min.js"></script>'
                    '</head><body><p>x</p></body></html>', encoding="utf-8")
    with pytest.raises(AssertionError):
        assert_report_ok(browser, page)
    _, ctx, log = open_report(browser, page)
    ctx.close()
    assert log["requests"] == ["https://cdn.plot.ly/plotly-2.0.0.min.js"]


def test_sample_reports_in_the_browser(browser, sample_dir, tmp_path_factory):
    """The real reports: every chart drawn, nothing from the network, no console error, payloads inert."""
    import report_fixtures as rf

    db = rf.sample_store(sample_dir, tmp_path_factory.mktemp("report-store"))
    rendered = rf.sample_reports(db, tmp_path_factory.mktemp("sample-reports"))
    out = rendered["out"]
    ok = [r for r in rendered["results"] if r["status"] == "ok"]
    assert len(ok) == 3
    for width in WIDTHS:
        for r in ok:
            facts = assert_report_ok(browser, out / r["html"], width=width)
            assert facts["charts"] >= (0 if r["code"] == rendered["missing"] else 3), r["html"]
            assert facts["scripts_in_narrative"] == 0
            if r["code"] == rf.XSS_UNIT:
                shown = "\n".join(facts["narrative"])
                for payload in rf.XSS_PAYLOADS:
                    assert payload in shown
        facts = assert_report_ok(browser, out / "index.html", width=width)
        assert facts["charts"] == 0


def test_a_browser_without_decompression_stream_says_so_in_each_charts_place(browser, sample_dir, tmp_path_factory):
    """plotly.js cannot be unpacked: every chart's place shows the Vietnamese message, nothing is thrown or fetched."""
    import report_fixtures as rf
    from nrlib.core import labels

    db = rf.sample_store(sample_dir, tmp_path_factory.mktemp("report-store"))
    rendered = rf.sample_reports(db, tmp_path_factory.mktemp("sample-reports"))
    unit = next(r for r in rendered["results"] if r["code"] == rf.XSS_UNIT)
    message = labels.CHART_UNAVAILABLE["unsupported"]
    for width in WIDTHS:
        page, ctx, log = open_report(browser, rendered["out"] / unit["html"], width=width,
                                     init_script="delete window.DecompressionStream")
        try:
            assert page.evaluate("typeof window.DecompressionStream") == "undefined"
            charts = page.eval_on_selector_all(".plotly-graph-div", """els => els.map(d => {
                const note = d.querySelector('.chart-unavailable');
                return {text: note ? note.innerText : null, visible: !!note && note.getBoundingClientRect().height > 0,
                        drawn: !!d.querySelector('.main-svg'), height: d.getBoundingClientRect().height};
            })""")
            assert len(charts) >= 3
            for chart in charts:
                assert chart["text"] == message and chart["visible"] and not chart["drawn"], chart
                assert chart["height"] < 300, chart  # the message, not the chart's empty box
            page.wait_for_timeout(200)
            assert log["errors"] == [] and log["requests"] == [], log
        finally:
            ctx.close()
