"""The synthetic dataset: deterministic, valid against the Dataset contract and the outline's rules."""

import numpy as np
import pandas as pd
import pytest

from nrlib.analysis import campaign, rollup
from nrlib.dataset import COLUMNS
from nrlib.workbooks.synthetic import synthetic_dataset


@pytest.fixture(scope="module")
def ds():
    return synthetic_dataset(n_units=300, n_districts=6, n_provinces=2, seed=1)


def test_deterministic():
    a, b = synthetic_dataset(40, seed=5), synthetic_dataset(40, seed=5)
    for name in COLUMNS:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert not synthetic_dataset(40, seed=6).values.equals(a.values)


def test_shape_and_codes(ds):
    assert len(ds.units) == 300 and ds.units["unit_code"].is_unique
    assert ds.units["district_code"].nunique() == 6 and ds.units["province_code"].nunique() == 2
    assert ds.units.groupby("district_code")["province_code"].nunique().max() == 1
    assert set(ds.units["unit_code"].str.len()) == {5}
    assert len(ds.unit_years) == 300 * 5
    assert ds.is_sample and ds.meta["synthetic"]
    with pytest.raises(ValueError):
        synthetic_dataset(n_units=2, n_districts=3)


def test_towns_conversions_and_missing_submissions(ds):
    uy = ds.unit_years.pivot(index="unit_code", columns="year", values="ntm_applies")
    converted = uy[uy[2016] & ~uy[2020]]
    assert len(converted) >= 6                                    # one per district, like Dầu Giây
    assert (~uy.any(axis=1)).sum() >= 1                           # towns throughout
    sent = set(ds.submissions["unit_code"])
    assert 0 < len(set(ds.units["unit_code"]) - sent) < 60
    current = ds.submissions[ds.submissions["is_current"]]
    assert current["unit_code"].is_unique and (current["status"] == "accepted").all()
    assert set(ds.values["submission_id"]) <= set(current["submission_id"])
    assert (ds.submissions["received_date"] > ds.deadline).any()


def test_values_follow_the_outline_rules(ds):
    m = ds.outline.metrics.set_index("code")
    v = ds.values[ds.values["data_element"].isin(m.index)]
    assert (v["value"] >= 0).all()
    ints = v[v["data_element"].map(m["integer"])]
    assert np.allclose(ints["value"], ints["value"].round())
    wide = v.pivot_table(index=["unit_code", "year"], columns="data_element", values="value")
    for code, bound in m["le_metric"].dropna().items():
        both = wide[[code, bound]].dropna()
        assert (both[code] <= both[bound]).all(), code
    st = ds.criteria_status
    na_years = ds.unit_years.loc[~ds.unit_years["ntm_applies"], ["unit_code", "year"]]
    assert set(st.merge(na_years)["status"]) <= {"not_applicable"}


def test_groups_are_sums_of_units_on_synthetic_data(ds):
    u = campaign.campaign_totals(ds, "unit").merge(ds.units[["unit_code", "district_code", "province_code"]])
    d = rollup.rollup(ds, "district")["campaign_totals"]
    p = rollup.rollup(ds, "province")["campaign_totals"]
    for col in ("value_period", "value_last_year"):
        by_d = u.groupby(["district_code", "code"])[col].sum(min_count=1)
        # (groupby sorts the codes; the roll-up keeps the outline's order)
        pd.testing.assert_series_equal(d.set_index(["district_code", "code"])[col].sort_index(), by_d,
                                       check_names=False, rtol=1e-9)
        from_d = d.merge(ds.units[["district_code", "province_code"]].drop_duplicates()).groupby(
            ["province_code", "code"])[col].sum(min_count=1)
        pd.testing.assert_series_equal(p.set_index(["province_code", "code"])[col].sort_index(), from_d,
                                       check_names=False, rtol=1e-9)
    r = rollup.rollup(ds, "province")["rates"]
    pair = r[(r["code"] == "R_POOR") & (r["year"] == 2020)].iloc[0]
    assert pair["rate"] == pytest.approx(100 * pair["numerator"] / pair["denominator"])


# --- real workbooks for real units (synthetic_units, synthetic_workbooks)

from nrlib.workbooks.synthetic import synthetic_units, synthetic_workbooks  # noqa: E402


def test_synthetic_units_whole_districts_deterministic():
    a = synthetic_units(40, province_code="75", seed=3)
    assert len(a) == 40 and a["unit_code"].is_unique and set(a["province_code"]) == {"75"}
    pd.testing.assert_frame_equal(a, synthetic_units(40, province_code="75", seed=3))
    sizes = a.groupby("district_code").size()
    from nrlib import load_units
    whole = [d for d in sizes.index if sizes[d] == len(load_units(d))]
    assert len(whole) >= len(sizes) - 1  # districts are taken whole; only the last one is cut
    country = synthetic_units(300, seed=1)
    assert len(country) == 300 and country["province_code"].nunique() >= 2
    assert not synthetic_units(300, seed=2)["unit_code"].equals(country["unit_code"])
    with pytest.raises(ValueError):
        synthetic_units(10_000, province_code="75")


def _cells(path):
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def test_synthetic_workbooks_deterministic_and_accepted(tmp_path):
    from nrlib.ingest import ingest_files

    a = synthetic_workbooks(tmp_path / "a", 8, seed=4, province_code="75", versions=2)
    b = synthetic_workbooks(tmp_path / "b", 8, seed=4, province_code="75", versions=2, workers=2)
    names = [p.name for p in a.paths]
    assert names == [p.name for p in b.paths] and len(set(names)) == len(names)
    assert a.manifest.read_text(encoding="utf-8") == b.manifest.read_text(encoding="utf-8")
    for pa, pb in zip(a.paths[:3], b.paths[:3]):
        assert _cells(pa) == _cells(pb)  # same seed, same content cell by cell
    # every unit but each district's missing one, two versions each
    n_districts = a.units["district_code"].nunique()
    assert len(a.paths) == 2 * (8 - n_districts)
    assert any("_v2_" in n for n in names) and all(n.split("_")[0] in set(a.units["unit_code"]) for n in names)
    code = names[0].split("_")[0]
    v1, v2 = (next(p for p in a.paths if p.name.startswith(f"{code}_v{k}_")) for k in (1, 2))
    assert _cells(v1)["VanDong"] != _cells(v2)["VanDong"]  # another seed, other figures for the same unit
    outcomes = ingest_files(a.paths, tmp_path / "store.duckdb", manifest=a.manifest)
    assert [o.outcome for o in outcomes] == ["accepted"] * len(a.paths)
