"""Report parameters: checked in the first cell after papermill's, before any work.

A report notebook declares its parameters in a cell tagged ``parameters``
(papermill's convention); papermill injects the caller's values in a cell of
its own right after it. :func:`check` then runs in the notebook's next cell
and stops the run at once, with a message in Vietnamese and English, when:

* a parameter name is unknown. papermill only *warns* ("Passed unknown
  parameter") and runs on, so a misspelt ``-p unit_cod 26308`` would
  silently render the default unit. Method: the injected cell is found in the
  kernel's input history (IPython's ``In`` list: papermill's cell starts with
  its comment line ``# Parameters``), its assignments are read with ``ast``
  and compared with the names the report expects. Reading the history, not
  ``globals()``, means an analyst re-running cells in JupyterLab (where later
  cells have defined more names) gets no false alarm;
* a code is not in the unit registry. Codes stay strings: papermill's CLI
  turns ``-p unit_code 01001`` into the int ``1001``, so ints are zero-padded
  back (5 digits for units, 3 for districts);
* the store is missing.

Each report kind's parameter names are listed once here
(:data:`REPORT_PARAMETERS`); a test keeps the notebooks' parameter cells in
step with it.
"""

from __future__ import annotations

import ast
import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Mapping

from nrlib import config
from nrlib.core.vnformat import parse_date
from nrlib.exceptions import NrlibError, StoreError, UnknownDistrictError, UnknownUnitError

#: parameter names of each report notebook, in the order of its parameters cell
REPORT_PARAMETERS: dict[str, tuple[str, ...]] = {
    "unit": ("unit_code", "db_path", "deadline", "include_personal_data"),
    "district": ("district_code", "db_path", "deadline", "include_personal_data"),
}

#: widths of GSO codes
CODE_WIDTH = {"unit": 5, "district": 3}

#: first line of the cell papermill injects (its translator's comment "Parameters")
INJECTED_MARKER = "# Parameters"


class ParameterError(NrlibError, ValueError):
    """A report parameter is unknown or has a value that cannot be used."""


@dataclass(frozen=True)
class ReportParameters:
    """The checked parameters of one report run.

    ``code`` is the unit code (unit report) or the district code (district
    report); ``district_code`` is filled for both (a unit's district comes
    from the registry).
    """

    kind: str
    code: str
    district_code: str
    unit_code: str | None
    db_path: Path
    deadline: dt.date | None
    include_personal_data: bool

    def as_record(self) -> dict[str, Any]:
        """JSON-ready dict, as recorded with the report."""
        d = asdict(self)
        d["db_path"] = str(self.db_path)
        d["deadline"] = self.deadline.isoformat() if self.deadline else None
        return d


def normalise_code(value: Any, width: int, what: str = "đơn vị/unit") -> str:
    """A GSO code as a zero-padded string of ``width`` digits.

    Accepts ``"26308"``, ``26308``, ``1001`` (papermill's reading of
    ``01001``: padded back to ``"01001"``) and an integral float; rejects
    anything else (bools, negative numbers, letters, too many digits).
    """
    if isinstance(value, bool) or value is None:
        raise ParameterError(_bad_code(value, width, what))
    if isinstance(value, float):
        if not value.is_integer():
            raise ParameterError(_bad_code(value, width, what))
        value = int(value)
    if isinstance(value, int):
        if value < 0:
            raise ParameterError(_bad_code(value, width, what))
        value = str(value)
    if not isinstance(value, str):
        raise ParameterError(_bad_code(value, width, what))
    s = value.strip()
    if not s.isascii() or not s.isdigit() or len(s) > width:
        raise ParameterError(_bad_code(value, width, what))
    return s.zfill(width)


def _bad_code(value: Any, width: int, what: str) -> str:
    vi, _, en = what.partition("/")
    return (f"mã {vi} không hợp lệ: {value!r} (cần tối đa {width} chữ số) / "
            f"invalid {en or vi} code {value!r}: expected up to {width} digits")


