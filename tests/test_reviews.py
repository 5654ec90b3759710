"""A review is data (``data/reference/reviews.yaml``): `nrlib reviews` lists them, `--review` picks one.

The review decides which outline, criteria set, scoring table and unit list
every reader opens; the outline files state years, deadline and criteria set
too, and must agree with their review.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nrlib import config
from nrlib.exceptions import ConfigError
from nrlib.reference.reviews import current_review, list_reviews, reviews_text

ROOT = Path(__file__).resolve().parents[1]
NRLIB = [sys.executable, "-m", "nrlib"]


def _yaml(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return config.load_yaml(fh)


def test_every_review_agrees_with_its_outlines_and_names_files_that_exist():
    from nrlib.reference.outline import load_outline
    from nrlib.reference.registry import check_vintage

    reviews = list_reviews()
    assert reviews and [r.id for r in reviews].count(config.load_reviews()["default"]) == 1
    for r in reviews:
        for role, name in r.files.items():
            assert (config.reference_dir() / name).is_file(), (r.id, role, name)
        newest = load_outline(config.reference_dir() / r.files["outline"])
        for role, name in r.files.items():
            if role.startswith("outline"):
                o = load_outline(config.reference_dir() / name)
                assert o.years == r.years, (r.id, name)
                assert o.deadline == r.deadline, (r.id, name)
                assert f"{o.raw['criteria_set']}.csv" == r.files["criteria"], (r.id, name)
        assert newest.raw["title"] == r.title
        if r.registry_vintage:
            assert check_vintage(r.registry_vintage) == r.registry_vintage
            assert r.registry_vintage <= r.deadline.isoformat()


def test_the_default_review_is_the_one_in_use_and_its_files_are_the_reference_files():
    r = current_review()
    assert r.id == config.load_reviews()["default"] == config.review_id()
    for role in ("outline", "criteria", "scoring"):
        assert config.reference_path(role) == config.reference_dir() / r.files[role]
    roles = list(config.reference_roles())
    assert roles[0] == "outline"                  # the newest outline first: templates follow it
    assert {"outline_v1", "levels", "unit_registry"} <= set(roles)
    assert "reviews" in {i["role"] for i in config.inputs_record()}
    with pytest.raises(ConfigError, match="no reference file of role"):
        config.reference_path("no-such-role")


def test_nrlib_reviews_lists_them_and_an_unknown_review_stops_every_command(tmp_path):
    out = subprocess.run([*NRLIB, "reviews"], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out == reviews_text() + "\n"
    r = current_review()
    assert f"* {r.id} (mặc định, đang dùng)" in out and "hạn nộp báo cáo: 18/02/2021" in out
    assert "danh mục đơn vị: 03/02/2021" in out and "cấp tổng hợp: huyện" in out
    proc = subprocess.run([*NRLIB, "template", "--review", "khong-co", "--unit", "26308", "--out", str(tmp_path / "t")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert "không có đợt sơ kết 'khong-co'" in proc.stderr and r.id in proc.stderr
    assert not (tmp_path / "t").exists()          # nothing written


@pytest.fixture
def second_review(tmp_path, monkeypatch):
    """A copy of the reference data with a second review: its own outline (another title) and default unchanged."""
    ref = tmp_path / "reference"
    shutil.copytree(config.reference_dir(), ref)
    outline = (ref / "outline_2016_2020_v2.yaml").read_text(encoding="utf-8")
    title = "Sơ kết thử nghiệm Cuộc vận động"
    old = _yaml(ref / "outline_2016_2020_v2.yaml")["title"]
    (ref / "outline_thu_nghiem.yaml").write_text(outline.replace(f"title: {old}", f"title: {title}", 1),
                                                 encoding="utf-8")
    reviews = (ref / "reviews.yaml").read_text(encoding="utf-8")
    entry = reviews[reviews.index("  - id:"):]
    second = (entry.replace("id: so-ket-cvd-ntm-dtvm-2016-2020", "id: thu-nghiem")
              .replace("outline: outline_2016_2020_v2.yaml", "outline: outline_thu_nghiem.yaml")
              .replace(f"title: {old}", f"title: {title}", 1))
    (ref / "reviews.yaml").write_text(reviews + second, encoding="utf-8")
    monkeypatch.setenv("NRLIB_REFERENCE", str(ref))
    monkeypatch.setenv("NRLIB_REVIEW", "")       # blank is unset; teardown restores what was there (use_review writes it)
    return {"ref": ref, "title": title}


def test_review_chosen_by_option_reaches_the_files_a_command_reads(second_review, tmp_path):
    import openpyxl

    env_out = subprocess.run([*NRLIB, "reviews", "--review", "thu-nghiem"], capture_output=True, text=True, cwd=ROOT,
                             check=True).stdout
    assert "* thu-nghiem (đang dùng)" in env_out and "(mặc định)" in env_out
    for review, title in (("thu-nghiem", second_review["title"]), (None, None)):
        out = tmp_path / (review or "default")
        args = [*NRLIB, "template", "--unit", "26308", "--out", str(out)] + (["--review", review] if review else [])
        subprocess.run(args, capture_output=True, text=True, cwd=ROOT, check=True)
        (book,) = out.glob("*.xlsx")
        wb = openpyxl.load_workbook(book, read_only=True)
        text = " ".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(max_row=6, values_only=True)
                        for c in row if c)
        wb.close()
        if title:
            assert title in text
        else:
            assert second_review["title"] not in text and "Sơ kết 05 năm" in text


def test_use_review_sets_it_for_this_process_and_its_children(second_review, monkeypatch):
    entry = config.use_review("thu-nghiem")
    assert entry["id"] == config.review_id() == "thu-nghiem"
    assert config.reference_path("outline").name == "outline_thu_nghiem.yaml"
    child = subprocess.run([sys.executable, "-c", "from nrlib import config; print(config.review_id())"],
                           capture_output=True, text=True, check=True).stdout.strip()
    assert child == "thu-nghiem"
    monkeypatch.setenv("NRLIB_REVIEW", "")
    assert config.review_id() == "so-ket-cvd-ntm-dtvm-2016-2020"


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace("default: so-ket-cvd-ntm-dtvm-2016-2020", "default: khac"), "default 'khac' is not"),
    (lambda t: t + t[t.index("  - id:"):], "listed twice"),
    (lambda t: t.replace("      scoring: scoring_2016_2020.yaml\n", ""), "lacks files.scoring"),
    (lambda t: t.replace("    tier: district\n", ""), "lacks tier"),
])
def test_a_broken_reviews_file_is_refused_with_what_is_wrong(tmp_path, monkeypatch, change, message):
    ref = tmp_path / "reference"
    ref.mkdir()
    text = (config.reference_dir() / "reviews.yaml").read_text(encoding="utf-8")
    (ref / "reviews.yaml").write_text(change(text), encoding="utf-8")
    monkeypatch.setenv("NRLIB_REFERENCE", str(ref))
    with pytest.raises(ConfigError, match=message):
        config.load_reviews()
