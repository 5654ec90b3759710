"""The decisions workbook: every commune's commendation proposals, in which the district records its decision.

nrlib writes it (:func:`write_decisions_workbook`) with one row per proposal (its identity, the commune, what
the commune proposed: grey, locked) and the district's columns (yellow): the decision (Đồng ý, Đổi hình
thức, Không đề nghị; blank is Đồng ý), the award form the district proposes, and the facts a list needs
a list needs (năm sinh, giới tính, chức vụ or nơi cư trú: pre-filled with what a version 2 workbook gives, blank
for a version 1 workbook, which never asked for them), and a note; the earlier awards the commune listed are shown
beside its proposal.
A sheet ``ThongTin`` says which district and which data it was made from.

:func:`read_decisions` reads it back through the intake reader (the same checks as a received workbook:
size limits, encryption, macros), and refuses, naming the cell: a formula never computed, an error value,
one value merged over several rows, an unknown proposal, a proposal whose name is no longer the one in the
store (the commune sent a new report), a proposal listed twice, a decision or award form outside the lists,
a year of birth that is not a year, a gender other than Nam or Nữ, another district's workbook. Nothing is
written when it refuses. The file is only read, never modified.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation

from nrlib.analysis.awards import DECISIONS
from nrlib.core import labels
from nrlib.core.textmatch import match_key, strip_invisible
from nrlib.core.vnformat import fmt_data_version
from nrlib.exceptions import NrlibError, WorkbookReadError
from nrlib.intake.reader import cell_ref, read_workbook
from nrlib.intake.result import cell_text, show_value

SHEET, INFO_SHEET, LISTS_SHEET = "QuyetDinh", "ThongTin", "DanhMuc"
FONT = "Times New Roman"
#: the columns: key, header, width, whether the district fills it
COLUMNS = [
    ("proposal_id", "Mã đề xuất", 12, False),
    ("unit_name", "Xã, thị trấn", 18, False),
    ("kind", "Loại", 10, False),
    ("name", "Tên tập thể / Họ và tên", 26, False),
    ("address", "Địa chỉ, đơn vị (xã ghi)", 24, False),
    ("achievement", "Thành tích tóm tắt", 40, False),
    ("earlier_awards", "Khen thưởng đã nhận (xã ghi)", 22, False),
    ("proposed_form", "Hình thức xã đề nghị", 28, False),
    ("decision", "Quyết định", 16, True),
    ("award_form", "Hình thức Ban Thường trực đề nghị", 30, True),
    ("birth_year", "Năm sinh", 9, True),
    ("gender", "Giới tính", 9, True),
    ("position", "Chức vụ, đơn vị công tác hoặc nơi cư trú", 30, True),
    ("note", "Ghi chú", 24, True),
]
HEADER_ROW = 5          # 1-based, as the workbook shows it
_REQUIRED = ("proposal_id", "name", "decision", "award_form")
_FIRST_YEAR = 1900


@dataclass
class Decisions:
    """What a decisions workbook holds: its path, one row per proposal it decides (``proposal_id`` and
    :data:`nrlib.analysis.awards.DECISION_FIELDS`), and the ids it lists."""

    path: Path
    table: pd.DataFrame
    listed: set


# ---------------------------------------------------------------------- writing


def write_decisions_workbook(path: str | Path, decided: pd.DataFrame, *, form_names: dict[str, str],
                             kind_labels: dict[str, str], district_code: str, district_name: str,
                             data_version: str | None, sample_notice: str | None = None) -> Path:
    """Write the workbook (openpyxl) at ``path``.

    Parameters
    ----------
    decided : DataFrame
        :func:`nrlib.analysis.awards.apply_decisions`: the proposals, with the decisions already recorded
        (``decided``) written into the district's columns.
    form_names : dict
        Award form key → official name (placeholders filled): the list of the form column.
    kind_labels : dict
        Proposal kind → its label (Tập thể, Cá nhân).
    """
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    grey = PatternFill("solid", start_color="E7E6E6", end_color="E7E6E6")
    yellow = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
    head = PatternFill("solid", start_color="D9E1F2", end_color="D9E1F2")
    wrap = Alignment(wrap_text=True, vertical="top")
    ncol = len(COLUMNS)
    lines = [(f"Ý KIẾN CỦA BAN THƯỜNG TRỰC VỀ CÁC ĐỀ XUẤT KHEN THƯỞNG — {district_name.upper()}",
              Font(name=FONT, size=13, bold=True)),
             (labels.PERSONAL_DATA_NOTICE, Font(name=FONT, size=11, bold=True, color="C00000")),
             ("Cột Quyết định: Đồng ý (để trống cũng là Đồng ý), Đổi hình thức (chọn hình thức ở cột bên cạnh) hoặc "
              "Không đề nghị. Ghi năm sinh, giới tính của cá nhân khi xã chưa ghi. Không sửa các cột tô xám; không "
              "thêm, bớt dòng. Lưu tệp rồi chạy lại: nrlib documents --decisions <tệp này>.",
              Font(name=FONT, size=11, italic=True))]
    if sample_notice:
        lines[0] = (f"{lines[0][0]} — {sample_notice}", lines[0][1])
    for r, (text, font) in enumerate(lines, 1):
        c = ws.cell(row=r, column=1, value=text)
        c.font, c.alignment = font, Alignment(wrap_text=True, vertical="center")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
        ws.row_dimensions[r].height = 20 if r == 1 else 32
    for j, (_, label, width, _) in enumerate(COLUMNS, 1):
        c = ws.cell(row=HEADER_ROW, column=j, value=label)
        c.font, c.fill, c.border = Font(name=FONT, size=11, bold=True), head, border
        c.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        ws.column_dimensions[c.column_letter].width = width
    ws.row_dimensions[HEADER_ROW].height = 45
    first = HEADER_ROW + 1
    for i, row in enumerate(decided.itertuples(index=False)):
        r = first + i
        values = _row_values(row, form_names, kind_labels)
        for j, (key, _, _, own) in enumerate(COLUMNS, 1):
            c = ws.cell(row=r, column=j, value=values[key])
            c.font, c.border, c.alignment = Font(name=FONT, size=11), border, wrap
            c.fill, c.protection = (yellow, Protection(locked=False)) if own else (grey, Protection(locked=True))
        ws.row_dimensions[r].height = row_height([values[k] for k, *_ in COLUMNS], [w for _, _, w, _ in COLUMNS])
    last = first + max(len(decided), 1) - 1
    # the lists the district chooses from, on a sheet of their own (a list of long names does not fit the
    # 255 characters of an inline list)
    lists = wb.create_sheet(LISTS_SHEET)
    choices = {"decision": list(labels.DECISIONS.values()), "award_form": list(form_names.values()),
               "gender": list(labels.GENDERS)}
    col_of = {key: j for j, (key, *_rest) in enumerate(COLUMNS, 1)}
    for j, (key, values) in enumerate(choices.items(), 1):
        letter = lists.cell(row=1, column=j).column_letter
        for i, v in enumerate(values, 1):
            lists.cell(row=i, column=j, value=v)
        dv = DataValidation(type="list", formula1=f"{LISTS_SHEET}!${letter}$1:${letter}${len(values)}",
                            allow_blank=True, showErrorMessage=True, errorTitle="Không có trong danh sách",
                            error="Hãy chọn một giá trị trong danh sách.")
        ws.add_data_validation(dv)
        col = ws.cell(row=first, column=col_of[key]).column_letter
        dv.add(f"{col}{first}:{col}{last}")
    year = DataValidation(type="whole", operator="between", formula1=str(_FIRST_YEAR),
                          formula2=str(dt.date.today().year), allow_blank=True, showErrorMessage=True,
                          errorTitle="Năm sinh", error="Năm sinh là một năm, ví dụ 1975.")
    ws.add_data_validation(year)
    ycol = ws.cell(row=first, column=col_of["birth_year"]).column_letter
    year.add(f"{ycol}{first}:{ycol}{last}")
    lists.sheet_state = "hidden"
    info = wb.create_sheet(INFO_SHEET)
    for r, (k, v) in enumerate((("Mã huyện", district_code), ("Huyện", district_name),
                                ("Phiên bản dữ liệu", fmt_data_version(data_version)),
                                ("Số đề xuất", len(decided))), 1):
        info.cell(row=r, column=1, value=k).font = Font(name=FONT, size=11, bold=True)
        info.cell(row=r, column=2, value=v).font = Font(name=FONT, size=11)
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 20, 40
    ws.freeze_panes = ws.cell(row=first, column=2)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True                 # no password: only the yellow cells can be typed in
    ws.protection.formatColumns = ws.protection.formatRows = False
    path = Path(path)
    wb.save(path)
    return path


def row_height(values, widths, size_pt: float = 11) -> float:
    """The height (points) a row of wrapped cells needs: LibreOffice does not grow a row written by openpyxl
    to fit its text, so the lines are estimated from each cell's length and its column's width (characters)."""
    import math

    lines = 1
    for v, w in zip(values, widths):
        if v is None:
            continue
        per_line = max(1.0, float(w) * 1.3)
        lines = max(lines, sum(max(1, math.ceil(len(part) / per_line)) for part in str(v).split("\n")))
    return round(lines * size_pt * 1.35 + 2, 1)


def _row_values(row, form_names: dict[str, str], kind_labels: dict[str, str]) -> dict:
    decided = bool(row.decided)
    changed = decided and row.decision == "change"
    return {"proposal_id": row.proposal_id, "unit_name": row.unit_name, "kind": kind_labels.get(row.kind, row.kind),
            "name": _blank(row.name), "address": _blank(row.address), "achievement": _blank(row.achievement),
            "earlier_awards": _blank(getattr(row, "earlier_awards", None)),
            "proposed_form": form_names.get(row.proposed_form, _blank(row.proposed_form)),
            "decision": labels.DECISIONS[row.decision] if decided else None,
            "award_form": form_names.get(row.award_form, row.award_form) if changed else None,
            "birth_year": int(row.birth_year) if pd.notna(row.birth_year) else None,
            "gender": _blank(row.gender), "position": _blank(row.position) or _blank(row.address),
            "note": _blank(row.note)}


def _blank(v):
    return None if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA else v


# ---------------------------------------------------------------------- reading


def read_decisions(path: str | Path, proposals: pd.DataFrame, *, form_names: dict[str, str], district_code: str,
                   last_year: int) -> Decisions:
    """The decisions of a workbook written by :func:`write_decisions_workbook` and filled by the district.

    Parameters
    ----------
    proposals : DataFrame
        :func:`nrlib.analysis.awards.numbered_proposals` of the district (the store's).
    form_names : dict
        Award form key → official name; a form cell may hold the name, the outline's label or the key.
    last_year : int
        The latest year of birth accepted.

    Raises
    ------
    NrlibError
        One Vietnamese line naming the file, the cell, what it holds and what to do; the number of other
        cells to mend when there are several.
    """
    path = Path(path)
    show = labels.printable(path.name)
    if not path.is_file():
        raise NrlibError(f"không tìm thấy tệp quyết định {labels.printable(str(path))}; hãy ghi đúng đường dẫn tệp "
                         f"do nrlib documents lập / decisions workbook not found")
    try:
        wb = read_workbook(path)
    except WorkbookReadError as exc:
        raise NrlibError(f"{show}: không đọc được tệp quyết định: {exc} / cannot read the decisions workbook") from None
    if SHEET not in wb.sheets:
        raise NrlibError(f"{show}: không có trang “{SHEET}”: đây không phải tệp quyết định khen thưởng do nrlib "
                         f"documents lập / not a decisions workbook")
    _check_district(wb, show, district_code)
    sheet = wb.sheets[SHEET]
    hdr, cols = _header(sheet)
    if hdr is None:
        raise NrlibError(f"{show}, trang {SHEET}: không thấy dòng tiêu đề có cột “Mã đề xuất”; hãy dùng tệp do nrlib "
                         f"documents lập, không đổi tên các cột / no header row")
    missing = [label for key, label, *_ in COLUMNS if key in _REQUIRED and key not in cols]
    if missing:
        raise NrlibError(f"{show}, trang {SHEET}, dòng {hdr + 1}: thiếu cột {', '.join(missing)}; hãy dùng tệp do "
                         f"nrlib documents lập / missing columns")
    props = proposals.set_index("proposal_id")
    decision_of = {match_key(v): k for k, v in labels.DECISIONS.items()} | {match_key(k): k for k in DECISIONS}
    form_of = {match_key(v): k for k, v in form_names.items()} | {match_key(k): k for k in form_names}
    gender_of = {match_key(g): g for g in labels.GENDERS}
    problems: list[str] = []
    rows, listed = [], {}

    def say(r: int, key: str, text: str) -> None:
        problems.append(f"ô {SHEET}!{cell_ref(r, cols[key])} ({_label(key)}): {text}")

    for r in range(hdr + 1, sheet.nrows):
        raw = {key: _cell(sheet, r, c, lambda t, k=key, rr=r: say(rr, k, t)) for key, c in cols.items()}
        if all(v is None for v in raw.values()):
            continue
        pid = _text(raw.get("proposal_id"))
        if pid is None:
            say(r, "proposal_id", "trống, nhưng dòng có nội dung; không thêm dòng vào tệp quyết định")
            continue
        if pid in listed:
            say(r, "proposal_id", f"“{show_value(pid)}” đã có ở dòng {listed[pid] + 1}; mỗi đề xuất một dòng")
            continue
        listed[pid] = r
        if pid not in props.index:
            say(r, "proposal_id", f"không có đề xuất “{show_value(pid)}” trong kho dữ liệu; hãy dùng tệp quyết định "
                                  f"do nrlib documents lập từ kho này")
            continue
        stored = props.loc[pid, "name"]
        if match_key(_text(raw.get("name"))) != match_key(stored):
            say(r, "name", f"là “{show_value(raw.get('name'))}”, nhưng đề xuất {pid} trong kho là "
                           f"“{show_value(stored)}”: báo cáo của xã đã thay đổi; hãy lập lại tệp quyết định")
            continue
        rec = {"proposal_id": pid}
        text = _text(raw.get("decision"))
        rec["decision"] = None if text is None else decision_of.get(match_key(text))
        if text is not None and rec["decision"] is None:
            say(r, "decision", f"“{show_value(raw['decision'])}” không phải một quyết định; hãy chọn "
                               f"{', '.join(labels.DECISIONS.values())} hoặc để trống (Đồng ý)")
        text = _text(raw.get("award_form"))
        rec["award_form"] = None if text is None else form_of.get(match_key(text))
        if text is not None and rec["award_form"] is None:
            say(r, "award_form", f"“{show_value(raw['award_form'])}” không có trong danh mục hình thức khen thưởng; "
                                 f"hãy chọn trong danh sách của ô")
        if rec["decision"] == "change" and text is None:
            say(r, "award_form", "trống, nhưng quyết định là Đổi hình thức; hãy chọn hình thức mới")
        rec["birth_year"] = _year(raw.get("birth_year"), last_year, lambda t, rr=r: say(rr, "birth_year", t))
        text = _text(raw.get("gender"))
        rec["gender"] = None if text is None else gender_of.get(match_key(text))
        if text is not None and rec["gender"] is None:
            say(r, "gender", f"“{show_value(raw['gender'])}” không phải {' hoặc '.join(labels.GENDERS)}")
        for key in ("position", "note"):
            rec[key] = _text(raw.get(key))
        if _text(raw.get("position")) == _text(props.loc[pid, "address"]):
            rec["position"] = None                 # the commune's own, as written in the workbook
        for key in ("birth_year", "gender"):       # the commune's own (a version 2 workbook's), as pre-filled
            own = props.loc[pid, key] if key in props.columns else None
            if rec[key] is not None and own is not None and not pd.isna(own) and str(rec[key]) == str(own):
                rec[key] = None
        rows.append(rec)
    if problems:
        more = f" (và {len(problems) - 1} ô khác cần sửa)" if len(problems) > 1 else ""
        raise NrlibError(f"{show}: {problems[0]}{more}; không văn bản nào được ghi / the decisions workbook has "
                         f"{len(problems)} cell(s) to mend")
    table = pd.DataFrame(rows, columns=["proposal_id", "decision", "award_form", "birth_year", "gender", "position",
                                        "note"])
    return Decisions(path=path, table=table, listed=set(listed))


def read_listed(path: str | Path) -> set[str]:
    """The proposal ids a decisions workbook lists (nothing when it cannot be read: it is then not the
    district's record of these proposals)."""
    try:
        wb = read_workbook(Path(path))
    except WorkbookReadError:
        return set()
    sheet = wb.sheets.get(SHEET)
    if sheet is None:
        return set()
    hdr, cols = _header(sheet)
    if hdr is None:
        return set()
    return {t for r in range(hdr + 1, sheet.nrows) if (t := cell_text(sheet.value(r, cols["proposal_id"])))}


def _label(key: str) -> str:
    return next(label for k, label, *_ in COLUMNS if k == key)


def _check_district(wb, show: str, district_code: str) -> None:
    info = wb.sheets.get(INFO_SHEET)
    if info is None:
        return
    for r in range(info.nrows):
        if match_key(cell_text(info.value(r, 0))) == match_key("Mã huyện"):
            code = cell_text(info.value(r, 1))
            if code is not None and code != str(district_code):
                raise NrlibError(f"{show}: tệp quyết định của huyện mã {labels.printable(code)}, không phải của huyện "
                                 f"mã {district_code}; hãy dùng tệp do nrlib documents lập cho huyện này / another "
                                 f"district's decisions workbook")
            return


def _header(sheet) -> tuple[int | None, dict[str, int]]:
    by_label = {match_key(label): key for key, label, *_ in COLUMNS}
    for r in range(min(sheet.nrows, 20)):
        cols = {}
        for c, v in enumerate(sheet.rows[r]):
            key = by_label.get(match_key(cell_text(v)))
            if key and key not in cols:
                cols[key] = c
        if "proposal_id" in cols:
            return r, cols
    return None, {}


def _cell(sheet, r: int, c: int, say):
    """A cell as the officer sees it; a formula never computed, an error value or one value merged over several
    rows is said at its cell and read as nothing."""
    span = sheet.merge_at(r, c)
    if span is not None:
        (r0, c0), (r1, c1) = span
        if r1 > r0:
            if r == r0:
                say(f"gộp ô {cell_ref(r0, c0)}:{cell_ref(r1, c1)} qua nhiều dòng; mỗi đề xuất ghi ở dòng của nó, "
                    f"hãy bỏ gộp ô")
            return None
        r, c = r0, c0
    if (r, c) in sheet.facts.formulas:
        say("là công thức chưa được tính (tệp do một chương trình khác ghi); hãy mở tệp bằng Excel hoặc "
            "LibreOffice, lưu lại rồi chạy lại")
        return None
    if (r, c) in sheet.facts.errors:
        say(f"có giá trị lỗi {sheet.facts.errors[(r, c)]}; hãy ghi giá trị")
        return None
    v = sheet.value(r, c)
    if isinstance(v, str):
        v = strip_invisible(v)
    return None if cell_text(v) is None else v


def _text(v) -> str | None:
    return cell_text(v)


def _year(v, last_year: int, say) -> int | None:
    if v is None:
        return None
    try:
        f = float(str(v).strip()) if not isinstance(v, (int, float)) else float(v)
    except ValueError:
        f = None
    if f is None or not f.is_integer() or not _FIRST_YEAR <= f <= last_year:
        say(f"“{show_value(v)}” không phải một năm sinh (từ {_FIRST_YEAR} đến {last_year}); hãy ghi năm, ví dụ 1975")
        return None
    return int(f)