def parse_flag(value: Any, name: str) -> bool:
    """A yes/no parameter: a bool, 0/1, or the words true/false/yes/no/có/không."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        s = value.strip().lower()
        if s in ("true", "1", "yes", "có", "co"):
            return True
        if s in ("false", "0", "no", "không", "khong", ""):
            return False
    raise ParameterError(f"tham số {name} phải là True hoặc False, nhận được {value!r} / "
                         f"parameter {name} must be True or False, got {value!r}")


def parse_deadline(value: Any) -> dt.date | None:
    """``None`` (the outline's deadline), a date, ``"2021-02-18"`` or ``"18/02/2021"`` (:func:`nrlib.core.vnformat.parse_date`)."""
    try:
        return parse_date(value)
    except (ValueError, TypeError):
        raise ParameterError(f"hạn nộp (deadline) không hợp lệ: {value!r} (cần dạng 18/02/2021 hoặc 2021-02-18) / "
                             f"invalid deadline {value!r}: expected 18/02/2021 or 2021-02-18") from None


def injected_names(namespace: Mapping[str, Any]) -> list[str] | None:
    """Names papermill injected in this kernel, or ``None`` when it injected none.

    Method: scan IPython's input history (``In``, newest first) for the
    latest cell starting with :data:`INJECTED_MARKER` and collect the names
    its top-level assignments bind.
    """
    history = namespace.get("In")
    if not isinstance(history, list):
        return None
    for source in reversed(history):
        if isinstance(source, str) and source.lstrip().startswith(INJECTED_MARKER):
            return _assigned_names(source)
    return None


def _assigned_names(source: str) -> list[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names: list[str] = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for t in targets:
            for n in ast.walk(t):
                if isinstance(n, ast.Name) and n.id not in names:
                    names.append(n.id)
    return names


def check_names(names: list[str] | None, kind: str) -> None:
    """Raise :class:`ParameterError` naming every unknown parameter in ``names``."""
    expected = REPORT_PARAMETERS[kind]
    unknown = [n for n in (names or []) if n not in expected]
    if unknown:
        listed = ", ".join(unknown)
        valid = ", ".join(expected)
        raise ParameterError(
            f"tham số không xác định: {listed} (các tham số hợp lệ: {valid}) / "
            f"unknown parameter(s): {listed} (expected: {valid})")


def resolve_db_path(db_path: Any) -> Path:
    """The store's path (``None``: the default store), which must exist (or its snapshot, see :mod:`nrlib.store.snapshot`)."""
    from nrlib.store.snapshot import source_of

    path = config.default_db_path() if db_path in (None, "") else Path(str(db_path)).expanduser()
    if not source_of(path).is_file():
        raise StoreError(
            f"không tìm thấy kho dữ liệu {path}: hãy nhập (ingest) các biểu mẫu trước / "
            f"store not found: {path}; ingest the workbooks first (nrlib ingest) or pass db_path")
    return path.resolve()


def check(namespace: dict[str, Any], kind: str) -> ReportParameters:
    """Check a report notebook's parameters; stop the run with a clear message if any is wrong.

    Call it in the first cell after the parameters cell, with ``globals()``.
    Codes found in ``namespace`` are rewritten there as zero-padded strings.

    Parameters
    ----------
    namespace : dict
        The notebook's globals: the parameters cell's names, papermill's
        injected values and IPython's ``In`` history.
    kind : {'unit', 'district'}

    Returns
    -------
    ReportParameters

    Raises
    ------
    ParameterError
        Unknown parameter name, bad code format, bad deadline or flag.
    UnknownUnitError, UnknownDistrictError
        The code is not in the unit registry.
    StoreError
        The store file does not exist.
    """
    from nrlib.reference import find_unit, load_units

    if kind not in REPORT_PARAMETERS:
        raise ValueError(f"kind must be one of {sorted(REPORT_PARAMETERS)}, not {kind!r}")
    check_names(injected_names(namespace), kind)
    missing = [n for n in REPORT_PARAMETERS[kind] if n not in namespace]
    if missing:
        raise ParameterError(f"thiếu tham số: {', '.join(missing)} / missing parameter(s): {', '.join(missing)}")
    if kind == "unit":
        unit_code = normalise_code(namespace["unit_code"], CODE_WIDTH["unit"], "đơn vị/unit")
        unit = find_unit(unit_code)  # UnknownUnitError, bilingual
        district_code = unit["district_code"]
        namespace["unit_code"] = unit_code
        code = unit_code
    else:
        unit_code = None
        district_code = normalise_code(namespace["district_code"], CODE_WIDTH["district"], "huyện/district")
        load_units(district_code)  # UnknownDistrictError, bilingual
        namespace["district_code"] = district_code
        code = district_code
    deadline = parse_deadline(namespace["deadline"])
    personal = parse_flag(namespace["include_personal_data"], "include_personal_data")
    db_path = resolve_db_path(namespace["db_path"])
    return ReportParameters(kind=kind, code=code, district_code=district_code, unit_code=unit_code,
                            db_path=db_path, deadline=deadline, include_personal_data=personal)


def load_report_dataset(params: ReportParameters):
    """The dataset a report is computed from: the store's district, checked against the parameters.

    Method: :func:`nrlib.store.load_dataset` for the parameters' district
    (or the same dataset already read by a warm kernel's template while the
    store file is unchanged, :mod:`nrlib.reports.warmstart`); the deadline parameter, when given, replaces the outline's. A unit or
    district that is in the registry but of which the store holds no
    submission at all is an error (:class:`~nrlib.UnknownUnitError`,
    :class:`~nrlib.UnknownDistrictError`), not an empty report; a unit of a
    district that is in the store but sent nothing gets its report (saying so).
    """
    import dataclasses

    from nrlib.reports.warmstart import preloaded_dataset
    from nrlib.store import load_dataset
    from nrlib.store.snapshot import source_of

    # a warm kernel finds the district already read by its template (nrlib.reports.warmstart); on a
    # cluster worker the store is read from its snapshot (nrlib.store.snapshot)
    ds = preloaded_dataset(params.db_path, params.district_code)
    if ds is None:
        source = source_of(params.db_path)
        ds = load_dataset(source, district_code=params.district_code)
        if source != params.db_path:
            ds.meta["db_path"] = str(params.db_path)
    codes = set(ds.units["unit_code"])
    if ds.submissions.empty:  # the registry knows the district, the store has nothing from it
        where = f"đơn vị {params.unit_code}" if params.kind == "unit" else f"huyện {params.district_code}"
        what = f"unit {params.unit_code}" if params.kind == "unit" else f"district {params.district_code}"
        error = UnknownUnitError if params.kind == "unit" else UnknownDistrictError
        raise error(f"{where}: kho dữ liệu {params.db_path} không có biểu mẫu nào của huyện {params.district_code} / "
                    f"{what} is not in the store {params.db_path}: no submission from district {params.district_code}")
    if params.kind == "unit" and params.unit_code not in codes:
        raise UnknownUnitError(
            f"đơn vị {params.unit_code} không có trong kho dữ liệu {params.db_path} / "
            f"unit {params.unit_code} is not in the store {params.db_path}")
    if params.deadline is not None:
        ds = dataclasses.replace(ds, deadline=params.deadline)
    return ds
