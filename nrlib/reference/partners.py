"""The partners' review tables: the layouts of the coordination office's and the culture steering committee's
workbooks, read from ``data/reference/partners_2016_2020.yaml``.

A *partner* is a body of the district whose annual tables are the authoritative figures for what it decides
(the new-rural coordination office: the official status of each criterion and the recognitions; the steering
committee of "Toàn dân đoàn kết xây dựng đời sống văn hóa": cultural families and hamlets). Each partner has a
``form_code`` (what its workbook's ThongTin states, and how a received workbook is recognised as a partner's)
and a ``layout_version``. The columns of the criteria sheet are the criteria set's (one per criterion), so a
criteria set of another period changes the workbook without a change here.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from pathlib import Path

from nrlib import config
from nrlib.exceptions import ReferenceDataError
from nrlib.reference.files import reference_file

#: the sheet kinds a partner layout may use: one row per unit and year (``criteria``, ``counts``) or per unit
#: and title (``recognitions``)
SHEET_KINDS = ("criteria", "recognitions", "counts")


@dataclass(frozen=True)
class Partners:
    """The partners' layouts: ``raw`` is the YAML as read; :meth:`partner` one partner's entry."""

    raw: dict
    path: Path

    @property
    def keys(self) -> list[str]:
        return list(self.raw["partners"])

    def partner(self, key: str) -> dict:
        try:
            return self.raw["partners"][key]
        except KeyError:
            raise ReferenceDataError(f"unknown partner {key!r}; known: {', '.join(self.keys)}") from None

    def by_form_code(self, code: str | None) -> str | None:
        """The partner whose ``form_code`` this is (None when none is)."""
        for key, p in self.raw["partners"].items():
            if code is not None and str(code).strip().upper() == p["form_code"].upper():
                return key
        return None

    @property
    def info(self) -> dict:
        return self.raw["info_sheet"]

    @property
    def identity_columns(self) -> list[dict]:
        return self.raw["identity_columns"]

    def choices(self, name: str) -> list[dict]:
        return self.raw["choices"][name]

    def choice_label(self, name: str, value: str) -> str:
        return next(c["label"] for c in self.choices(name) if c["value"] == value)

    def sheets(self, key: str) -> list[dict]:
        return self.partner(key)["sheets"]

    def counts_columns(self, key: str) -> list[dict]:
        """The count columns of a partner's ``counts`` sheet (empty when it has none)."""
        return [c for s in self.sheets(key) if s["kind"] == "counts" for c in s["columns"] if c.get("metric")]


def criteria_columns(criteria) -> list[dict]:
    """One column per criterion of the criteria set: ``{key: criterion_no, label: "TC1. Quy hoạch"}``."""
    crit = criteria.drop_duplicates("criterion_no").sort_values("criterion_no")
    return [{"key": int(r.criterion_no), "label": f"TC{int(r.criterion_no)}. {r.criterion_name}", "width": 9,
             "criterion": True} for r in crit.itertuples()]


@functools.lru_cache(maxsize=4)
def _read(path: str, mtime: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        return config.load_yaml(fh)


def load_partners(path: str | Path | None = None) -> Partners:
    """The partners' layouts (:class:`Partners`), checked: every entry with a known source, known sheet kinds,
    one form code per partner."""
    import yaml

    path = Path(path) if path else reference_file("partners")
    try:
        raw = copy.deepcopy(_read(str(path), path.stat().st_mtime))
    except (OSError, yaml.YAMLError) as exc:
        raise ReferenceDataError(f"cannot read the partners' layouts {path}: {exc}") from exc
    _check(raw, path)
    return Partners(raw=raw, path=path)


def _check(raw: dict, path: Path) -> None:
    sources = set(raw.get("sources") or {})
    problems = []

    def sourced(item: dict, where: str) -> None:
        if item.get("source") not in sources:
            problems.append(f"{where}: source {item.get('source')!r} is not one of {sorted(sources)}")

    for f in raw["info_sheet"]["fields"]:
        sourced(f, f"info field {f['key']}")
    codes = set()
    for key, p in raw["partners"].items():
        sourced(p, f"partner {key}")
        if p["form_code"] in codes:
            problems.append(f"partner {key}: form code {p['form_code']} used twice")
        codes.add(p["form_code"])
        for s in p["sheets"]:
            sourced(s, f"partner {key} sheet {s['name']}")
            if s["kind"] not in SHEET_KINDS:
                problems.append(f"partner {key} sheet {s['name']}: kind {s['kind']!r} not in {SHEET_KINDS}")
            for c in s.get("columns", []):
                sourced(c, f"partner {key} sheet {s['name']} column {c['key']}")
    if problems:
        raise ReferenceDataError(f"{path}: " + "; ".join(problems))
