"""Word → PDF with LibreOffice headless, one conversion at a time in a folder of its own.

Method: ``soffice --headless --convert-to pdf`` into a temporary folder, with a user profile of its own
(``-env:UserInstallation=file:///tmp/…``), so conversions running side by side (or next to a LibreOffice a
person has open) never share a profile and never block each other; the PDF is then moved into place whole
(:func:`nrlib.core.files.atomic_write`). A conversion that fails or runs past :data:`TIMEOUT_S` is one
Vietnamese line, and leaves nothing behind.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from nrlib.core.files import atomic_write
from nrlib.core.labels import printable
from nrlib.exceptions import NrlibError

#: the programs that are LibreOffice, in the order they are looked for on PATH
PROGRAMS = ("soffice", "libreoffice")
#: seconds one conversion may take (a first start of LibreOffice makes its profile: about 10 s)
TIMEOUT_S = 180


def find_office() -> str | None:
    """The LibreOffice program on PATH (``soffice``, else ``libreoffice``), or None."""
    return next((p for p in map(shutil.which, PROGRAMS) if p), None)


def require_office() -> str:
    """The LibreOffice program; :class:`~nrlib.NrlibError` saying what to install when there is none."""
    office = find_office()
    if office is None:
        raise NrlibError("không tìm thấy LibreOffice (soffice) để chuyển văn bản sang PDF: hãy cài LibreOffice "
                         "(Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui; Windows, macOS: "
                         "libreoffice.org) hoặc bỏ --pdf / LibreOffice not found: install it or drop --pdf")
    return office


def to_pdf(docx: str | Path, dest: str | Path, office: str | None = None, timeout: float = TIMEOUT_S) -> Path:
    """Convert ``docx`` to the PDF ``dest``; returns ``dest``.

    Raises
    ------
    NrlibError
        LibreOffice is missing, failed, made no PDF, or ran past ``timeout`` seconds.
    """
    office = office or require_office()
    docx, dest = Path(docx), Path(dest)
    with tempfile.TemporaryDirectory(prefix="nrlib-pdf-") as tmp:
        work = Path(tmp)
        cmd = [office, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "pdf", "--outdir", str(work / "out"), str(docx)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise NrlibError(f"LibreOffice chưa chuyển xong {docx.name} sang PDF sau {timeout:g} giây: hãy đóng "
                             f"các cửa sổ LibreOffice đang mở rồi chạy lại / LibreOffice timed out") from None
        made = work / "out" / (docx.stem + ".pdf")
        if proc.returncode != 0 or not made.is_file():
            said = printable((proc.stderr or proc.stdout or "").strip().splitlines()[-1:] and
                             (proc.stderr or proc.stdout).strip().splitlines()[-1] or "")
            raise NrlibError(f"LibreOffice không chuyển được {docx.name} sang PDF (mã {proc.returncode}"
                             f"{': ' + said if said else ''}) / LibreOffice failed to convert {docx.name}")
        atomic_write(dest, copy_from=made)
    return dest
