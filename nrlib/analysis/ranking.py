"""The relative ranking ("Xếp hạng tương đối (tham khảo)"), an option beside the points, and the proposals list.

The district judges units by fixed points and classes (:mod:`nrlib.analysis.scoring`,
the scoring table as data). This min-max ranking stays only as an option, shown
when the district's settings ask for it (``scoring.relative_ranking`` of
``district_settings.yaml``) and always labelled :data:`nrlib.core.labels.RELATIVE_RANKING`:
its scores are relative, so one unit's outlier moves every other unit's score.

Method (:func:`commendation_ranking`): four components, defined in
``data/reference/ranking.yaml`` with their default weights:

* ``maintenance``: share of the criteria that applied to the unit which were
  reached at the end of the period and never lost (classes ``kept`` and
  ``gained`` of :func:`nrlib.analysis.maintenance.classify_maintenance`, over the
  criteria whose class is kept, gained, lost, lost_and_regained or never);
* ``mobilisation_per_household``: the period total of the configured money
  metrics divided by the households at the end of the period
  (:func:`nrlib.analysis.campaign.per_household`);
* ``poverty_reduction``: the configured rate (poor-household rate) in the
  first year minus the last year, in percentage points (NA if either year
  is missing);
* ``timeliness``: days late of the first version received (0 on time).

Each raw component is normalised to 0-1 across the ranked units by min-max,
``(x − min) / (max − min)`` (reversed, ``(max − x) / (max − min)``, when lower is
better); when every unit has the same value, every unit gets 1. The score is
``100 × Σ wᵢ·nᵢ / Σ wᵢ`` over the components the unit has a value for, so a
missing component neither helps nor sinks a unit (a town with no applicable
criterion is scored on the other three). Units ranked: those with an
accepted submission. Ties share the best rank ("1, 2, 2, 4").
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from nrlib import config
from nrlib.analysis.campaign import per_household, rates
from nrlib.analysis.maintenance import classify_maintenance
from nrlib.analysis.quality import timeliness_table
from nrlib.analysis.results import criteria_list
from nrlib.analysis.scoring import scored_units
from nrlib.core import labels
from nrlib.core.memo import memo
from nrlib.core.textmatch import build_lookup, match_key
from nrlib.core.vnformat import fmt_percent
from nrlib.dataset import PROPOSAL_DETAILS
from nrlib.exceptions import ReferenceDataError

COMPONENTS = ("maintenance", "mobilisation_per_household", "poverty_reduction", "timeliness")
HIDDEN_NAME = "(ẩn tên cá nhân)"


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        return config.load_yaml(fh)


def load_ranking_config(path: str | Path | None = None) -> dict:
    """The ranking configuration (weights and component definitions), ``data/reference/ranking.yaml`` by default."""
    p = Path(path) if path else config.reference_path("ranking")
    if not p.exists():
        raise ReferenceDataError(f"ranking configuration not found: {p}")
    try:
        cfg = _load(str(p), p.stat().st_mtime)
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"cannot read ranking configuration {p}: {exc}") from exc
    missing = [c for c in COMPONENTS if c not in cfg.get("components", {})]
    if missing:
        raise ReferenceDataError(f"{p}: components missing: {missing}")
    return {"weights": dict(cfg.get("weights", {})), "components": {k: dict(v) for k, v in cfg["components"].items()}}


def check_weights(weights: dict | None) -> dict[str, float]:
    """Validated weights (every component, non-negative, not all zero), default from the configuration.

    Components left out of ``weights`` get weight 0.
    """
    if weights is None:
        weights = load_ranking_config()["weights"]
    unknown = sorted(set(weights) - set(COMPONENTS))
    if unknown:
        raise ValueError(f"thành phần xếp hạng không có: {unknown} / unknown ranking components {unknown}; "
                         f"expected some of {list(COMPONENTS)}")
    out = {}
    for c in COMPONENTS:
        try:
            w = float(weights.get(c, 0.0))
        except (TypeError, ValueError):
            raise ValueError(f"trọng số của {c} phải là số / weight of {c} must be a number, got "
                             f"{weights.get(c)!r}") from None
        if not w >= 0:
            raise ValueError(f"trọng số của {c} phải không âm / weight of {c} must be >= 0, got {w}")
        out[c] = w
    if sum(out.values()) <= 0:
        raise ValueError("tổng trọng số phải lớn hơn 0 / the weights must not all be zero")
    return out


def _minmax(x: pd.Series, higher_is_better: bool) -> pd.Series:
    lo, hi = x.min(), x.max()
    if pd.isna(lo):
        return x.astype(float)
    if hi == lo:
        return x.where(x.isna(), 1.0).astype(float)
    n = (x - lo) / (hi - lo) if higher_is_better else (hi - x) / (hi - lo)
    return n.astype(float)


def ranked_units(ds, cache: dict | None = None) -> pd.Series:
    """Codes of the units that are ranked: those that are scored (:func:`nrlib.analysis.scoring.scored_units`)."""
    return scored_units(ds, cache)


def ranking_components(ds, cache: dict | None = None, config_path: str | Path | None = None) -> pd.DataFrame:
    """The raw value of each ranking component per ranked unit (method: module docstring).

    Returns
    -------
    DataFrame
        ``unit_code, name`` and one column per component (raw values).
    """
    cfg = load_ranking_config(config_path)["components"]
    tl = timeliness_table(ds, cache)
    ranked = ds.units["unit_code"].isin(ranked_units(ds, cache)).to_numpy()
    out = ds.units.loc[ranked, ["unit_code", "name"]].reset_index(drop=True)

    nc = len(criteria_list(ds))
    cls = classify_maintenance(ds, cache)["maintenance_class"].to_numpy(dtype=object).reshape(len(ds.units), nc)
    rated = np.isin(cls, ("kept", "gained", "lost", "lost_and_regained", "never")).sum(axis=1)
    good = np.isin(cls, ("kept", "gained")).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["maintenance"] = np.where(rated > 0, good / rated, np.nan)[ranked]

    ph = per_household(ds, cache)
    ph = ph[ph["code"].isin(cfg["mobilisation_per_household"]["metrics"])]
    total = ph.groupby("unit_code", sort=False)["value_period"].sum(min_count=1)
    hh = ph.groupby("unit_code", sort=False)["households_last_year"].first()
    out["mobilisation_per_household"] = out["unit_code"].map(total / hh.where(hh > 0)).astype(float)

    years = ds.outline.years
    r = rates(ds, by="unit", years=[years[0], years[-1]], cache=cache)
    r = r[r["code"] == cfg["poverty_reduction"]["rate"]]
    first = r[r["year"] == years[0]].set_index("unit_code")["rate"]
    last = r[r["year"] == years[-1]].set_index("unit_code")["rate"]
    out["poverty_reduction"] = (out["unit_code"].map(first) - out["unit_code"].map(last)).astype(float)

    days = pd.to_numeric(tl.set_index("unit_code")["days_late"], errors="coerce")
    out["timeliness"] = out["unit_code"].map(days).astype(float)
    return out


def commendation_ranking(ds, weights: dict | None = None, cache: dict | None = None,
                         config_path: str | Path | None = None) -> pd.DataFrame:
    """Rank units for commendation by a weighted score of four transparent components.

    Parameters
    ----------
    ds : Dataset
    weights : dict, optional
        ``{component: weight}``; default from ``data/reference/ranking.yaml``.
        Weights are relative (they need not add up to 1).
    cache : dict, optional
        Shares intermediate tables between calls (:mod:`nrlib.core.memo`).
    config_path : path, optional
        Another ranking configuration (same layout as ``ranking.yaml``).

    Returns
    -------
    DataFrame
        ``rank, unit_code, name, score`` (0-100), then per component the
        normalised value (``maintenance``, ``mobilisation_per_household``,
        ``poverty_reduction``, ``timeliness``; 0-1) and the raw value
        (``<component>_raw``), and ``weight_<component>``; best first.
        Method: module docstring.
    """
    w = check_weights(weights)
    key = ("commendation_ranking", tuple(w.items()), str(config_path))
    return memo(cache, ds, key, lambda: _ranking(ds, w, cache, config_path))


def _ranking(ds, w: dict[str, float], cache: dict | None, config_path) -> pd.DataFrame:
    cfg = load_ranking_config(config_path)["components"]
    raw = ranking_components(ds, cache=cache, config_path=config_path)
    out = raw[["unit_code", "name"]].copy()
    num = pd.Series(0.0, index=raw.index)
    den = pd.Series(0.0, index=raw.index)
    for c in COMPONENTS:
        n = _minmax(raw[c], bool(cfg[c].get("higher_is_better", True)))
        out[c] = n
        out[f"{c}_raw"] = raw[c]
        out[f"weight_{c}"] = w[c]
        has = n.notna()
        num += (n.fillna(0.0) * w[c]).where(has, 0.0)
        den += pd.Series(w[c], index=raw.index).where(has, 0.0)
    out["score"] = 100.0 * num / den.where(den > 0)
    out["rank"] = out["score"].round(9).rank(method="min", ascending=False).astype("Int64")
    out = out.sort_values(["rank", "unit_code"], ignore_index=True, na_position="last")
    cols = ["rank", "unit_code", "name", "score"] + [c for comp in COMPONENTS for c in (comp, f"{comp}_raw")]
    return out[cols + [f"weight_{c}" for c in COMPONENTS]]


def ranking_method_text(weights: dict | None = None, config_path: str | Path | None = None) -> str:
    """The relative ranking's method in Vietnamese, with the weights used, for a report's methodology note."""
    w = check_weights(weights)
    cfg = load_ranking_config(config_path)["components"]
    total = sum(w.values())
    parts = [f"{cfg[c]['label']} ({fmt_percent(100 * w[c] / total, 1)}): {cfg[c]['description']}"
             for c in COMPONENTS if w[c] > 0]
    zero = [cfg[c]["label"] for c in COMPONENTS if w[c] == 0]
    text = (f"{labels.RELATIVE_RANKING}: điểm xếp hạng (thang 100) là bình quân có trọng số của {len(parts)} "
            "thành phần: "
            + "; ".join(parts) + ". "
            "Mỗi thành phần được chuẩn hóa về thang 0 – 1 theo phương pháp min-max giữa các xã, thị trấn được xếp "
            "hạng (tốt nhất được 1, kém nhất được 0; khi mọi xã, thị trấn bằng nhau thì cùng được 1). "
            "Xã, thị trấn thiếu số liệu của một thành phần được tính điểm trên các thành phần còn lại. "
            "Các xã, thị trấn bằng điểm xếp cùng hạng. ")
    if zero:
        text += "Không tính: " + ", ".join(zero) + " (trọng số 0). "
    text += ("Điểm này là điểm tương đối: một xã, thị trấn có số liệu cao hoặc thấp bất thường làm thay đổi điểm của "
             "mọi xã, thị trấn khác; kết quả chỉ để tham khảo, việc đánh giá dựa trên bảng điểm thi đua và xếp loại, "
             "không thay thế việc xem xét thành tích cụ thể của từng xã, thị trấn.")
    return text


def personal_names(ds) -> list[str]:
    """Every personal value of the proposals: the cells of sheet KhenThuong's columns marked ``personal_if``
    in the outline, on rows of that kind (the names of individuals), as typed, blanks left out.

    The one rule of what is personal in a proposal, shared by :func:`proposals_table` (which hides them)
    and the documents (which must never print them).
    """
    p = proposals_table(ds, include_personal_data=True)
    out: list[str] = []
    for col in ds.outline.sheet("KhenThuong")["columns"]:
        kind = col.get("personal_if")
        if kind and col["key"] in p.columns:
            out += [str(v).strip() for v in p.loc[p["kind"] == kind, col["key"]] if pd.notna(v) and str(v).strip()]
    return sorted(set(out))


def proposals_table(ds, include_personal_data: bool = False) -> pd.DataFrame:
    """The commendation proposals of all units, personal names hidden unless asked for.

    Method: a column of sheet KhenThuong marked ``personal_if: <kind>`` in
    the outline (the name, for individuals) is replaced by
    ``"(ẩn tên cá nhân)"`` on rows of that kind, unless
    ``include_personal_data`` is True (the district's internal list). Kinds
    and award forms are shown with their outline labels; an award form typed
    outside the list is kept as typed.

    Returns
    -------
    DataFrame
        ``unit_code, unit_name, seq, kind, kind_label, name, address,
        achievement, award_form, award_form_label``, and the details a
        version 2 workbook gives (``subject, birth_year, gender,
        earlier_awards``: empty for a version 1 proposal; a person's birth
        year and gender, columns marked ``personal_detail_if``, hidden with
        the names), by unit and sequence. An award form typed as an earlier
        outline version labelled it ("Giấy khen của UBND huyện") is that
        form (the outline's ``aliases``).
    """
    outline = ds.outline
    kinds = outline.choices("proposal_kind")
    kind_lookup = build_lookup(outline.choice_texts("proposal_kind"))
    kind_label = {k["value"]: k["label"] for k in kinds}
    forms = outline.choices("award_form")
    form_lookup = build_lookup(outline.choice_texts("award_form"))
    form_label = {f["value"]: f["label"] for f in forms}

    p = ds.proposals.merge(ds.units[["unit_code", "name"]].rename(columns={"name": "unit_name"}), on="unit_code",
                           how="left")
    p = p.copy()
    p["kind"] = p["kind"].map(lambda k: kind_lookup.get(match_key(k), k))
    p["kind_label"] = p["kind"].map(lambda k: kind_label.get(k, k))
    p["award_form"] = p["award_form"].map(lambda f: form_lookup.get(match_key(f), f))
    p["award_form_label"] = p["award_form"].map(lambda f: form_label.get(f, f))
    for col in PROPOSAL_DETAILS:
        if col not in p.columns:
            p[col] = None
    p["birth_year"] = pd.to_numeric(p["birth_year"], errors="coerce").astype("Int64")
    if not include_personal_data:
        for col in outline.sheet("KhenThuong")["columns"]:
            kind = col.get("personal_if")
            if kind and col["key"] in p.columns:
                p.loc[p["kind"] == kind, col["key"]] = HIDDEN_NAME
            kind = col.get("personal_detail_if")
            if kind and col["key"] in p.columns:
                p.loc[p["kind"] == kind, col["key"]] = None
    p["seq"] = pd.to_numeric(p["seq"], errors="coerce").astype("Int64")
    cols = ["unit_code", "unit_name", "seq", "kind", "kind_label", "name", "address", "achievement", "award_form",
            "award_form_label", *PROPOSAL_DETAILS]
    return p.sort_values(["unit_code", "seq"], ignore_index=True)[cols]
