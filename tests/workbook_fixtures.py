"""Shared by the workbook and layout tests (test_workbook, test_layout): district 738's templates.

``templates`` is the folder written by ``nrlib template --district 738``;
``gia_kiem`` is Xã Gia Kiệm's template opened with openpyxl. A test module
gets them by importing the fixtures (``gia_kiem`` needs ``templates`` too).
"""

from __future__ import annotations

import openpyxl
import pytest

import nrlib
from nrlib.cli import main


@pytest.fixture(scope="module")
def outline():
    return nrlib.load_outline()


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    out = tmp_path_factory.mktemp("templates")
    assert main(["template", "--district", "738", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def gia_kiem(templates):
    return openpyxl.load_workbook(templates / "26308_gia-kiem.xlsx")
