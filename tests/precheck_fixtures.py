"""Shared by the pre-check tests (test_precheck.py, test_extents.py): a workbook with one sheet replaced, a refusal."""

from __future__ import annotations

import pytest
from hostile.builders import VANDONG_PART, replace_parts, sheet_xml

from nrlib.exceptions import WorkbookReadError
from nrlib.intake.limits import Limits
from nrlib.intake.precheck import check_file

#: limits small enough to reach with a few cells
SMALL = Limits(max_rows=100, max_columns=20, max_cells=1000)


def with_sheet(books, tmp_path, rows_xml: bytes, name="t.xlsx", prolog=b"") -> object:
    """``books.good`` with its VanDong sheet's rows replaced by ``rows_xml``."""
    return replace_parts(books.good, tmp_path / name, {VANDONG_PART: sheet_xml(rows_xml, prolog)})


def refused(path, limits=None) -> WorkbookReadError:
    """The refusal :func:`check_file` raises for ``path`` (the test fails if there is none)."""
    with pytest.raises(WorkbookReadError) as exc:
        check_file(path, limits)
    return exc.value
