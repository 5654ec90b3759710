"""Sample partners' workbooks (DỮ LIỆU MẪU): the coordination office's and the culture committee's tables for
the sample district, built from the communes' sample (:func:`nrlib.workbooks.sample.generate`) with a few
deliberate differences, so the reports' side-by-side has something to show.

The official figures are the communes' own declarations except:

* **criteria** — the unit that declared a criterion "Đạt" below its known level (role
  ``declared_below_level``, the middle year) is "Chưa đạt" for that criterion and year in the office's table; the unit that reached a criterion during the period (role ``gained``) reached it a year later
  by the office's table; the unit that did not send its report (role ``missing``) has no row filled (the office
  has not reviewed it either), so its absence stays what it was;
* **recognitions** — a xã is recognised "đạt chuẩn nông thôn mới" in the first year it reaches every criterion
  by the office's table (decision numbers and dates invented, as all sample data);
* **culture** — the unit of role ``lost_and_regained`` has 5 % fewer cultural families in the committee's table
  in the last year but one, and the unit of role ``lost`` one cultural hamlet fewer in the last year.

Deterministic: the same district and seed give the same workbooks.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from nrlib.core.vocab import NOT_REACHED, REACHED
from nrlib.reference import Outline, load_outline, load_partners, load_units
from nrlib.workbooks.partner import partner_filename, write_partner_workbook
from nrlib.workbooks.sample import MANIFEST_NAME, ROLE_CRITERIA, data_note, generate, working_day_before

#: the folder of a sample's partners' workbooks, beside the communes' (its own received.csv)
PARTNER_FOLDER = "partners"
#: the outline metric of each count of the culture committee's table is read from the layout
_CULTURE_FAMILY_SHARE = 0.95


def partner_sample_content(district_code: str | int, seed: int = 2021, outline: Outline | None = None
                           ) -> dict[str, dict]:
    """``{partner: content}`` in the format of :func:`nrlib.workbooks.partner.write_partner_workbook`."""
    outline = outline or load_outline()
    units = load_units(district_code)
    contents, _, _, roles = generate(units, seed, outline)
    years = outline.years
    criteria = {}
    for code, c in contents.items():
        if code == roles.get("missing"):
            continue
        for (no, y), status in c.get("criteria", {}).items():
            if status in (REACHED, NOT_REACHED):
                criteria[(code, y, int(no))] = status
    _differ_criteria(criteria, roles, years)
    recognitions = {}
    n = 0
    for code in sorted({k[0] for k in criteria}):
        for y in years:
            row = [criteria.get((code, y, no)) for no in range(1, 20)]
            if all(s == REACHED for s in row):
                n += 1
                recognitions[(code, "ntm")] = {"year": y, "decision_no": f"{100 + 7 * n}/QĐ-UBND",
                                               "decision_date": dt.date(y, 12, 15)}
                break
    partners = load_partners()
    metric_of = {c["key"]: c["metric"] for c in partners.counts_columns("culture")}
    counts = {}
    for code, c in contents.items():
        if code == roles.get("missing"):
            continue
        values = c.get("values", {})
        for key, metric in metric_of.items():
            for y in years:
                v = values.get((metric, y))
                if isinstance(v, (int, float)):
                    counts[(code, y, key)] = int(round(v))
    _differ_counts(counts, roles, years, metric_of)
    info = {"preparer": "Cán bộ mẫu", "position": "Chuyên viên", "report_date": working_day_before(
        outline, outline.deadline, 3)}
    return {"coordination": {"info": info, "criteria": criteria, "recognitions": recognitions},
            "culture": {"info": info, "counts": counts}}


def _differ_criteria(criteria: dict, roles: dict, years: list[int]) -> None:
    # the criterion the sample's commune declares "Đạt" below its level, in the middle year (the sample's own)
    below, no = roles.get("declared_below_level"), int(str(ROLE_CRITERIA["declared_below_level"]).split(".")[0])
    middle = years[len(years) // 2]
    if criteria.get((below, middle, no)) == REACHED:
        criteria[(below, middle, no)] = NOT_REACHED
    gained, no = roles.get("gained"), int(ROLE_CRITERIA["gained"])
    first = next((y for y in years[1:] if criteria.get((gained, y, no)) == REACHED
                  and criteria.get((gained, y - 1, no)) == NOT_REACHED), None)
    if first is not None:
        criteria[(gained, first, no)] = NOT_REACHED


def _differ_counts(counts: dict, roles: dict, years: list[int], metric_of: dict) -> None:
    fam = roles.get("lost_and_regained")
    key = next(k for k, m in metric_of.items() if m == "VD15")
    if (fam, years[-2], key) in counts:
        counts[(fam, years[-2], key)] = int(counts[(fam, years[-2], key)] * _CULTURE_FAMILY_SHARE)
    lost = roles.get("lost")
    key = next(k for k, m in metric_of.items() if m == "VD17")
    if counts.get((lost, years[-1], key), 0) >= 1:
        counts[(lost, years[-1], key)] -= 1


def write_partner_sample(out_dir: str | Path, district_code: str | int, seed: int = 2021,
                         outline: Outline | None = None) -> list[Path]:
    """Write the sample partners' workbooks into ``out_dir`` and its ``received.csv`` (received on the deadline)."""
    outline = outline or load_outline()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    banner = data_note(outline)
    paths, rows = [], []
    for key, content in partner_sample_content(district_code, seed, outline).items():
        path = write_partner_workbook(out_dir / partner_filename(key, district_code), key, district_code,
                                      content=content, banner=banner, outline=outline)
        paths.append(path)
        rows.append({"file_name": path.name, "unit_code": "", "received_date": outline.deadline.isoformat()})
    with open(out_dir / MANIFEST_NAME, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file_name", "unit_code", "received_date"])
        w.writeheader()
        w.writerows(rows)
    return paths
