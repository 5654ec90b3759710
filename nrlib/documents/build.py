"""``nrlib documents``: every check first, then each document written whole, Word and (``--pdf``) PDF.

Method: the date, the settings, the store (present, an nrlib store, of this schema), the district (it has
submissions), LibreOffice (with ``--pdf``), the decisions workbook (``--decisions``, or the one in the
dossier's folder from an earlier run: :mod:`nrlib.documents.decisions`) and the output folder (new, empty,
the project's own ``reports/documents``, or one an earlier run marked) are checked before anything is
written, each failure one Vietnamese line. The báo cáo and the note go in the output folder; the
commendation dossier (:mod:`nrlib.documents.dossier`), the only files naming individuals, in its own
folder under it. A decisions workbook already there is the district's record and is never rewritten: when
the store holds proposals it lacks, a new one is written beside it, named after the data version. Each document is then built in a temporary folder, converted there, and moved into the
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
from nrlib.documents import convert, dossier, note, report
from nrlib.documents.decisions import read_decisions, read_listed, write_decisions_workbook
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
                    decisions: str | Path | None = None, settings: DocumentSettings | None = None,
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
    decisions : str or Path, optional
        The district's decisions workbook; default the one an earlier run wrote in the dossier's folder, if
        any (else every proposal is taken as proposed).
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
    out_path = Path(out_dir) if out_dir else config.documents_dir()
    code = str(ds.units["district_code"].iloc[0])
    place = settings.place(str(ds.units["district_name"].iloc[0]))
    tpl = dossier.load_template()
    own_decisions = out_path / tpl["folder"] / f"{dossier.file_stem(tpl['decisions_stem'], code, place)}.xlsx"
    decided = _decisions(ds, settings, Path(decisions) if decisions else own_decisions if own_decisions.is_file()
                         else None)
    out = claim_folder(out_path)
    kinds = list(_kinds().values())
    result = DocumentsResult(out)
    cache: dict = {"dossier": decided}
    sample = labels.DOCUMENTS_SAMPLE if ds.is_sample else ""
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="nrlib-doc-") as tmp:
        staged = Staging(Path(tmp), out)
        for i, kind in enumerate(kinds, 1):
            stem = f"{kind.file_stem}_{code}_{slugify(place)}"
            names = staged.document(Path(f"{stem}.docx"), kind.build(ds, settings, day, cache), pdf=bool(office))
            lines.append(labels.DOCUMENT_WRITTEN.format(i=i, n=len(kinds) + 1, title=kind.title, sample=sample,
                                                        files=", ".join(names)))
        details: list[str] = []
        n_dossier = write_dossier(ds, settings, decided, staged, Path(tpl["folder"]), own_decisions, day, code, place,
                                  details.append, pdf=bool(office))
        lines.append(labels.DOCUMENT_WRITTEN.format(i=len(kinds) + 1, n=len(kinds) + 1, title=tpl["title"],
                                                    sample=sample, files=labels.DOSSIER_FILES.format(
                                                        folder=tpl["folder"], n=n_dossier)))
        lines += details
        if office:
            if progress:
                progress(labels.DOCUMENTS_CONVERTING.format(n=len(staged.for_pdf)))
            staged.convert(office)
        result.files = staged.commit()
        _remove_stale(out / tpl["folder"], result.files, (tpl["list_stem"], tpl["submission_stem"]), code, place)
    if progress:
        for line in lines:
            progress(line)
    return result


class Staging:
    """Files built in a temporary folder, then moved into the output folder each whole
    (:func:`nrlib.core.files.atomic_write`), only once every one of them is built and converted: a failure
    leaves none of them."""

    def __init__(self, tmp: Path, out: Path) -> None:
        self.tmp, self.out = tmp, out
        self.files: list[Path] = []              # relative paths, in order
        self.for_pdf: list[Path] = []

    def path(self, rel: Path) -> Path:
        p = self.tmp / "build" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def add(self, rel: Path, write: Callable[[Path], object]) -> str:
        """Build one file by ``write(temporary path)``; its name."""
        write(self.path(rel))
        self.files.append(rel)
        return rel.name

    def document(self, rel: Path, doc, *, pdf: bool) -> list[str]:
        """An :class:`~nrlib.documents.layout.OfficialDocument` saved, and later converted when ``pdf``."""
        names = [self.add(rel, doc.save)]
        if pdf:
            self.for_pdf.append(rel)
            self.files.append(rel.with_suffix(".pdf"))
            names.append(rel.with_suffix(".pdf").name)
        return names

    def convert(self, office: str) -> None:
        """Every document to PDF in one LibreOffice run (one start of it, not one per document)."""
        built = [self.path(rel) for rel in self.for_pdf]
        convert.to_pdfs(built, office)

    def commit(self) -> list[Path]:
        done = []
        for rel in self.files:
            dest = self.out / rel
            files.atomic_write(dest, copy_from=self.path(rel))
            done.append(dest)
        return done


def _decisions(ds, settings: DocumentSettings, path: Path | None) -> dossier.Dossier:
    """The dossier's proposals with the decisions of ``path`` (read and checked whole), or with none."""
    if path is None:
        return dossier.make_dossier(ds, settings)
    from nrlib.analysis.awards import numbered_proposals

    names = dossier.named_awards(ds, settings)
    read = read_decisions(path, numbered_proposals(ds), form_names=dict(zip(names["award_form"], names["name"])),
                          district_code=str(ds.units["district_code"].iloc[0]),
                          last_year=(ds.deadline.year if ds.deadline else dt.date.today().year))
    return dossier.make_dossier(ds, settings, read, awards=None)


