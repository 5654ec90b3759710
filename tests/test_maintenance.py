"""Maintenance classes on the hand-made dataset: see the table in tests/fixtures_analysis.py."""

import dataclasses

import pandas as pd
from fixtures_analysis import A, B, C, D, make_dataset

from nrlib.analysis import maintenance


def _row(cls, unit, crit):
    return cls[(cls["unit_code"] == unit) & (cls["criterion_no"] == crit)].iloc[0]


def test_classes_by_hand():
    cls = maintenance.classify_maintenance(make_dataset())
    got = {(r.unit_code, r.criterion_no): r.maintenance_class for r in cls.itertuples()}
    assert got == {
        (A, 10): "kept", (A, 11): "gained", (A, 15): "lost_and_regained", (A, 17): "lost",
        (B, 10): "never", (B, 11): "kept", (B, 15): "kept", (B, 17): "no_data",
        (C, 10): "kept", (C, 11): "kept", (C, 15): "gained", (C, 17): "lost_and_regained",
    }


def test_lost_2018_regained_2020_is_lost_and_regained():
    r = _row(maintenance.classify_maintenance(make_dataset()), A, 15)
    assert r.maintenance_class == "lost_and_regained"
    assert (r.first_reached_year, r.lost_year, r.regained_year) == (2016, 2018, 2020)


def test_not_applicable_years_are_never_losses():
    """Dầu Giây: a town from 2019 (and 'not_reached' declared in 2020) keeps what it had in 2016-2018."""
    cls = maintenance.classify_maintenance(make_dataset())
    r = _row(cls, C, 10)
    assert r.maintenance_class == "kept"
    assert pd.isna(r.lost_year)
    assert (r.n_years_applicable, r.n_years_known) == (3, 3)
    c = cls[cls["unit_code"] == C]
    assert not c["lost_year"].dropna().ge(2019).any()


def test_missing_year_is_skipped_and_counted():
    r = _row(maintenance.classify_maintenance(make_dataset()), B, 15)
    assert r.maintenance_class == "kept" and r.n_years_missing == 1 and r.n_years_known == 4


def test_first_and_lost_years():
    cls = maintenance.classify_maintenance(make_dataset())
    assert _row(cls, A, 11).first_reached_year == 2018
    r = _row(cls, A, 17)
    assert (r.lost_year, pd.isna(r.regained_year)) == (2020, True)
    assert pd.isna(_row(cls, B, 10).first_reached_year)


def test_never_applicable_and_no_data():
    ds = make_dataset(with_missing_unit=True)
    cls = maintenance.classify_maintenance(ds)
    assert set(cls.loc[cls["unit_code"] == D, "maintenance_class"]) == {"no_data"}
    # a town for the whole period: not_applicable, whatever it declared
    ds.unit_years.loc[ds.unit_years["unit_code"] == C, "ntm_applies"] = False
    cls = maintenance.classify_maintenance(ds)
    assert set(cls.loc[cls["unit_code"] == C, "maintenance_class"]) == {"not_applicable"}


def test_summary_by_hand():
    s = maintenance.maintenance_summary(make_dataset()).set_index("unit_code")
    cols = ["kept", "gained", "lost", "lost_and_regained", "never", "not_applicable", "no_data"]
    assert s.loc[A, cols].tolist() == [1, 1, 1, 1, 0, 0, 0]
    assert s.loc[B, cols].tolist() == [2, 0, 0, 0, 1, 0, 1]
    assert s.loc[C, cols].tolist() == [2, 1, 0, 1, 0, 0, 0]


def test_criteria_at_risk_by_hand():
    r = maintenance.criteria_at_risk(make_dataset())
    assert r["criterion_no"].tolist() == [17, 15, 10, 11]
    top = r.iloc[0]
    assert (top.n_units_lost, top.n_units_lost_and_regained, top.n_units_at_risk) == (1, 1, 2)
    assert top.years_lost == "2017, 2020"       # C lost it in 2017, A in 2020
    assert r.iloc[1].years_lost == "2018" and r.iloc[1].n_units_at_risk == 1
    assert r.iloc[2].n_units_at_risk == 0 and r.iloc[2].years_lost == ""
    assert top.criterion_name == "Môi trường và an toàn thực phẩm"


# --------------------------------------------------------------------------- property test
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SYMBOLS = {"R": "reached", "N": "not_reached", "a": "not_applicable", "-": None}


def _reference_class(seq):
    """The module docstring's definition, written the plain way: seq of 'R', 'N', 'a', '-', 'T' (town year).

    'a' is "Không áp dụng" declared in a year the criteria apply (a xã's year): nothing known, like '-'.
    """
    if all(s == "T" for s in seq):
        return "not_applicable", None, None
    known = [(i, s) for i, s in enumerate(seq) if s in "RN"]
    if not known:
        return "no_data", None, None
    losses = [i for (i, s), (_, p) in zip(known[1:], known[:-1]) if s == "N" and p == "R"]
    lost = losses[0] if losses else None
    regained = next((i for i, s in known if s == "R" and lost is not None and i > lost), None)
    first, last = known[0][1], known[-1][1]
    if last == "R":
        cls = "lost_and_regained" if losses else ("gained" if first == "N" else "kept")
    else:
        cls = "lost" if any(s == "R" for _, s in known) else "never"
    return cls, lost, regained


_BASE = make_dataset()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="RNa-T", min_size=5, max_size=5), min_size=1, max_size=6))
def test_classes_match_the_plain_definition(seqs):
    """Random status sequences (T: a town year, whatever was declared) against the definition."""
    years = [2016, 2017, 2018, 2019, 2020]
    codes = [f"9{i:04d}" for i in range(len(seqs))]
    units = _BASE.units.iloc[[0] * len(seqs)].assign(unit_code=codes).reset_index(drop=True)
    unit_years = pd.DataFrame([{"unit_code": c, "year": y, "name": "x", "unit_type": "xa", "ntm_applies": s[i] != "T"}
                               for c, s in zip(codes, seqs) for i, y in enumerate(years)])
    # a town year declares "reached": it must be ignored, not counted
    status = pd.DataFrame([{"unit_code": c, "year": y, "criterion_no": 10, "submission_id": 1,
                            "status": _SYMBOLS.get(s[i], "reached")}
                           for c, s in zip(codes, seqs) for i, y in enumerate(years)])
    ds = dataclasses.replace(_BASE, units=units, unit_years=unit_years, criteria_status=status)
    cls = maintenance.classify_maintenance(ds)
    cls = cls[cls["criterion_no"] == 10].set_index("unit_code")
    for c, s in zip(codes, seqs):
        expected, lost, regained = _reference_class(s)
        row = cls.loc[c]
        assert row.maintenance_class == expected, s
        assert (None if pd.isna(row.lost_year) else row.lost_year) == (None if lost is None else years[lost]), s
        assert (None if pd.isna(row.regained_year) else row.regained_year) == (
            None if regained is None else years[regained]), s
