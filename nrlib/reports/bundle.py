"""The plotly.js bundle as a report carries it: gzip-compressed, written as base-85 text.

The vendored bundle (``nrlib/static/plotly-basic.min.js``, 1,2 MB of
minified JavaScript) would be nine tenths of a unit report if inlined as it is.
A report holds it packed instead, and the reader's browser unpacks it
(``nrlib/templates/nrlib_report/plotly-loader.js``): it decodes the text,
inflates it with the built-in ``DecompressionStream("gzip")`` and runs it
before the charts are drawn. Nothing is fetched: the bytes are in the page.

Method:

* **compression** — gzip (``zlib`` level 9, modification time 0, so the same
  bundle always gives the same bytes and the pages stay reproducible);
  ``gzip`` rather than ``deflate-raw`` because browsers inflated it first
  (Chrome 80, Firefox 113, Safari 16.4);
* **text** — base 85 in the alphabet of RFC 1924 (Python's
  :func:`base64.b85encode`) with ``<`` and ``>`` replaced by ``.`` and ``,``
  (:data:`ALPHABET`): five characters per four bytes where base 64 takes
  5⅓, and no ``<`` at all, so the text can neither close its ``<script>``
  element nor open a comment in it. The data is padded with zero bytes to a
  multiple of four; :attr:`PackedBundle.packed_bytes` says where the gzip
  stream ends. Lines of :data:`LINE_CHARS` characters, so an editor opening a
  report does not meet one line of half a megabyte; the decoder skips them.

Packing is done once per process for a given bundle and reused (:func:`packed_plotly_js`, keyed by the file's SHA-256, so an
updated bundle is packed anew), never per report.
"""

from __future__ import annotations

import base64
import gzip
import threading
from dataclasses import dataclass
from pathlib import Path

from nrlib.config import PACKAGE_DIR
from nrlib.core.files import sha256_bytes

PLOTLY_JS = PACKAGE_DIR / "static" / "plotly-basic.min.js"

_RFC1924 = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"
#: the 85 digits, 0 to 84, of the packed text: RFC 1924's with "." for "<" and "," for ">"
ALPHABET = _RFC1924.replace(b"<", b".").replace(b">", b",").decode("ascii")
_TO_OURS = bytes.maketrans(b"<>", b".,")
_TO_RFC1924 = bytes.maketrans(b".,", b"<>")
#: characters per line of the packed text
LINE_CHARS = 1000


@dataclass(frozen=True)
class PackedBundle:
    """A JavaScript bundle packed for a page: ``text`` decodes to ``packed_bytes`` bytes of gzip."""

    sha256: str        #: of the bundle itself
    size: int          #: bytes of the bundle itself
    packed_bytes: int  #: bytes of its gzip stream
    text: str          #: the gzip stream in base 85 (:data:`ALPHABET`), in lines


def pack(data: bytes) -> PackedBundle:
    """Pack ``data`` (a bundle's bytes): gzip, then base 85 in :data:`ALPHABET`, in lines."""
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    digits = base64.b85encode(packed, pad=True).translate(_TO_OURS).decode("ascii")
    text = "\n".join(digits[i:i + LINE_CHARS] for i in range(0, len(digits), LINE_CHARS))
    return PackedBundle(sha256=sha256_bytes(data), size=len(data), packed_bytes=len(packed), text=text)


def unpack(bundle: PackedBundle) -> bytes:
    """The bundle's bytes again: what the page's loader does, in Python (for tests and checks)."""
    digits = "".join(bundle.text.split()).encode("ascii").translate(_TO_RFC1924)
    return gzip.decompress(base64.b85decode(digits)[:bundle.packed_bytes])


_packed: dict[str, PackedBundle] = {}
_lock = threading.Lock()


def packed_plotly_js(path: str | Path = PLOTLY_JS) -> PackedBundle:
    """The vendored plotly.js bundle packed (:func:`pack`), once per process per bundle checksum.

    The file is read on each call (a millisecond) so that a changed bundle is
    never served from the cache; only the latest packing is kept.
    """
    data = Path(path).read_bytes()
    digest = sha256_bytes(data)
    with _lock:
        hit = _packed.get(digest)
        if hit is None:
            hit = pack(data)
            _packed.clear()
            _packed[digest] = hit
    return hit
