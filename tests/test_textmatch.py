"""Tolerant matching of typed labels and ASCII slugs."""

import unicodedata

import pytest

from nrlib.core.textmatch import build_lookup, match_key, slugify


@pytest.mark.parametrize("typed", ["Đạt", "Dat", "đạt", " ĐẠT ", "dạt", unicodedata.normalize("NFD", "Đạt"), "Đạt\u00a0"])
def test_choice_variants_match(typed):
    lookup = build_lookup({"Đạt": "reached", "Chưa đạt": "not_reached", "Không áp dụng": "not_applicable"})
    assert lookup[match_key(typed)] == "reached"


def test_inner_spaces_collapse():
    assert match_key("Chưa   đạt") == match_key("chua dat")


def test_colliding_labels_are_refused():
    with pytest.raises(ValueError):
        build_lookup({"Đạt": 1, "Dat": 2})


@pytest.mark.parametrize("name, slug", [
    ("Gia Kiệm", "gia-kiem"), ("Dầu Giây", "dau-giay"), ("Lộ 25", "lo-25"),
    ("../../etc/passwd", "etc-passwd"), ("-rf", "rf"), ("", "x"), ("***", "x"), ("Đ", "d"),
    ("Xã Gia Kiệm", "xa-gia-kiem"), ("Thị trấn Dầu Giây", "thi-tran-dau-giay"), ("Huyện Thống Nhất", "huyen-thong-nhat"),
    ("../../etc/passwd <script>", "etc-passwd-script"), ("Xã " + "Rất Dài " * 20, ("xa-" + "rat-dai-" * 20)[:60].rstrip("-")),
])
def test_slugify_is_ascii_and_safe(name, slug):
    assert slugify(name) == slug


def test_invisible_characters_do_not_count_and_are_shown_when_they_matter():
    from nrlib.core.textmatch import show_invisible, strip_invisible

    pasted = "Đạt\u200b"                                    # a zero-width space pasted from a chat
    assert match_key(pasted) == match_key("Đạt") and strip_invisible("\ufeff26308\u2060") == "26308"
    assert show_invisible(pasted) == "Đạt⟨U+200B⟩" and show_invisible("\u202eabc") == "⟨U+202E⟩abc"
