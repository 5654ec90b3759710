"""User-facing Vietnamese labels for submissions: problems, outcomes, statuses — the one place for them.

Every problem found in a workbook carries a stable **rule code**; its
severity and its Vietnamese message live in :data:`RULES`. Codes never change
meaning (scripts and reports filter on them); messages may be reworded.
``E_`` rules are errors (the workbook is rejected), ``W_`` rules warnings (the
workbook is accepted and the warning shown).

=========================  ========  =====================================================
rule                       severity  when
=========================  ========  =====================================================
E_FILE_UNREADABLE          error     the file is not a workbook nrlib can open (empty,
                                     truncated, damaged, another file type)
E_FILE_TOO_LARGE           error     the file, its unzipped size or its number of parts
                                     is over a limit (:mod:`nrlib.intake.limits`)
E_FILE_COMPRESSION         error     a zipped part expands far more than any workbook's
                                     (a zip bomb)
E_FILE_XML_DTD             error     an XML part declares a DTD or entities (entity
                                     expansion, "billion laughs")
E_FILE_ENCRYPTED           error     the workbook is password-protected (encrypted)
E_FILE_MACROS              error     the workbook holds VBA or XLM macros
E_SHEET_TOO_LARGE          error     a sheet's rows, columns or cells are over a limit
E_TEXT_TOO_LONG            error     a cell holds more characters than the limit
E_INTERNAL                 error     nrlib failed on this file (a bug): the file is kept
                                     and rejected, the other files go on
E_ENCODING_LEGACY          error     text typed in a legacy Vietnamese encoding (TCVN3/ABC,
                                     VNI) shows as mojibake, e.g. ``Th«ng tin``
E_SHEET_MISSING            error     a sheet of the outline is absent
E_SHEET_DUPLICATE          error     two sheets match one outline sheet
W_SHEET_UNKNOWN            warning   a sheet the outline does not know (not read)
W_ROW_BLANK                warning   a metric left blank in every year (no data, as the
                                     instructions allow)
W_TEXT_IGNORED             warning   text on a row without a code that carries no data (a
                                     signature block, a note): not read
W_TEXT_CONTINUED           warning   a narrative continued on the next row: joined to its
                                     section
E_HEADER_MISSING           error     the header row of a sheet cannot be found
E_YEAR_MISSING             error     a year column (2016-2020) is absent
E_COLUMN_DUPLICATE         error     a header label appears twice
E_ROW_MISSING              error     a row of the outline (code) is absent
E_ROW_DUPLICATE            error     a code appears on two rows
E_ROW_UNKNOWN              error     a row with data whose code the outline does not know
E_REQUIRED                 error     a required cell is blank
E_TYPE_NUMBER              error     a number cell holds something that is not a number
E_TYPE_DATE                error     a date cell holds something that is not a date
E_INTEGER                  error     a count holds a fraction
E_RANGE                    error     a value outside its bounds (ge, gt, min, max, le: a
                                     self-score above its content's điểm chuẩn)
E_RELATION                 error     a part larger than its whole (``le_metric``)
E_CHOICE                   error     a value outside its choice list
E_NOT_APPLICABLE           error     "Không áp dụng" declared in a year the NTM criteria
                                     apply to the unit (it was a xã)
E_URBAN_NOT_APPLICABLE     error     an urban criterion (VanMinhDoThi) declared Đạt or Chưa
                                     đạt in a year the unit was a xã
E_FORMULA_NO_VALUE         error     a formula never computed (a file written by a program):
                                     the cell has no value to read
E_CELL_ERROR               error     a data cell holds an error value (``#DIV/0!``)
E_MERGED_CELLS             error     one value merged across several data cells (typed once
                                     for five years)
E_PERCENT_UNIT             error     a percentage in a cell whose unit is not %
E_UNIT_UNKNOWN             error     the unit code is not in the registry
E_UNIT_MISMATCH            error     the workbook's unit differs from the file name's or
                                     the manifest's (the file counts for the sender)
E_UNIT_NAME_MISMATCH       error     the unit code and the unit name are two units
E_OUTLINE_VERSION          error     the workbook states an outline version nrlib does not ship
                                     (each shipped version is accepted: its own is checked)
E_PARTNER_FORM             error     a partner workbook's form code (ThongTin, Mã biểu mẫu) is no
                                     partner's
E_PARTNER_VERSION          error     a partner workbook states a layout version nrlib does not ship
E_DISTRICT_UNKNOWN         error     a partner workbook's district code is not in the registry
E_UNIT_OTHER_DISTRICT      error     a row of a partner workbook names a unit of another district
E_YEAR_OUTSIDE             error     a year outside the review's years (or a recognition year
                                     before the programme began or after the review)
W_NUMBER_AMBIGUOUS         warning   a number typed as text reads two ways (``1.234``)
W_REPORT_DATE_AFTER_RECEIVED warning  the report is dated after the day it was received
W_DECLARED_VS_MEASURED     warning   criterion declared Đạt, its indicator misses the level
W_YOY_JUMP                 warning   a year-over-year change beyond the outline's band
W_OUTLIER                  warning   a value far from the other units' (robust z-score)
W_STOCK_FLOWS              warning   a year-end count its year's flows do not explain
                                     (poor households against thoát nghèo, phát sinh mới,
                                     chuyển đi)
W_PROPOSAL_SUBJECT         warning   a proposal's đối tượng and its kind disagree (a person
                                     proposed as a tập thể)
=========================  ========  =====================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nrlib.core.vnformat import fmt_number, unit_suffix


@dataclass(frozen=True)
class Rule:
    """One validation rule: code, severity, Vietnamese message template, English description."""

    code: str
    severity: str
    template: str
    description: str


def _r(code: str, template: str, description: str) -> Rule:
    return Rule(code, "error" if code.startswith("E_") else "warning", template, description)


RULES: dict[str, Rule] = {r.code: r for r in [
    _r("E_FILE_UNREADABLE", "Không đọc được tệp như một bảng tính Excel ({reason})",
       "the file cannot be opened as a workbook"),
    _r("E_FILE_TOO_LARGE", "Tệp quá lớn: {what} là {value}, vượt giới hạn {limit}. Biểu mẫu điền đầy đủ chỉ "
       "khoảng vài chục KB; hãy xóa ảnh, trang tính hoặc dữ liệu thừa rồi gửi lại",
       "the file, its unzipped size or its number of parts is over a limit"),
    _r("E_FILE_COMPRESSION", "Phần “{part}” của tệp nén giải nén ra {size}, gấp {ratio} lần dung lượng nén "
       "(giới hạn {limit} lần): tệp có dấu hiệu “bom nén” nên không được mở",
       "a zipped part expands far more than a workbook's (zip bomb)"),
    _r("E_FILE_XML_DTD", "Phần “{part}” của tệp có khai báo {found}, điều tệp Excel không bao giờ có; tệp không "
       "được mở để tránh tấn công mở rộng thực thể XML", "an XML part declares a DTD or entities"),
    _r("E_FILE_ENCRYPTED", "Tệp được đặt mật khẩu mở nên không đọc được. Hãy gỡ mật khẩu (trong Excel: Tệp > "
       "Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu, xóa mật khẩu rồi lưu) và gửi lại",
       "the workbook is password-protected"),
    _r("E_FILE_MACROS", "Tệp có chứa macro ({what}). Hãy lưu lại thành “Excel Workbook (*.xlsx)” (không có "
       "macro) rồi gửi lại", "the workbook holds macros"),
    _r("E_SHEET_TOO_LARGE", "Trang tính “{sheet}” quá lớn: {what} {value}, vượt giới hạn {limit}. Hãy xóa các "
       "dòng, cột thừa (kể cả ô nằm rất xa vùng biểu mẫu) rồi gửi lại", "a sheet is over a size limit"),
    _r("E_TEXT_TOO_LONG", "Ô có {n} ký tự, vượt giới hạn {limit} ký tự của một ô", "a cell's text is too long"),
    _r("E_INTERNAL", "Lỗi nội bộ của nrlib khi kiểm tra tệp này ({reason}); tệp đã được lưu lại và bị từ chối. "
       "Hãy báo cho người quản trị hệ thống", "nrlib failed on this file"),
    _r("E_ENCODING_LEGACY", "Chữ được gõ bằng bảng mã cũ {encoding}, không phải Unicode: “{text}”. "
       "Hãy chuyển mã sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) rồi gửi lại",
       "text typed in a legacy Vietnamese encoding"),
    _r("E_SHEET_MISSING", "Thiếu trang tính “{sheet}”", "a sheet of the outline is missing"),
    _r("E_SHEET_DUPLICATE", "Có nhiều trang tính cùng ứng với “{sheet}”: {names}",
       "two sheets match one outline sheet"),
    _r("W_SHEET_UNKNOWN", "Trang tính “{sheet}” không có trong đề cương; nội dung của trang này không được đọc",
       "a sheet the outline does not know"),
    _r("W_ROW_BLANK", "{what}: để trống cả {n} năm, được ghi nhận là chưa có số liệu. Nếu trong các năm không phát "
       "sinh, hãy ghi số 0", "a metric blank in every year"),
    _r("W_TEXT_IGNORED", "Ô có chữ “{text}” nằm ngoài bảng số liệu (dòng không có mã), nên không được đọc. Nếu đây là "
       "số liệu, hãy ghi vào đúng dòng có mã", "text outside the tables, not read"),
    _r("W_TEXT_CONTINUED", "Nội dung viết tiếp ở dòng dưới mục {code} đã được ghép vào mục {code}; lần sau hãy viết "
       "cả mục trong một ô (xuống dòng trong ô: Alt+Enter)", "a narrative continued on the next row"),
    _r("E_HEADER_MISSING", "Không tìm thấy dòng tiêu đề cột (cần có cột “{label}”)",
       "the header row cannot be found"),
    _r("E_YEAR_MISSING", "Thiếu cột năm {year}", "a year column is missing"),
    _r("E_COLUMN_DUPLICATE", "Cột “{label}” xuất hiện hai lần", "a header label appears twice"),
    _r("E_ROW_MISSING", "Thiếu dòng {what} “{code}”", "a row of the outline is missing"),
    _r("E_ROW_DUPLICATE", "Dòng {what} “{code}” bị lặp (đã có ở dòng {first_row})", "a code appears twice"),
    _r("E_ROW_UNKNOWN", "Dòng có số liệu với mã “{code}” không có trong đề cương", "a row with an unknown code"),
    _r("E_REQUIRED", "Ô bắt buộc đang để trống: {what}", "a required cell is blank"),
    _r("E_TYPE_NUMBER", "{what}: cần nhập một số, không phải “{value}”", "not a number"),
    _r("E_TYPE_DATE", "{what}: cần một ngày dạng ngày/tháng/năm (ví dụ 15/02/2021), không phải “{value}”",
       "not a date"),
    _r("E_INTEGER", "{what}: cần số nguyên, không phải {value}", "a count holds a fraction"),
    _r("E_RANGE", "{what}: giá trị {value} phải {bound}", "a value outside its bounds"),
    _r("E_RELATION", "{what} = {value} lớn hơn {other_code} ({other_what}) = {other_value} cùng năm",
       "a part larger than its whole"),
    _r("E_CHOICE", "{what}: “{value}” không có trong danh sách chọn ({choices})", "a value outside its choice list"),
    _r("E_NOT_APPLICABLE", "Tiêu chí {criterion_no} năm {year} ghi “{value}”, nhưng năm {year} bộ tiêu chí xã nông "
       "thôn mới áp dụng cho {unit} (“{value}” chỉ dùng cho năm đơn vị là thị trấn, phường). Hãy ghi “{reached}” hoặc "
       "“{not_reached}”", "not applicable declared where the criteria apply"),
    _r("E_URBAN_NOT_APPLICABLE", "Tiêu chuẩn {criterion_code} năm {year} ghi “{value}”, nhưng năm {year} bộ tiêu chí "
       "xã nông thôn mới áp dụng cho {unit}: tiêu chuẩn văn minh đô thị chỉ đánh giá các năm đơn vị là thị trấn, "
       "phường. Hãy để trống hoặc ghi “{not_applicable}”", "an urban criterion declared in a xã year"),
    _r("E_FORMULA_NO_VALUE", "{what}: ô có công thức{formula} nhưng chưa có kết quả tính (tệp do một chương trình "
       "tạo ra, chưa được tính lại). Hãy mở tệp bằng Excel hoặc LibreOffice rồi lưu lại và gửi lại",
       "a formula never computed"),
    _r("E_CELL_ERROR", "{what}: ô đang báo lỗi “{error}” (công thức không tính được). Hãy sửa công thức hoặc nhập số "
       "liệu rồi gửi lại", "an error value in a data cell"),
    _r("E_MERGED_CELLS", "{what}: các ô {range} đang được gộp (merge) nên chỉ có một giá trị ở ô {first}, không rõ là "
       "số của năm nào hay của cả giai đoạn. Hãy bỏ gộp ô và ghi số liệu riêng cho từng năm",
       "one value merged across several data cells"),
    _r("E_PERCENT_UNIT", "{what}: ô được định dạng phần trăm ({value}) nhưng chỉ tiêu tính bằng {unit}. Hãy đổi định "
       "dạng ô sang số và nhập số {unit}", "a percentage where the unit is not %"),
    _r("E_UNIT_UNKNOWN", "Mã đơn vị “{value}” không có trong danh mục đơn vị hành chính", "unknown unit code"),
    _r("E_UNIT_MISMATCH", "Mã đơn vị trong biểu là {unit_code} ({unit_name}) nhưng {source} ghi {claimed}"
       "{claimed_name}: tệp được ghi nhận là của đơn vị theo {source}. Hãy kiểm tra đơn vị nào đã gửi tệp; nếu đơn vị "
       "đã điền nhầm biểu mẫu của đơn vị khác, hãy đề nghị điền lại vào biểu mẫu của chính đơn vị",
       "the workbook's unit differs from the one claimed"),
    _r("E_UNIT_NAME_MISMATCH", "Mã đơn vị {unit_code} là của {unit_name}, nhưng tên đơn vị ghi “{typed}”: mã và tên "
       "không cùng một đơn vị. Hãy kiểm tra lại mã đơn vị (ô đã khóa trong biểu mẫu gốc) và tên đơn vị",
       "the unit code and the unit name are different units"),
    _r("E_OUTLINE_VERSION", "Biểu mẫu theo đề cương phiên bản “{value}”, cần phiên bản {expected}: "
       "hãy điền vào biểu mẫu mới", "another outline version"),
    _r("E_PARTNER_FORM", "Mã biểu mẫu “{value}” không phải biểu mẫu của cơ quan phối hợp nào (cần {expected}): "
       "hãy dùng biểu mẫu do Ủy ban MTTQ huyện gửi", "a partner form code nrlib does not know"),
    _r("E_PARTNER_VERSION", "Biểu mẫu của {partner} phiên bản “{value}”, cần phiên bản {expected}: hãy điền vào "
       "biểu mẫu mới do Ủy ban MTTQ huyện gửi", "another partner layout version"),
    _r("E_DISTRICT_UNKNOWN", "Mã huyện “{value}” không có trong danh mục đơn vị hành chính: mã huyện là ô đã khóa "
       "trong biểu mẫu gốc, hãy điền vào biểu mẫu do Ủy ban MTTQ huyện gửi", "unknown district code"),
    _r("E_UNIT_OTHER_DISTRICT", "Mã đơn vị {unit_code} là của {unit_name} ({other_district}), không thuộc "
       "{district} của biểu mẫu này. Hãy sửa mã đơn vị hoặc xóa dòng này", "a unit of another district"),
    _r("E_YEAR_OUTSIDE", "{what}: năm “{value}” nằm ngoài khoảng {first} - {last}. Hãy ghi một năm trong khoảng đó",
       "a year outside the review"),
    _r("W_NUMBER_AMBIGUOUS", "{what}: số “{value}” có thể hiểu hai cách; đã đọc là {reading} ({why}). "
       "Hãy kiểm tra lại", "a number that reads two ways"),
    _r("W_REPORT_DATE_AFTER_RECEIVED", "Ngày lập báo cáo {report_date} sau ngày nhận {received}: hãy kiểm tra lại "
       "ngày lập báo cáo (hoặc ngày nhận ghi trong danh sách nhận hồ sơ)", "a report dated after it was received"),
    _r("W_DECLARED_VS_MEASURED", "Tiêu chí {criterion_no} năm {year} tự đánh giá “{declared}” nhưng chỉ tiêu "
       "{indicator_code} = {value}{unit}, chưa đạt mức {comparison} {level}{unit}{bound_note}",
       "criterion declared reached, indicator misses the level"),
    _r("W_YOY_JUMP", "{what} năm {year} thay đổi {change} so với năm {prev_year} ({prev} → {value}), "
       "vượt ngưỡng ±{band}", "year-over-year change beyond the band"),
    _r("W_STOCK_FLOWS", "{what} năm {year} = {value}, nhưng số năm {prev_year} ({prev}){flows} cho {expected}: "
       "hãy kiểm tra lại số cuối năm hoặc số phát sinh trong năm", "a year-end count its flows do not explain"),
    _r("W_PROPOSAL_SUBJECT", "Đề xuất thứ {n}: đối tượng “{subject}” nhưng loại là “{kind}”; hãy kiểm tra lại "
       "loại (tập thể hay cá nhân) hoặc đối tượng", "a proposal's recipient and its kind disagree"),
    _r("W_OUTLIER", "{what} năm {year} = {value}{per} khác xa các đơn vị khác (trung vị {median}{per}, "
       "{n} đơn vị; điểm z bền vững {z})", "a value far from the other units'"),
]}

SEVERITY_LABELS = {"error": "lỗi", "warning": "cảnh báo"}

#: why an ambiguous number was read as it was (W_NUMBER_AMBIGUOUS ``why``)
AMBIGUOUS_WHY = {
    "vn_thousands": "dấu chấm phân cách hàng nghìn theo cách viết Việt Nam",
    "vn_decimal": "dấu phẩy thập phân theo cách viết Việt Nam",
    "en_thousands": "chỉ tiêu là số nguyên nên dấu phẩy được hiểu là phân cách hàng nghìn",
}

#: what a claimed unit code comes from (E_UNIT_MISMATCH ``source``)
CLAIM_SOURCES = {"file_name": "tên tệp", "manifest": "danh sách nhận hồ sơ (manifest)"}

#: how a row is named in E_ROW_* messages, per sheet layout
ROW_KINDS = {
    "key_value": "thông tin", "criteria_grid": "tiêu chí", "indicator_grid": "chỉ tiêu",
    "metric_grid": "chỉ tiêu", "sections": "mục", "table": "",
}

LEGACY_ENCODINGS = {"TCVN3": "TCVN3 (ABC, phông .Vn)", "VNI": "VNI (phông VNI-)", "legacy": "TCVN3/VNI"}

#: range bounds, in E_RANGE messages
BOUNDS = {"ge": "≥ {x}", "gt": "> {x}", "min": "≥ {x}", "max": "≤ {x}", "le": "≤ {x}"}

#: how a problem message names a data element (:meth:`nrlib.reference.outline.Outline.element_label`)
ELEMENT_LABELS = {"metric": "{code} ({label})", "indicator": "chỉ tiêu {code}"}
#: how a value made comparable across units is shown in W_OUTLIER (``per``)
COMPARISON_SUFFIX = {"share": "% của {whole}", "per_household": " {unit} / 1.000 {whole_unit}"}

NO_CODE = "(để trống)"
#: what a problem message says instead of quoting a personal cell (a name, a phone number)
PERSONAL_REDACTED = "(thông tin cá nhân, không trích dẫn)"
DERIVED_BOUND_NOTE = " (tính từ số liệu trang VanDong)"

# ----------------------------------------------------------------------------- outcomes and statuses

SUBMISSION_STATUS = {"accepted": "đã chấp nhận", "rejected": "bị từ chối"}
TIMELINESS = {"on_time": "đúng hạn", "late": "trễ hạn", "missing": "chưa nộp"}
#: the word after a number of days late, by how they are counted (``timeliness.count_days`` of the district's
#: settings, :mod:`nrlib.reference.district_settings`)
DAYS_LATE_UNIT = {"calendar": "ngày", "working": "ngày làm việc"}
#: how days late are counted, for a methodology note
DAYS_LATE_METHOD = {
    "calendar": "Số ngày trễ hạn là số ngày lịch kể từ sau ngày hết hạn đến ngày nhận bản gửi đầu tiên.",
    "working": ("Số ngày trễ hạn là số ngày làm việc kể từ sau ngày hết hạn đến ngày nhận bản gửi đầu tiên, không "
                "tính thứ Bảy, Chủ nhật và {n} ngày nghỉ lễ, Tết, nghỉ bù theo lịch ngày nghỉ (năm {years}); hạn "
                "rơi vào ngày nghỉ thì lùi đến ngày làm việc kế tiếp (Bộ luật Dân sự 2015, Điều 148), báo cáo nhận "
                "vào ngày nghỉ được tính là nhận vào ngày làm việc kế tiếp."),
}


# ----------------------------------------------------------------------------- what the analyses find

#: a criterion nobody declared (a blank cell, or no submission); the declared statuses are the outline's choices
STATUS_MISSING = "Chưa báo cáo"
#: maintenance classes (:mod:`nrlib.analysis.maintenance`); a lost criterion is "sụt chuẩn", as Front documents say
MAINTENANCE = {
    "kept": "Giữ vững", "gained": "Đạt mới", "lost": "Sụt chuẩn, chưa đạt lại", "lost_and_regained": "Sụt chuẩn rồi đạt lại",
    "never": "Chưa đạt năm nào", "not_applicable": "Không áp dụng", "no_data": "Không có số liệu",
}
#: the urban evaluation (:mod:`nrlib.analysis.urban`): an urban criterion neither declared nor proven missed, and
#: where an effective status comes from
#: the partners' figures beside the communes' (nrlib.analysis.partners): the reports' criteria sections
OFFICIAL_STATUS_NOTE = ("Tình trạng tiêu chí theo số liệu của {partner} (phiên bản {version}, nhận ngày {received}): "
                        "nơi có số liệu này, đây là tình trạng được tính; nơi không có, tính theo báo cáo của {who}.")
OFFICIAL_STATUS_SAME = "Số liệu này không khác với báo cáo của {who}."
OFFICIAL_STATUS_DIFFERENT = "Có {n} trường hợp khác với báo cáo của {who}: {items}."
OFFICIAL_STATUS_ITEM = "{unit}tiêu chí {criterion_no} năm {year} ({who} báo cáo “{declared}”, số liệu chính thức “{official}”)"
CULTURE_NOTE = ("Số hộ gia đình văn hóa, {hamlet} văn hóa theo số liệu của {partner} (phiên bản {version}, nhận ngày "
                "{received}) được đặt cạnh số liệu {who} báo cáo; kết quả Cuộc vận động vẫn tính theo báo cáo của {who}.")
CULTURE_SAME = "Số liệu này không khác với báo cáo của {who}."
CULTURE_DIFFERENT = "Có {n} số liệu khác với báo cáo của {who}: {items}."
CULTURE_ITEM = "{unit}năm {year}, {element}: {who} báo cáo {declared}, số liệu chính thức {official}"
#: the columns of the differences tables
STATUS_DIFFERENCE_COLUMNS = {"name": "Đơn vị", "year": "Năm", "criterion": "Tiêu chí", "declared": "Xã, thị trấn báo cáo",
                             "official": "Số liệu chính thức"}
CULTURE_DIFFERENCE_COLUMNS = {"name": "Đơn vị", "year": "Năm", "element": "Chỉ tiêu", "declared": "Xã, thị trấn báo cáo",
                              "official": "Số liệu chính thức", "difference": "Chênh lệch"}
RECOGNITION_COLUMNS = {"name": "Đơn vị", "title": "Danh hiệu", "year": "Năm công nhận", "decision_no": "Số quyết định",
                       "decision_date": "Ngày quyết định"}
STATUS_DIFFERENCE_CAPTION = "Tình trạng tiêu chí: báo cáo của {who} và số liệu của {partner}, các trường hợp khác nhau"
CULTURE_DIFFERENCE_CAPTION = "Gia đình văn hóa, {hamlet} văn hóa: báo cáo của {who} và số liệu của {partner}, các số liệu khác nhau"
RECOGNITION_CAPTION = "Xã được công nhận theo số liệu của {partner}"
OFFICIAL_SCORECARD_CAPTION = ("Kết quả thực hiện {n} tiêu chí xã nông thôn mới{who}, {years} (theo số liệu chính thức "
                              "nơi có, còn lại theo tự đánh giá)")
#: how many differences a sentence names before "…" (the table lists them all)
DIFFERENCES_IN_SENTENCE = 5

URBAN_MISSING = "Chưa có số liệu"
URBAN_ORIGINS = {"declared": "tự đánh giá", "measured": "tính từ số liệu Cuộc vận động"}
#: a town's result in a cell of a table that sets it beside the xã's new-rural counts, never summed with them
URBAN_CELL = {"missing": "Văn minh đô thị: chưa có số liệu", "counted": "Văn minh đô thị: {n_reached}/{n_criteria}",
              "partial": "Văn minh đô thị: {n_reached}/{n_criteria}, chưa có số liệu {n_missing}"}


def urban_cell(n_reached: int, n_criteria: int, n_missing: int) -> str:
    """:data:`URBAN_CELL` for one town-year (:func:`nrlib.analysis.urban.urban_reached`'s counts): "chưa có số
    liệu" when nothing is known, never "0/5"."""
    key = "missing" if n_missing == n_criteria else "partial" if n_missing else "counted"
    return URBAN_CELL[key].format(n_reached=int(n_reached), n_criteria=int(n_criteria), n_missing=int(n_missing))
#: the scoring (:mod:`nrlib.analysis.scoring`): a content with no figure in the outline, a provisional class, the
#: relative min-max ranking kept as an option (:mod:`nrlib.analysis.ranking`), a blank self-score
SCORING_BY_COUNCIL = "Hội đồng Thi đua – Khen thưởng chấm theo báo cáo"
SCORING_STATUS = {"scored": "đã chấm", "no_data": "không có số liệu", "not_applicable": "không áp dụng",
                  "council": "chưa chấm"}
PROVISIONAL = "tạm xếp loại"
RELATIVE_RANKING = "Xếp hạng tương đối (tham khảo)"
#: a self-score the outline never asked for (version 1), and one a version 2 workbook left blank
NO_SELF_SCORE = "không có số liệu"
SELF_SCORE_BLANK = "chưa tự chấm"
#: the scoring's columns beside each other: the unit's own score and the district's
SELF_SCORE = "Tự chấm"
VERIFIED_SCORE = "Thẩm định"
#: kinds of data-quality flag (:func:`nrlib.analysis.quality.quality_flags`)
FLAGS = {"outlier": "Khác xa các đơn vị khác", "yoy": "Biến động bất thường so với năm trước",
         "declared_vs_measured": "Tự đánh giá Đạt nhưng số liệu chưa đạt mức chuẩn"}
#: where an indicator's value comes from (:mod:`nrlib.analysis.thresholds`)
ORIGINS = {"typed": "xã, thị trấn tự ghi", "derived": "tính từ số liệu Cuộc vận động"}
#: the notice on everything made from sample data (reports, the index, notebooks, sample workbooks)
#: the closed block of an HTML report that keeps what only a specialist reads (data version, statistics)
TECHNICAL_INFO = "Thông tin kỹ thuật"
SAMPLE_NOTICE = "{marker} — số liệu giả lập để minh họa, không phải số liệu thật của xã, thị trấn nào"
#: shown in a report where a chart would be, when the browser cannot draw it (templates/nrlib_report/plotly-loader.js):
#: no DecompressionStream to unpack plotly.js, or plotly.js failing to start (a damaged file)
CHART_UNAVAILABLE = {
    "unsupported": ("Trình duyệt này quá cũ để vẽ biểu đồ; hãy mở báo cáo bằng Chrome, Edge, Firefox hoặc "
                    "Safari bản mới."),
    "failed": ("Không vẽ được biểu đồ: tệp báo cáo có thể đã bị hỏng khi gửi hoặc tải về; hãy lấy lại tệp, "
               "hoặc mở bằng Chrome, Edge, Firefox hoặc Safari bản mới."),
}


def cell(text: str) -> str:
    """A label opening a table cell or a line: its first letter in capitals (``trễ hạn`` → ``Trễ hạn``)."""
    return text[:1].upper() + text[1:]


#: statuses opening a table cell
TIMELINESS_CELL = {k: cell(v) for k, v in TIMELINESS.items()}
SUBMISSION_CELL = {k: cell(v) for k, v in SUBMISSION_STATUS.items()}
SEVERITY_CELL = {k: cell(v) for k, v in SEVERITY_LABELS.items()}


def late_text(timeliness: str, days, days_counted: str = "calendar") -> str:
    """A unit's timeliness opening a table cell: ``Đúng hạn``, ``Trễ hạn 4 ngày làm việc``, ``Chưa nộp``."""
    text = cell(TIMELINESS[timeliness])
    if timeliness == "late":
        text += f" {int(days)} {DAYS_LATE_UNIT.get(days_counted, DAYS_LATE_UNIT['calendar'])}"
    return text


#: ``nrlib reviews`` (:func:`nrlib.reference.reviews.reviews_text`)
REVIEWS_HEADING = "Các đợt sơ kết, tổng kết nrlib biết ({path}):"
REVIEW_DEFAULT = "mặc định"
REVIEW_ACTIVE = "đang dùng"
REVIEW_LINE_PERIOD = "Giai đoạn {label} (các năm {first}–{last}); hạn nộp báo cáo: {deadline}; cấp tổng hợp: {tier}"
REVIEW_LINE_FILES = "Đề cương: {outlines}; bộ tiêu chí: {criteria}; bảng điểm: {scoring}; danh mục đơn vị: {vintage}"
REVIEW_VINTAGE_ON_DEADLINE = "danh mục có hiệu lực vào ngày hạn nộp"
REVIEW_TIERS = {"district": "huyện", "province": "tỉnh"}
REVIEWS_FOOTER = "Chọn một đợt cho mọi lệnh bằng --review MÃ_ĐỢT (hoặc biến NRLIB_REVIEW)."

#: what each file a report or an export records is (:func:`nrlib.config.inputs_record`)
INPUT_ROLES = {"reviews": "danh sách đợt sơ kết", "outline": "đề cương", "outline_v1": "đề cương phiên bản 1", "criteria": "bộ tiêu chí", "levels": "mức đạt chuẩn",
               "regions": "vùng", "unit_history": "lịch sử đơn vị", "unit_types": "loại đơn vị",
               "ranking": "cách xếp hạng", "local_levels": "mức chuẩn của địa phương", "limits": "giới hạn tệp nhận",
               "documents": "thể thức văn bản", "local_documents": "thiết lập văn bản của huyện",
               "urban_criteria": "tiêu chuẩn văn minh đô thị", "urban_levels": "mức tiêu chuẩn văn minh đô thị",
               "local_urban_levels": "mức tiêu chuẩn văn minh đô thị của địa phương",
               "district_settings": "thiết lập chấm điểm và tính ngày trễ", "holidays": "lịch ngày nghỉ",
               "scoring": "bảng điểm thi đua", "local_district_settings": "thiết lập riêng của huyện",
               "local_holidays": "ngày nghỉ riêng của huyện",
               "partners": "biểu mẫu số liệu của các cơ quan phối hợp"}


def input_text(item: dict) -> str:
    """One recorded input for a reader: ``đề cương outline_2016_2020.yaml (SHA-256 3f2a9c1e)``."""
    name = str(item.get("path", "")).replace("\\", "/").rsplit("/", 1)[-1]
    digest = item.get("sha256")
    return f"{INPUT_ROLES.get(item.get('role'), item.get('role'))} {name}" + (f" (SHA-256 {digest[:8]})" if digest
                                                                              else " (không có tệp)")


def sample_notice(marker: str) -> str:
    """:data:`SAMPLE_NOTICE` with the outline's sample marker (``DỮ LIỆU MẪU``)."""
    return SAMPLE_NOTICE.format(marker=marker)


#: labels of the notebooks' controls and axes (the outline holds the statuses' and metrics' own labels)
EXPLORE = {
    "all_units": "Toàn huyện (tất cả xã, thị trấn)", "all_groups": "Tất cả các nhóm",
    "all_flags": "Tất cả các loại", "unit": "Đơn vị", "year": "Năm", "criterion": "Tiêu chí",
    "group": "Nhóm tiêu chí", "metric": "Chỉ tiêu", "per_household": "Bình quân trên 1 hộ",
    "units": "Đơn vị (giữ Ctrl để chọn nhiều)", "flag": "Loại đánh dấu", "top": "Số tiêu chí",
    "n_units": "Số xã, thị trấn", "value": "Giá trị",
    "relative": "Xem thêm xếp hạng tương đối (tham khảo)",
    "no_official": "Chưa có số liệu của {office}: tình trạng tiêu chí là kết quả các xã, thị trấn tự đánh giá",
}

OUTCOME_LINES = {
    "accepted": "đã chấp nhận — đơn vị {unit}, phiên bản {version}",
    "accepted_warnings": "đã chấp nhận, có {n_warnings} cảnh báo — đơn vị {unit}, phiên bản {version}",
    "rejected": "bị từ chối: {n_errors} lỗi, {n_warnings} cảnh báo — đơn vị {unit}{version_part}",
    "duplicate": "tệp này đã được nhận trước đây (đơn vị {unit}, phiên bản {version}, nhận ngày {received}); "
                 "không có gì thay đổi",
}
#: the same lines for a partner's workbook, which has no unit: ``{unit}`` is "biểu mẫu của …"
PARTNER_OUTCOME_LINES = {k: v.replace("đơn vị {unit}", "{unit}") for k, v in OUTCOME_LINES.items()}
UNKNOWN_UNIT = "không xác định"
UNKNOWN_PARTNER = "biểu mẫu của cơ quan phối hợp không xác định"

INGEST_SUMMARY = ("{n_files} tệp: {n_accepted} chấp nhận, {n_rejected} bị từ chối, {n_duplicate} đã có từ trước. "
                  "Kho dữ liệu: {db}")

#: column headers of ``nrlib status`` (table output)
STATUS_COLUMNS = {
    "unit_code": "Mã", "name": "Đơn vị", "latest_version": "Phiên bản", "first_received_date": "Nhận lần đầu",
    "timeliness": "Thời hạn", "latest_status": "Kết quả kiểm tra", "n_errors": "Lỗi", "n_warnings": "Cảnh báo",
}
STATUS_LATE_DAYS = "trễ hạn {days} {unit}"
STATUS_TOTALS = ("Tổng: {expected} đơn vị phải nộp; đã nộp {received} ({reporting_rate}); đúng hạn {on_time} "
                 "({on_time_rate}); trễ hạn {late}; chưa nộp {missing}; đã chấp nhận {accepted}.")
STATUS_TITLE = "Tình hình nhận báo cáo — {district} — hạn nộp {deadline}"
STATUS_PARTNERS_TITLE = "Số liệu của các cơ quan phối hợp:"
STATUS_PARTNER = ("  {partner}: phiên bản {version}, nhận ngày {received}, {status} ({n_errors} lỗi, {n_warnings} "
                  "cảnh báo)")
STATUS_UNASSIGNED = "Ngoài ra {n} tệp không xác định được đơn vị (bị từ chối): {files}"
#: a date on the command line (``--received`` of ``nrlib ingest``, ``--deadline`` of ``nrlib status``) that is not one
INVALID_DATE_OPTION = ("ngày nhận không hợp lệ: {text!r} (cần dd/mm/yyyy hoặc yyyy-mm-dd) / "
                       "invalid received date {text!r}")

SKIPPED_FILES = "nrlib ingest: bỏ qua {n} tệp không phải bảng tính (.xlsx, .xlsm, .xls, .ods): {files}"

#: what each command says when stopped with Ctrl-C (by command; None: any other)
INTERRUPTED = {
    "ingest": "nrlib: đã dừng (Ctrl-C). Các tệp đã lưu trước đó vẫn nguyên vẹn trong kho; chạy lại đúng lệnh này để "
              "nhận nốt: tệp đã nhận sẽ được bỏ qua / stopped: files stored so far are intact; re-run the same command",
    "reports": "nrlib: đã dừng (Ctrl-C). Mục lục (index.html) liệt kê các báo cáo đã xong; chạy lại đúng lệnh này để "
               "lập nốt / stopped: the index lists the reports done; re-run the same command",
    None: "nrlib: đã dừng (Ctrl-C); không có gì bị ghi dở. Chạy lại lệnh khi cần / stopped; nothing half-written",
}

#: what ``nrlib documents`` prints: one line per document written, one at the end
DOCUMENT_WRITTEN = "[{i}/{n}] {title}{sample}: {files}"
DOCUMENTS_SUMMARY = "nrlib documents: đã ghi {n} văn bản vào {out}: {files}"
DOCUMENTS_CONVERTING = "Đang chuyển {n} văn bản sang PDF bằng LibreOffice…"
DOCUMENTS_SAMPLE = " (DỮ LIỆU MẪU, không dùng để gửi)"

DOSSIER_DECISIONS_USED = "      áp dụng quyết định trong {file}: {decided} đề xuất đã có quyết định, {open} chưa có (tính là Đồng ý)"
DOSSIER_DECISIONS_KEPT = ("      giữ nguyên tệp quyết định {file} (đã có); đề xuất mới chưa có trong tệp: {n}, đã lập tệp {new} có "
                          "đủ các đề xuất")
DOSSIER_FILES = "{folder}/ ({n} tệp)"
DOSSIER_OUTSIDE = ("      {n} đề xuất ghi hình thức khen thưởng không có trong danh mục: chưa vào danh sách nào; hãy chọn "
                   "hình thức ở cột “Hình thức Ban Thường trực đề nghị” của tệp quyết định")
DOSSIER_MISSING_FACTS = "      {n} cá nhân chưa có năm sinh hoặc giới tính: ghi vào tệp quyết định rồi chạy lại lệnh"

#: the district's decision on a commendation proposal, as the decisions workbook offers it (keys:
#: nrlib.analysis.awards.DECISIONS); a blank cell is "accept"
DECISIONS = {"accept": "Đồng ý", "change": "Đổi hình thức", "not_proposed": "Không đề nghị"}
GENDERS = ("Nam", "Nữ")
#: the first line of every file that names individuals (the commendation dossier's lists, the decisions workbook)
PERSONAL_DATA_NOTICE = ("TÀI LIỆU CÓ DỮ LIỆU CÁ NHÂN (họ tên, năm sinh, giới tính của cá nhân được đề nghị khen "
                        "thưởng): chỉ dùng cho công tác thi đua, khen thưởng; không đăng tải, không chuyển cho người "
                        "không có trách nhiệm.")

READ_WAITING = ("Kho dữ liệu {db} đang được một lệnh khác (nrlib ingest) ghi; đang chờ để đọc, tối đa {timeout} "
                "giây…")
WRITE_WAITING = ("Kho dữ liệu {db} đang được một chương trình khác mở (sổ tay Jupyter, nrlib reports, nrlib "
                 "status…); đang chờ để ghi, tối đa {timeout} giây…")
LOCK_WAITING = "Kho dữ liệu {db} đang được một lệnh khác ghi; đang chờ (tối đa {timeout} giây)…"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text quoted from a submission (a file name, a cell) made safe to print as one terminal line:
    line breaks and tabs become spaces, other control characters (escape sequences, carriage returns,
    bidirectional overrides) ``?``."""
    return _CONTROL.sub(lambda m: " " if m.group() in "\n\t" else "?", str(text))


def outlier_params(*, what: str, year: int, value: float, median: float, n: int, z: float,
                   display: tuple[float, str]) -> dict:
    """The ``W_OUTLIER`` message's parameters: ``value`` and ``median`` are comparable values, shown as
    ``display`` says (``(factor, suffix)``, :meth:`nrlib.reference.outline.Outline.comparison_display`)."""
    factor, per = display
    return {"what": what, "year": year, "value": fmt_number(factor * value, 2, trim=True), "per": per,
            "median": fmt_number(factor * median, 2, trim=True), "n": int(n), "z": fmt_number(z, 1, trim=True)}


def yoy_params(*, what: str, year: int, prev_year: int, change: float, prev: str, value: str, band: float) -> dict:
    """The ``W_YOY_JUMP`` message's parameters (``prev`` and ``value`` already as the cell shows them)."""
    return {"what": what, "year": year, "prev_year": prev_year, "prev": prev, "value": value,
            "change": ("+" if change > 0 else "") + fmt_number(100 * change, 1, trim=True) + "%",
            "band": fmt_number(100 * band, 0) + "%"}


def declared_vs_measured_params(*, criterion_no: int, year: int, declared: str, indicator_code: str, value: float,
                                unit: str, comparison: str, level: float, derived: bool) -> dict:
    """The ``W_DECLARED_VS_MEASURED`` message's parameters."""
    unit = unit or ""
    return {"criterion_no": int(criterion_no), "year": int(year), "declared": declared,
            "indicator_code": indicator_code, "value": fmt_number(value, 2, trim=True),
            "unit": unit_suffix(unit), "comparison": comparison,
            "level": fmt_number(level, 2, trim=True), "bound_note": DERIVED_BOUND_NOTE if derived else ""}


def rule(code: str) -> Rule:
    """The :class:`Rule` of a code; ``KeyError`` names the unknown code."""
    try:
        return RULES[code]
    except KeyError:
        raise KeyError(f"unknown rule code {code!r}") from None


def problem_message(code: str, **params) -> str:
    """The Vietnamese message of a problem, its template filled with ``params``."""
    return rule(code).template.format(**params)
