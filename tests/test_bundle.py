"""The packed plotly.js bundle: it unpacks to the vendored file byte for byte, holds no markup, is packed once."""

from __future__ import annotations

import pytest

from nrlib.core.files import sha256_bytes
from nrlib.reports import bundle


def test_the_packed_bundle_unpacks_to_the_vendored_file():
    data = bundle.PLOTLY_JS.read_bytes()
    packed = bundle.packed_plotly_js()
    assert bundle.unpack(packed) == data
    assert packed.size == len(data) and packed.sha256 == sha256_bytes(data)
    # five digits for each four bytes of the gzip stream, the last group padded
    assert len("".join(packed.text.split())) == 5 * -(-packed.packed_bytes // 4)
    assert packed.packed_bytes < len(data) / 2


def test_the_text_can_sit_in_a_script_element():
    """Only the 85 digits and line breaks: no "<" (no "</script", no "<!--"), no quote, no slash."""
    assert len(bundle.ALPHABET) == len(set(bundle.ALPHABET)) == 85
    assert not set(bundle.ALPHABET) & set("<>/\"' \t\r\n\\")
    packed = bundle.packed_plotly_js()
    lines = packed.text.split("\n")
    assert set("".join(lines)) <= set(bundle.ALPHABET)
    assert max(len(line) for line in lines) == bundle.LINE_CHARS


@pytest.mark.parametrize("n", range(10))
def test_any_length_round_trips(n):
    """Lengths that are not a multiple of four: the padding is cut at packed_bytes."""
    data = bytes(range(256))[:n] * 3 + b"\xff" * n
    assert bundle.unpack(bundle.pack(data)) == data


def test_packing_is_reproducible():
    data = b"var x = 1;\n" * 1000
    assert bundle.pack(data) == bundle.pack(data)


def test_packed_once_per_checksum_and_anew_when_the_bundle_changes(tmp_path, monkeypatch):
    calls = []
    real_pack = bundle.pack
    monkeypatch.setattr(bundle, "pack", lambda data: calls.append(len(data)) or real_pack(data))
    js = tmp_path / "plotly.min.js"
    js.write_bytes(f"window.Plotly = {{}}; // {tmp_path}\n".encode())  # a bundle no earlier test packed
    first = bundle.packed_plotly_js(js)
    assert bundle.packed_plotly_js(js) is first and len(calls) == 1
    js.write_bytes(b"window.Plotly = {version: 2};\n")
    second = bundle.packed_plotly_js(js)
    assert len(calls) == 2 and second.sha256 != first.sha256
    assert bundle.unpack(second) == b"window.Plotly = {version: 2};\n"
