"""Word → PDF with LibreOffice headless: the documents of one run in one LibreOffice run, in a folder of its own.

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


#: seconds added to :data:`TIMEOUT_S` for every further document of one run
TIMEOUT_PER_DOCUMENT_S = 30


def to_pdfs(docxs: list[Path], office: str | None = None, timeout: float | None = None) -> list[Path]:
    """Convert several .docx in one LibreOffice run, each PDF beside its .docx (the names must differ).

    One start of LibreOffice serves them all (a start with a new profile costs seconds). Returns the PDFs
    in order.

    Raises
    ------
    NrlibError
        LibreOffice is missing, failed, made a PDF short, or ran past ``timeout`` seconds (default
        :data:`TIMEOUT_S` and :data:`TIMEOUT_PER_DOCUMENT_S` per further document).
    """
    office = office or require_office()
    docxs = [Path(p) for p in docxs]
    if not docxs:
        return []
    if len({p.name for p in docxs}) != len(docxs):
        raise ValueError("documents converted together need distinct names")
    timeout = timeout if timeout is not None else TIMEOUT_S + TIMEOUT_PER_DOCUMENT_S * (len(docxs) - 1)
    names = ", ".join(p.name for p in docxs[:3]) + (f" (và {len(docxs) - 3} văn bản khác)" if len(docxs) > 3 else "")
    with tempfile.TemporaryDirectory(prefix="nrlib-pdf-") as tmp:
        work = Path(tmp)
        cmd = [office, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "pdf", "--outdir", str(work / "out"), *map(str, docxs)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise NrlibError(f"LibreOffice chưa chuyển xong {names} sang PDF sau {timeout:g} giây: hãy đóng "
                             f"các cửa sổ LibreOffice đang mở rồi chạy lại / LibreOffice timed out") from None
        made = [work / "out" / (p.stem + ".pdf") for p in docxs]
        short = [p for p, m in zip(docxs, made) if not m.is_file()]
        if proc.returncode != 0 or short:
            said = printable((proc.stderr or proc.stdout or "").strip().splitlines()[-1:] and
                             (proc.stderr or proc.stdout).strip().splitlines()[-1] or "")
            which = ", ".join(p.name for p in short) or names
            raise NrlibError(f"LibreOffice không chuyển được {which} sang PDF (mã {proc.returncode}"
                             f"{': ' + said if said else ''}) / LibreOffice failed to convert {which}")
        out = []
        for p, m in zip(docxs, made):
            out.append(atomic_write(p.with_suffix(".pdf"), copy_from=m))
    return out
