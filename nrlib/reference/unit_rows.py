"""One district's units as plain rows, without pandas: what ``nrlib status`` needs of the registry.

The same rows as :func:`nrlib.reference.units.load_units` (a dict per unit, the keys
:data:`nrlib.reference.units.UNIT_COLUMNS`), from the same vendored list: the review's
(:func:`nrlib.reference.registry.default_vintage`), read here with the ``csv`` module
and the manifest ``units/sources.yaml``; the type's label from ``unit_types.csv``, the region from
``regions.csv`` (lists before the 2025 reorganisation only).
"""

from __future__ import annotations

import datetime as dt
import functools

from nrlib import config
from nrlib.exceptions import UnknownDistrictError
from nrlib.reference.files import read_csv_rows, reference_file

#: the keys of a row (:data:`nrlib.reference.units.UNIT_COLUMNS`; a test checks they agree)
UNIT_KEYS = ("unit_code", "name", "unit_type", "unit_type_label", "district_code", "district_name", "province_code",
             "province_name", "region_code", "region_name", "vintage")


@functools.lru_cache(maxsize=4)
def _manifest(path: str, mtime: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        return config.load_yaml(fh)


def _default_vintage(manifest: dict) -> str:
    named = config.review_entry().get("registry_vintage")
    if named not in (None, "") and any(str(v["vintage"]) == str(named) for v in manifest["vintages"]):
        return str(named)
    if named not in (None, ""):     # the same refusal as registry.check_vintage, from the module that has the words
        from nrlib.reference.registry import check_vintage

        return check_vintage(str(named))
    from nrlib.reference.outline import outline_deadline

    deadline = outline_deadline()
    dated = sorted(str(v["vintage"]) for v in manifest["vintages"] if dt.date.fromisoformat(str(v["vintage"])) <= deadline)
    if not dated:      # the same refusal as registry.vintage_on, from the module that has the words for it
        from nrlib.reference.registry import vintage_on

        return vintage_on(deadline)
    return dated[-1]


def unit_rows(district_code: int | str) -> list[dict]:
    """The units of a district in the review's list, sorted by unit code; :class:`UnknownDistrictError` as
    :func:`~nrlib.reference.units.load_units` raises it."""
    s = str(district_code).strip()
    if not (s.isdigit() and s.isascii()):
        raise UnknownDistrictError(f"mã huyện/district không hợp lệ: {district_code!r} (cần một số) / invalid "
                                   f"huyện/district code {district_code!r}: expected digits")
    code = str(int(s)).zfill(3)
    path = reference_file("unit_registry")
    manifest = _manifest(str(path), path.stat().st_mtime)
    vintage = _default_vintage(manifest)
    entry = next(v for v in manifest["vintages"] if str(v["vintage"]) == vintage)
    rows = [r for r in read_csv_rows(str(path.parent / entry["file"])) if r["district_code"] == code]
    if not rows:
        raise UnknownDistrictError(
            f"không tìm thấy huyện có mã {district_code} trong danh mục ngày "
            f"{dt.date.fromisoformat(vintage):%d/%m/%Y} / no district with GSO code {district_code!r} in the unit "
            f"list of {vintage}")
    labels = {t["unit_type"]: t["label"] for t in read_csv_rows(str(reference_file("unit_types")))}
    pre = dt.date.fromisoformat(vintage) < dt.date.fromisoformat(str(manifest["crosswalk"]["to_vintage"]))
    regions = {r["province_code"]: r for r in read_csv_rows(str(reference_file("regions")))} if pre else {}
    out = []
    for r in rows:
        if not r["unit_code"]:
            continue                      # a district without units (an island district): its one blank row
        reg = regions.get(r["province_code"], {})
        out.append({**{k: r[k] for k in ("unit_code", "name", "unit_type")},
                    "unit_type_label": labels.get(r["unit_type"], ""),
                    **{k: r[k] for k in ("district_code", "district_name", "province_code", "province_name")},
                    "region_code": reg.get("region_code") or None, "region_name": reg.get("region_name") or None,
                    "vintage": vintage})
    return sorted(out, key=lambda r: r["unit_code"])
