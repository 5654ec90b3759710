"""The reviews nrlib knows (``data/reference/reviews.yaml``): what ``nrlib reviews`` lists and ``--review`` picks.

The file is read by :mod:`nrlib.config` (:func:`~nrlib.config.load_reviews`,
:func:`~nrlib.config.review_entry`), because the review decides which outline,
criteria set and scoring table every other reader opens; this module gives
its entries a shape and words for a reader. It needs neither pandas nor the
outlines themselves, so ``nrlib reviews`` answers at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nrlib import config
from nrlib.core import labels
from nrlib.core.vnformat import fmt_date


@dataclass(frozen=True)
class Review:
    """One review: its id, title, period, deadline, files by role, unit list and reporting tier."""

    id: str
    title: str
    period: tuple[int, int]
    period_label: str
    deadline: dt.date
    files: dict
    registry_vintage: str | None
    tier: str
    source: str

    @property
    def years(self) -> list[int]:
        return list(range(self.period[0], self.period[1] + 1))

    @classmethod
    def from_entry(cls, raw: dict) -> Review:
        first, last = (int(y) for y in raw["period"])
        deadline = raw["deadline"]
        if not isinstance(deadline, dt.date):
            deadline = dt.date.fromisoformat(str(deadline))
        vintage = raw.get("registry_vintage")
        return cls(id=str(raw["id"]), title=str(raw["title"]), period=(first, last),
                   period_label=str(raw["period_label"]), deadline=deadline, files=dict(raw["files"]),
                   registry_vintage=None if vintage in (None, "") else str(vintage), tier=str(raw["tier"]),
                   source=str(raw["source"]))


def list_reviews() -> list[Review]:
    """Every review of ``reviews.yaml``, in the file's order."""
    return [Review.from_entry(r) for r in config.load_reviews()["reviews"]]


def current_review() -> Review:
    """The review commands work on (``--review``, ``$NRLIB_REVIEW``, else the file's default)."""
    return Review.from_entry(config.review_entry())


def reviews_text() -> str:
    """What ``nrlib reviews`` prints: each review with its period, deadline, files, unit list and tier."""
    default, active = config.load_reviews()["default"], config.review_id()
    lines = [labels.REVIEWS_HEADING.format(path=config.reference_dir() / config.REVIEWS_FILE)]
    for r in list_reviews():
        marks = [m for m, on in ((labels.REVIEW_DEFAULT, r.id == default), (labels.REVIEW_ACTIVE, r.id == active)) if on]
        outlines = [name for role, name in r.files.items() if role.startswith("outline")]
        lines += [
            f"* {r.id}" + (f" ({', '.join(marks)})" if marks else ""),
            f"  {r.title}",
            "  " + labels.REVIEW_LINE_PERIOD.format(
                label=r.period_label, first=r.period[0], last=r.period[1], deadline=fmt_date(r.deadline),
                tier=labels.REVIEW_TIERS.get(r.tier, r.tier)),
            "  " + labels.REVIEW_LINE_FILES.format(
                outlines=", ".join(outlines), criteria=r.files.get("criteria", ""), scoring=r.files.get("scoring", ""),
                vintage=fmt_date(r.registry_vintage) if r.registry_vintage else labels.REVIEW_VINTAGE_ON_DEADLINE),
        ]
    lines.append(labels.REVIEWS_FOOTER)
    return "\n".join(lines)
