"""The HTML reports, one per unit and one per district: parameters, sections, rendering, batches, the index.

Method: each report is a run of a parameterised notebook
(``notebooks/report_unit.ipynb``, ``notebooks/report_district.ipynb``) with
papermill, then an in-process export to one self-contained HTML file
(:mod:`nrlib.reports.html_export`). Reports run in parallel, in worker processes
on this machine or on a Dask cluster (:mod:`nrlib.reports.executors`), each in a
fresh kernel forked from a warm template (:mod:`nrlib.reports.warmstart`); the parent
prints one line per finished report, carries on past a failing report,
keeps the failed notebook under ``failed/`` and finally writes ``index.html``
(each report's link, status, duration and size).

Output layout (paths from GSO codes and ASCII slugs only, never from
submission text)::

    reports/index.html
    reports/units/26308_xa-gia-kiem.html
    reports/district/738_huyen-thong-nhat.html
    reports/notebooks/units/26308_xa-gia-kiem.ipynb   (executed, with metadata.nrlib)
    reports/failed/26308_xa-gia-kiem.ipynb            (only when that report failed)

Modules: :mod:`~nrlib.reports.params` (a report's parameters, checked before any work),
:mod:`~nrlib.reports.sections` with :mod:`~nrlib.reports.unit` and :mod:`~nrlib.reports.district` (what a
report shows), :mod:`~nrlib.reports.jobs` and :mod:`~nrlib.reports.render` (one report),
:mod:`~nrlib.reports.batch`, :mod:`~nrlib.reports.executors` and :mod:`~nrlib.reports.warmstart` (many),
:mod:`~nrlib.reports.html_export` with :mod:`~nrlib.reports.bundle` (plotly.js packed for a page) and
:mod:`~nrlib.reports.index` (the pages).
"""