def write_dossier(ds, settings: DocumentSettings, d: dossier.Dossier, staged: Staging, folder: Path,
                  own_decisions: Path, day: dt.date | None, code: str, place: str, say, *, pdf: bool) -> int:
    """Stage the dossier's files in ``folder`` (relative to the output folder): the decisions workbook (when
    there is none yet, or a newer one when the store has proposals it lacks), then per award form its list
    (.docx, .xlsx), per deciding body its tờ trình, and the estimate. Returns how many files."""
    tpl = dossier.load_template()
    first = len(staged.files)
    kind_labels = {c["value"]: c["label"] for c in ds.outline.choices("proposal_kind")}
    notice = labels.sample_notice(ds.outline.sample_marker) if ds.is_sample else None

    def workbook(name: str) -> None:
        staged.add(folder / name, lambda tmp: write_decisions_workbook(
            tmp, d.decided, form_names=d.form_names, kind_labels=kind_labels, district_code=code,
            district_name=str(ds.units["district_name"].iloc[0]), data_version=ds.data_version,
            sample_notice=notice))

    listed = set(d.decided.loc[d.decided["decided"], "proposal_id"]) if d.decisions_path else set()
    if d.decisions_path is not None:
        say(labels.DOSSIER_DECISIONS_USED.format(file=d.decisions_path, decided=int(d.decided["decided"].sum()),
                                                 open=int((~d.decided["decided"]).sum())))
    if not own_decisions.exists():
        workbook(own_decisions.name)
    else:
        missing = set(d.decided["proposal_id"]) - (read_listed(own_decisions) | listed)
        if missing:
            newer = own_decisions.with_name(f"{own_decisions.stem}_du-lieu-{slugify(str(ds.data_version))}.xlsx")
            if not newer.exists():
                workbook(newer.name)
            say(labels.DOSSIER_DECISIONS_KEPT.format(file=own_decisions.name, n=len(missing), new=newer.name))

    tables = dossier.dossier_lists(ds, settings, d)
    order = {f: i for i, f in enumerate(d.awards["award_form"], 1)}
    for form, table in tables.items():
        stem = dossier.file_stem(tpl["list_stem"], code, place, dossier.file_part(order[form], d.form_names[form]))
        staged.document(folder / f"{stem}.docx", dossier.build_list(ds, settings, d, form, table, day), pdf=pdf)
        staged.add(folder / f"{stem}.xlsx",
                   lambda tmp, f=form, t=table: dossier.write_list_xlsx(tmp, ds, settings, f, t, d))
    for i, body in enumerate(dossier.bodies(d, dossier.own_body(ds, settings)), 1):
        stem = dossier.file_stem(tpl["submission_stem"], code, place, dossier.file_part(i, body))
        staged.document(folder / f"{stem}.docx", dossier.build_submission(ds, settings, d, body, day), pdf=pdf)
    stem = dossier.file_stem(tpl["estimate_stem"], code, place)
    staged.document(folder / f"{stem}.docx", dossier.build_estimate(ds, settings, d, day), pdf=pdf)
    if len(d.outside):
        say(labels.DOSSIER_OUTSIDE.format(n=len(d.outside)))
    proposed = d.decided[d.decided["award_form"].notna() & (d.decided["kind"] == "individual")]
    lacking = int((proposed["birth_year"].isna() | proposed["gender"].isna()).sum())
    if lacking:
        say(labels.DOSSIER_MISSING_FACTS.format(n=lacking))
    return len(staged.files) - first


def _remove_stale(folder: Path, written: list[Path], stems, code: str, place: str) -> None:
    """Remove the lists and tờ trình an earlier run wrote that this one did not (a form nobody is proposed for
    any more): only names of exactly the form nrlib gives them, never the decisions workbooks."""
    import re

    pattern = re.compile(rf"^(?:{'|'.join(map(re.escape, stems))})_\d+-[a-z0-9-]+_{re.escape(code)}_"
                         rf"{re.escape(slugify(place))}\.(?:docx|xlsx|pdf)$")
    keep = {p.name for p in written}
    for p in folder.iterdir():
        if p.is_file() and pattern.match(p.name) and p.name not in keep:
            p.unlink()


def main_documents(args) -> int:
    """``nrlib documents``: the progress lines, then one line naming what was written."""
    result = write_documents(db_path=args.db, out_dir=args.out, district_code=args.district, date=args.date,
                             pdf=args.pdf, decisions=args.decisions)
    print(summary(result))
    return 0


def summary(result: DocumentsResult) -> str:
    """The last line: the documents in the folder by name, the dossier's folder by its count of files."""
    top = [p for p in result.files if p.parent == result.out_dir]
    inner = sorted({p.parent for p in result.files} - {result.out_dir})
    shown = [p.name for p in top] + [labels.DOSSIER_FILES.format(folder=f.name, n=sum(p.parent == f for p in
                                                                                      result.files)) for f in inner]
    return labels.DOCUMENTS_SUMMARY.format(n=len({p.stem for p in top}) + len(inner), out=result.out_dir,
                                           files=", ".join(shown))
