"""``nrlib documents``: every check first, then each document written whole, Word and (``--pdf``) PDF.

Method: the date, the settings, the store (present, an nrlib store, of this schema), the district (it has
submissions), LibreOffice (with ``--pdf``) and the output folder (new, empty, the project's own
``reports/documents``, or one an earlier run marked) are checked before anything is written, each failure one
Vietnamese line. Each document is then built in a temporary folder, converted there, and moved into the
output folder whole (:func:`nrlib.core.files.atomic_write`), so a failed conversion leaves no half of it.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from nrlib import config
from nrlib.core import files, labels
from nrlib.core.textmatch import slugify
from nrlib.core.vnformat import parse_date
from nrlib.documents import convert, note, report
from nrlib.documents.settings import DocumentSettings, load_settings
from nrlib.exceptions import NrlibError

#: the file that marks a folder ``nrlib documents`` made (so a later run may write into it again)
FOLDER_MARKER = ".nrlib-documents"


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document: its key, what the progress line calls it, its file name, and its builder
    ``build(ds, settings, date, cache) -> OfficialDocument``."""

    kind: str
    title: str
    file_stem: str
    build: Callable


def _kinds() -> dict[str, DocumentKind]:
    out = {}
    for module, build in ((report, report.build_report), (note, note.build_note)):
        tpl = module.load_template()
        out[module.KIND] = DocumentKind(module.KIND, tpl["title"], tpl["file_stem"], build)
    return out


@dataclass
class DocumentsResult:
    """What a run wrote: the output folder and the files, in order."""

    out_dir: Path
    files: list[Path] = field(default_factory=list)


def parse_document_date(text: str | dt.date | None) -> dt.date | None:
    """The ``--date`` of the date line: ``05/03/2021`` (or ``2021-03-05``); None leaves it blank."""
    if text is None or isinstance(text, dt.date):
        return text
    try:
        day = parse_date(text)
    except (ValueError, TypeError):
        day = None
    if day is None:
        raise NrlibError(f"--date {labels.printable(text)!r} không phải một ngày: hãy ghi dạng ngày/tháng/năm, ví "
                         f"dụ 05/03/2021 / --date is not a date: use dd/mm/yyyy")
    return day


def claim_folder(out: Path) -> Path:
    """The output folder, checked and made before anything is written (:func:`nrlib.core.files.claim_folder`)."""
    try:
        return files.claim_folder(out, marker=FOLDER_MARKER, what="văn bản", own=(config.documents_dir(),),
                                  marker_text="Thư mục văn bản do nrlib tạo / a documents folder made by nrlib\n")
    except files.FolderRefused as exc:
        raise NrlibError(str(exc)) from None


def load_district(db_path: str | Path | None, district_code: str | None):
    """The district's dataset from the store; :class:`~nrlib.NrlibError` when the store is missing, not an
    nrlib store, empty, or holds nothing from that district."""
    from nrlib.store import load_dataset, resolve_db_path

    db = resolve_db_path(db_path)
    ds = load_dataset(db, district_code=district_code)   # a missing, foreign or outdated store: one line
    if ds.submissions.empty:
        name = str(ds.units["district_name"].iloc[0]) if len(ds.units) else str(district_code)
        raise NrlibError(f"{name}: kho dữ liệu {db} chưa có báo cáo nào của các xã, thị trấn thuộc huyện; hãy nhập "
                         f"(nrlib ingest) các biểu mẫu trước / the store holds no submission from district "
                         f"{district_code}")
    return ds


def write_documents(db_path: str | Path | None = None, out_dir: str | Path | None = None,
                    district_code: str | None = None, date: str | dt.date | None = None, pdf: bool = False, *,
                    settings: DocumentSettings | None = None,
                    progress: Callable[[str], None] | None = print) -> DocumentsResult:
    """Write the district's documents (what ``nrlib documents`` does).

    Parameters
    ----------
    db_path : str or Path, optional
        The store (default :func:`nrlib.config.default_db_path`).
    out_dir : str or Path, optional
        Default :func:`nrlib.config.documents_dir`.
    district_code : str, optional
        Default: the one district of the store.
    date : str or date, optional
        The date of the date line (``05/03/2021``); default blank, for the office.
    pdf : bool
        Also write a PDF of each document (LibreOffice).
    settings : DocumentSettings, optional
        Default :func:`nrlib.documents.settings.load_settings`.

    Returns
    -------
    DocumentsResult

    Raises
    ------
    NrlibError
        Any bad input, before anything is written; a failed conversion.
    """
    day = parse_document_date(date)
    settings = settings or load_settings()
    ds = load_district(db_path, district_code)
    office = convert.require_office() if pdf else None
    out = claim_folder(Path(out_dir) if out_dir else config.documents_dir())
    kinds = list(_kinds().values())
    code = str(ds.units["district_code"].iloc[0])
    place = settings.place(str(ds.units["district_name"].iloc[0]))
    result = DocumentsResult(out)
    cache: dict = {}
    for i, kind in enumerate(kinds, 1):
        stem = f"{kind.file_stem}_{code}_{slugify(place)}"
        with tempfile.TemporaryDirectory(prefix="nrlib-doc-") as tmp:
            draft = Path(tmp) / f"{stem}.docx"
            kind.build(ds, settings, day, cache).save(draft)
            made = [(draft, out / draft.name)]
            if office:
                made.append((convert.to_pdf(draft, Path(tmp) / f"{stem}.pdf", office), out / f"{stem}.pdf"))
            for src, dest in made:
                files.atomic_write(dest, copy_from=src)
                result.files.append(dest)
        if progress:
            progress(labels.DOCUMENT_WRITTEN.format(i=i, n=len(kinds), title=kind.title,
                                                    sample=labels.DOCUMENTS_SAMPLE if ds.is_sample else "",
                                                    files=", ".join(d.name for _, d in made)))
    return result


def main_documents(args) -> int:
    """``nrlib documents``: the progress lines, then one line naming what was written."""
    result = write_documents(db_path=args.db, out_dir=args.out, district_code=args.district, date=args.date,
                             pdf=args.pdf)
    print(labels.DOCUMENTS_SUMMARY.format(n=len({p.stem for p in result.files}), out=result.out_dir,
                                          files=", ".join(p.name for p in result.files)))
    return 0
