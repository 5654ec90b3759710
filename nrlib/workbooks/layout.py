"""Sheet layout of the submission workbooks: where each code, year and field sits, and the level texts.

Method: every sheet's layout (title, note, header row, columns, rows and their
numbers) is derived from the outline YAML by one function, :func:`sheet_layout`;
the workbook writer (:mod:`nrlib.workbooks.template`) and :func:`cell_address` both use
it, so a cell's nominal address (``VanDong!D14``) has one source of truth.
Column order is the YAML's, with the ``years`` column expanded into one column
per year (header ``"2016"`` ...). Table rows are numbered from 1, other rows
keyed by their outline code (``"VD11"``, ``"17"``, ``"report_date"``, ``"III.1"``).

The ChiTieu sheet's "Mức đạt chuẩn" column is pre-filled by :func:`level_text`
from the levels that apply to a unit (:func:`nrlib.resolve_levels` for the
scopes of :func:`unit_scopes`): the years are grouped by comparison and level,
and a level that holds in every year is shown without its years.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
from openpyxl.utils import get_column_letter

from nrlib.core import vnformat
from nrlib.reference import Outline, load_criteria, load_outline
from nrlib.reference.outline import ROWS_FROM_URBAN
from nrlib.reference.urban import load_urban_criteria

YEARS_KEY = "years"

# shown in the level column when no source gives a level for the unit's scopes
_LEVEL_UNKNOWN = "chưa xác định"


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Column:
    """One column of a sheet: ``key`` is the YAML key, or the year (as text) for year columns."""

    key: str
    label: str
    index: int
    width: float | None
    spec: dict
    year: int | None = None

    @property
    def letter(self) -> str:
        return get_column_letter(self.index)


@dataclass(frozen=True)
class SheetLayout:
    """Where everything of one sheet sits in a freshly written workbook.

    ``rows`` maps each row key (as text: ``"VD11"``, ``"17"``, ``"report_date"``,
    ``"III.1"``, or ``"1"``.. for table rows) to its row number; ``row_specs``
    holds the outline's entry of each row (field, metric, indicator, section).
    """

    name: str
    layout: str
    title: str
    note: str | None
    header_row: int
    columns: list[Column]
    rows: dict[str, int]
    row_specs: dict[str, dict] = field(default_factory=dict)

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1

    @property
    def last_letter(self) -> str:
        return get_column_letter(len(self.columns))

    def column(self, key: object) -> Column:
        k = str(key)
        for c in self.columns:
            if c.key == k:
                return c
        raise KeyError(f"{self.name}: no column {key!r}; columns are {[c.key for c in self.columns]}")

    def row(self, key: object) -> int:
        k = str(key)
        if k not in self.rows:
            raise KeyError(f"{self.name}: no row {key!r}")
        return self.rows[k]

    def address(self, row_key: object, col_key: object) -> str:
        return f"{self.column(col_key).letter}{self.row(row_key)}"

    @property
    def freeze_cell(self) -> str:
        """Below the header row, right of the leading pre-filled (label) columns."""
        n = 0
        for c in self.columns:
            if not c.spec.get("prefilled"):
                break
            n += 1
        if self.layout == "key_value":
            n = 1
        return f"{get_column_letter(n + 1)}{self.first_data_row}"


def sheet_layout(outline: Outline, sheet_name: str, n_rows: int | None = None) -> SheetLayout:
    """The layout of one outline sheet (see :class:`SheetLayout`).

    Parameters
    ----------
    outline : Outline
    sheet_name : str
        A sheet of ``outline.raw['sheets']``.
    n_rows : int, optional
        For ``table`` sheets: the number of rows when more than the outline's
        ``template_rows`` are filled.
    """
    spec = outline.sheet(sheet_name)
    columns: list[Column] = []
    for col in spec["columns"]:
        if col["key"] == YEARS_KEY:
            for y in outline.years:
                columns.append(Column(str(y), str(y), len(columns) + 1, col.get("width"), col, int(y)))
        else:
            columns.append(Column(col["key"], col.get("label", col["key"]), len(columns) + 1, col.get("width"), col))
    kind = spec["layout"]
    specs: dict[str, dict] = {}
    if kind == "key_value":
        specs = {f["key"]: dict(f) for f in spec["fields"]}
    elif kind == "criteria_grid" and spec.get("rows_from") == ROWS_FROM_URBAN:
        crit = load_urban_criteria().drop_duplicates("criterion_code").sort_values("criterion_no")
        specs = {r.criterion_code: {"criterion_code": r.criterion_code, "criterion_name": r.criterion_name}
                 for r in crit.itertuples()}
    elif kind == "criteria_grid":
        crit = load_criteria().drop_duplicates("criterion_no").sort_values("criterion_no")
        specs = {str(r.criterion_no): {"criterion_no": int(r.criterion_no), "criterion_name": r.criterion_name}
                 for r in crit.itertuples()}
    elif kind == "indicator_grid":
        specs = {r["indicator_code"]: r for r in outline.typed_indicators.to_dict("records")}
    elif kind == "metric_grid":     # a computed metric (sum_of) has no row: nrlib adds it up, nobody types it
        specs = {m["code"]: dict(m) for m in spec["metrics"] if not m.get("sum_of")}
    elif kind == "table":
        n = max(int(spec.get("template_rows", 0)), n_rows or 0)
        specs = {str(i): {"seq": i} for i in range(1, n + 1)}
    elif kind == "sections":
        # keyed by the section's code; the Mục column shows its number (the code when there is none)
        specs = {s["code"]: {**s, "section_code": s["number"], "section_title": s["title"]}
                 for s in outline.sections}
    else:
        raise ValueError(f"outline sheet {sheet_name}: unknown layout {kind!r}")
    first = int(spec["header_row"]) + 1
    rows = {k: first + i for i, k in enumerate(specs)}
    return SheetLayout(sheet_name, kind, spec.get("title", sheet_name), spec.get("note"), int(spec["header_row"]),
                       columns, rows, specs)


def cell_address(outline: Outline | None, sheet: str, row_key: object, col_key: object) -> str:
    """Nominal address of a cell in a freshly written workbook.

    ``cell_address(outline, "VanDong", "VD11", 2016)`` → ``"D14"``;
    ``cell_address(outline, "ThongTin", "report_date", "value")`` → ``"B11"``;
    ``cell_address(outline, "TieuChi", 17, 2018)``; ``(outline, "VanMinhDoThi", "VM2", 2020)``;
    ``(outline, "TuCham", "TC.II.1", "value")``; ``(outline, "KhenThuong", 1, "kind")``.
    """
    return sheet_layout(outline or load_outline(), sheet).address(row_key, col_key)


# --------------------------------------------------------------------------- levels


def unit_scopes(unit: Mapping) -> list[str]:
    """Level scopes of a unit, most specific first: district, province, region."""
    return [str(unit[k]) for k in ("district_code", "province_code", "region_code") if unit.get(k)]


def _years_text(years: list[int]) -> str:
    years = sorted(years)
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def level_text(levels: pd.DataFrame | dict, indicator_code: str, unit_label: str, years: list[int]) -> str:
    """The "Mức đạt chuẩn" text of one indicator: ``"≥ 90%"``, ``"≥ 59 (2020)"`` or ``"chưa xác định"``.

    Method: group the years by (comparison, level); a level that holds in every
    year is shown alone, otherwise each level is followed by its years.
    ``levels`` is :func:`nrlib.resolve_levels` output (or its :func:`level_groups`).
    """
    groups = (level_groups(levels) if isinstance(levels, pd.DataFrame) else levels).get(indicator_code)
    if not groups:
        return _LEVEL_UNKNOWN
    parts = []
    for (comp, level), yrs in groups.items():
        number = vnformat.fmt_number(level, 2, trim=True) + (vnformat.unit_suffix(unit_label) if unit_label == "%" else "")
        text = f"{comp} {number}"
        if sorted(yrs) != sorted(years) or len(groups) > 1:
            text += f" ({_years_text(yrs)})"
        parts.append(text)
    return "; ".join(parts)


def level_groups(levels: pd.DataFrame) -> dict[str, dict[tuple[str, float], list[int]]]:
    """``{indicator_code: {(comparison, level): [year, ...]}}`` from :func:`nrlib.resolve_levels` output."""
    out: dict[str, dict[tuple[str, float], list[int]]] = {}
    for code, comp, level, year in zip(levels["indicator_code"], levels["comparison"], levels["level"], levels["year"]):
        out.setdefault(code, {}).setdefault((comp, float(level)), []).append(int(year))
    return out
