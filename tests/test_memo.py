"""The per-run cache shares tables between analysis functions without changing any result."""

import pandas as pd
import pytest
from fixtures_analysis import make_dataset

from nrlib.analysis import campaign, maintenance, quality, ranking, results, rollup, scoring, thresholds
from nrlib.analysis import tables as analysis_exports


def test_results_with_and_without_a_cache_are_equal():
    ds = make_dataset(with_missing_unit=True)
    cache = {}
    for fn in (results.criteria_matrix, results.criteria_reached, maintenance.classify_maintenance,
               maintenance.criteria_at_risk, thresholds.threshold_checks, thresholds.declared_vs_measured,
               quality.completeness, quality.quality_flags, ranking.commendation_ranking, campaign.per_household,
               scoring.rule_points, scoring.content_scores, scoring.unit_scores):
        pd.testing.assert_frame_equal(fn(ds, cache=cache), fn(ds))
    for level in ("unit", "district"):
        pd.testing.assert_frame_equal(campaign.campaign_totals(ds, level, cache=cache),
                                      campaign.campaign_totals(ds, level))
        pd.testing.assert_frame_equal(campaign.rates(ds, level, cache=cache), campaign.rates(ds, level))
    with_cache = rollup.rollup(ds, "province", cache=cache)
    for name, table in rollup.rollup(ds, "province").items():
        pd.testing.assert_frame_equal(with_cache[name], table)
    assert "criteria_grid" in cache and "metric_cube" in cache


def test_the_day_count_in_force_is_part_of_the_cache_key(tmp_path, monkeypatch):
    import datetime as dt

    ds = make_dataset()
    ds.submissions.loc[ds.submissions["submission_id"] == 2, "received_date"] = dt.date(2021, 2, 22)
    cache = {}
    assert quality.timeliness_table(ds, cache).set_index("unit_code").loc["26302", "days_late"] == 4
    f = tmp_path / "district_settings.yaml"
    f.write_text("timeliness:\n  count_days: working\n", encoding="utf-8")
    monkeypatch.setenv("NRLIB_DISTRICT_SETTINGS", str(f))
    assert quality.timeliness_table(ds, cache).set_index("unit_code").loc["26302", "days_late"] == 2
    assert scoring.rule_points(ds, cache).set_index(["unit_code", "rule_code"]).loc[("26302", "days_late"),
                                                                                    "value"] == 2


def test_a_cache_belongs_to_one_dataset():
    cache = {}
    results.criteria_matrix(make_dataset(), cache=cache)
    with pytest.raises(ValueError, match="another Dataset"):
        results.criteria_matrix(make_dataset(), cache=cache)


def test_changed_weights_are_not_served_from_the_cache():
    ds = make_dataset()
    cache = {}
    a = ranking.commendation_ranking(ds, cache=cache)
    b = ranking.commendation_ranking(ds, weights={"timeliness": 1}, cache=cache)
    assert a["unit_code"].tolist() != b["unit_code"].tolist() or not a["score"].equals(b["score"])
    assert len(analysis_exports.analysis_tables(ds, cache)["scores"]) == 3
