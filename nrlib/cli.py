"""The ``nrlib`` command: one entry point, one subcommand per job.

Each subcommand's arguments are declared here; its work is done by the module
named for it, imported only when the subcommand runs so ``nrlib --help`` is fast.
Exit codes: 0 success, 1 the job ran and found a problem (e.g. a rejected
workbook, a failed report), 2 usage or setup errors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nrlib.core import labels
from nrlib.exceptions import NrlibError


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, default=None,
                   help="the store (default: $NRLIB_DB or data/nrlib.duckdb)")


def _cmd_template(args: argparse.Namespace) -> int:
    from nrlib.workbooks.template import write_templates

    if args.partner:
        from nrlib.workbooks.partner import write_partner_templates

        if not args.district:
            raise NrlibError("--partner cần --district (biểu mẫu của cơ quan phối hợp lập cho cả huyện) / "
                             "--partner needs --district")
        keys = None if args.partner == ["all"] else args.partner
        paths = write_partner_templates(args.out, args.district, keys)
    else:
        paths = write_templates(args.out, district_code=args.district, unit_codes=args.unit)
    for p in paths:
        print(p)
    print(f"{len(paths)} workbook(s) written to {args.out}")
    return 0


def _cmd_sample(args: argparse.Namespace) -> int:
    from nrlib.reference import load_outline
    from nrlib.workbooks.sample import write_sample

    outline = load_outline(version=args.outline_version) if args.outline_version else None
    result = write_sample(args.out, district_code=args.district, seed=args.seed, outline=outline)
    print(f"{len(result.paths)} sample workbook(s) (DỮ LIỆU MẪU, seed {args.seed}, outline "
          f"{(outline or load_outline()).version}) and {result.manifest.name} written to {args.out}")
    if not args.no_partners:
        from nrlib.workbooks.partner_sample import PARTNER_FOLDER, write_partner_sample

        paths = write_partner_sample(args.out / PARTNER_FOLDER, args.district, seed=args.seed)
        print(f"{len(paths)} sample partners' workbook(s) (DỮ LIỆU MẪU) written to {args.out / PARTNER_FOLDER}")
    return 0


def _workers(text: str) -> int:
    from nrlib.ingest import IngestUsageError, parse_workers

    try:
        return parse_workers(text, "--workers")
    except IngestUsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _cmd_ingest(args: argparse.Namespace) -> int:
    from nrlib.core import labels
    from nrlib.ingest import exit_code, ingest_files, outcomes_json, summarise
    from nrlib.store import resolve_db_path

    db = resolve_db_path(args.db)

    def show(outcome) -> None:
        if not args.json:
            print("\n".join(outcome.lines()), flush=True)

    def skipped(files) -> None:
        names = ", ".join(labels.printable(str(f)) for f in files)
        print(labels.SKIPPED_FILES.format(n=len(files), files=names), file=sys.stderr, flush=True)

    outcomes = ingest_files(args.paths, db, received=args.received, manifest=args.manifest, on_file=show,
                            workers=args.workers, on_skipped=skipped)
    if args.json:
        print(outcomes_json(outcomes, db))
    else:
        print(labels.INGEST_SUMMARY.format(**summarise(outcomes, db)))
    return exit_code(outcomes)


def _date_option(text: str):
    """A date given on the command line: ``18/02/2021`` or ``2021-02-18``, read as ``nrlib ingest --received`` reads
    it (:func:`nrlib.ingest.parse_received`, the same message when it is not a date), without importing the ingest."""
    from nrlib.core.vnformat import date_or_none

    d = date_or_none(text)
    if d is None:
        raise NrlibError(labels.INVALID_DATE_OPTION.format(text=text))
    return d


def _cmd_status(args: argparse.Namespace) -> int:
    from nrlib.status import render_status

    deadline = _date_option(args.deadline) if args.deadline else None
    print(render_status(args.db, district_code=args.district, deadline=deadline, fmt=args.format))
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from nrlib.export import export_store

    paths = export_store(args.out, args.db, district_code=args.district)
    for p in paths:
        print(p)
    return 0


def _cmd_demo_steps(args: argparse.Namespace) -> int:
    from nrlib.demo import run_demo_steps

    return run_demo_steps(sample_dir=args.sample, district_code=args.district, jobs=args.jobs)


def _cmd_upgrade(args: argparse.Namespace) -> int:
    from nrlib.store import migrations, open_store, resolve_db_path, store_lock

    db = resolve_db_path(args.db)
    if not db.is_file():
        from nrlib.store import missing_store_message

        raise NrlibError(missing_store_message(db))
    with store_lock(db), open_store(db, read_only=False) as con:
        version = migrations.schema_version(con)
    print(f"nrlib upgrade: kho dữ liệu {db} ở lược đồ phiên bản {version} / the store is at schema version {version}")
    return 0


def _cmd_reports(args: argparse.Namespace) -> int:
    from nrlib.reports.batch import main_reports

    return main_reports(args)


def _cmd_documents(args: argparse.Namespace) -> int:
    from nrlib.documents.build import main_documents

    return main_documents(args)


def _cmd_reviews(args: argparse.Namespace) -> int:
    from nrlib.reference.reviews import reviews_text

    print(reviews_text())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nrlib",
        description="Communes' 5-year review workbooks: templates, ingest, analysis, reports.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("template", help="write blank submission workbooks, one per unit")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--district", help="GSO district code: one workbook per unit of the district")
    target.add_argument("--unit", action="append", metavar="CODE", help="GSO unit code (repeatable)")
    p.add_argument("--partner", action="append", metavar="PARTNER",
                   help="a partner's workbook for the district instead (coordination, culture or all; repeatable)")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.set_defaults(func=_cmd_template)

    p = sub.add_parser("sample", help="write filled sample workbooks (synthetic, marked DỮ LIỆU MẪU)")
    p.add_argument("--district", required=True, help="GSO district code")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--seed", type=int, default=2021, help="random seed (same seed, same workbooks)")
    p.add_argument("--outline-version", default=None,
                   help="the outline version the workbooks follow (default: the newest; 1.0 writes what communes "
                        "sent before version 2)")
    p.add_argument("--no-partners", action="store_true",
                   help="do not write the partners' sample workbooks (coordination office, culture committee)")
    p.set_defaults(func=_cmd_sample)

    p = sub.add_parser("ingest", help="validate received workbooks and keep every version in the store")
    p.add_argument("paths", nargs="+", metavar="PATH", help="workbook files or folders")
    _add_db(p)
    when = p.add_mutually_exclusive_group()
    when.add_argument("--received", metavar="DATE", help="received date of every file (dd/mm/yyyy or yyyy-mm-dd; "
                      "default today)")
    when.add_argument("--manifest", type=Path, metavar="FILE",
                      help="received.csv listing file_name, unit_code, received_date of each file")
    p.add_argument("--workers", type=_workers, metavar="N",
                   help="processes reading and validating files (default: $NRLIB_INGEST_WORKERS, else one per CPU, "
                        "at most 4; never more than 64); the store is always written by one process, in order")
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("status", help="who has reported, when, with what result")
    _add_db(p)
    p.add_argument("--district", help="GSO district code (default: the one in the store)")
    p.add_argument("--deadline", metavar="DATE", help="deadline (default: the outline's, 18/02/2021)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=_cmd_status)

    p = sub.add_parser("export", help="tidy CSV files of the latest accepted data")
    _add_db(p)
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--district", help="GSO district code (default: the one in the store)")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("upgrade", help="bring a store made by an earlier nrlib to this nrlib's schema (read-only "
                                       "commands never do it themselves)")
    _add_db(p)
    p.set_defaults(func=_cmd_upgrade)

    p = sub.add_parser("demo-steps", help="the main job on the sample data (used by `make demo`)")
    p.add_argument("--district", required=True)
    p.add_argument("--sample", type=Path, required=True)
    p.add_argument("--jobs", type=int, default=2)
    p.set_defaults(func=_cmd_demo_steps)

    p = sub.add_parser("reports", help="render the HTML reports (one per unit, one per district) with papermill")
    _add_db(p)
    p.add_argument("--unit", action="extend", nargs="+", metavar="CODE",
                   help="GSO unit code(s) to render (default: every unit of the store, plus the district)")
    p.add_argument("--district", action="store_true", help="render the district report")
    p.add_argument("--jobs", type=int, default=2, help="reports rendered in parallel (default 2)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: reports/)")
    p.add_argument("--deadline", default=None, help="submission deadline, dd/mm/yyyy (default: the outline's)")
    p.add_argument("--include-personal-data", action="store_true",
                   help="show personal names in commendation proposals (internal use only)")
    p.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="where reports are rendered: worker processes here (local, default) or a Dask cluster")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="Dask scheduler, e.g. tcp://host:8786 (default with --executor dask: a local cluster "
                        "of --jobs workers)")
    p.add_argument("--snapshot-dir", type=Path, default=None, metavar="DIR",
                   help="with --executor dask: a folder every worker reads at the same path; the store's snapshot "
                        "is put there instead of being sent to each worker")
    p.add_argument("--kernels", choices=["warm", "cold"], default="warm",
                   help="warm (default): each report's kernel is forked from a process that already imported "
                        "nrlib and read the store; cold: every kernel starts from scratch")
    p.set_defaults(func=_cmd_reports, district_code=None)

    p = sub.add_parser("documents", help="write the district's official documents (Word, and PDF with --pdf): "
                                         "the báo cáo sơ kết, the note to the Huyện ủy and the commendation "
                                         "dossier, in the Front's layout")
    _add_db(p)
    p.add_argument("--out", type=Path, default=None, help="output folder (default: reports/documents/)")
    p.add_argument("--district", default=None, help="GSO district code (default: the one in the store)")
    p.add_argument("--date", default=None, metavar="DD/MM/YYYY",
                   help="the date of the date line (default: left blank for the office to fill)")
    p.add_argument("--pdf", action="store_true", help="also write a PDF of each document (needs LibreOffice)")
    p.add_argument("--decisions", type=Path, default=None, metavar="XLSX",
                   help="the district's decisions on the commendation proposals: the workbook an earlier run "
                        "wrote (khen-thuong/quyet-dinh-khen-thuong_*.xlsx), filled in (default: that workbook "
                        "in the output folder if there is one, else every proposal as proposed)")
    p.set_defaults(func=_cmd_documents)

    p = sub.add_parser("reviews", help="list the reviews nrlib knows (data/reference/reviews.yaml) and the one in use")
    p.set_defaults(func=_cmd_reviews)

    for p in sub.choices.values():      # every command works on one review
        p.add_argument("--review", metavar="ID", default=None,
                       help="the review to work on (default: $NRLIB_REVIEW, else the default of "
                            "data/reference/reviews.yaml; `nrlib reviews` lists them)")
    return parser


def _version() -> str:
    from nrlib.core.version import __version__

    return __version__


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        if getattr(args, "review", None):
            from nrlib import config

            config.use_review(args.review)
        return int(args.func(args) or 0)
    except NrlibError as exc:
        print(f"nrlib: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        command = None if getattr(exc, "nothing_written", False) else args.command
        print(labels.INTERRUPTED.get(command, labels.INTERRUPTED[None]), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # output piped into `head` and the like: stop quietly, as Unix tools do
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as exc:      # a path, a permission, a full disk nrlib did not foresee: one line, not a traceback
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(f"nrlib: lỗi hệ thống: {exc.strerror or exc}{where}. Hãy kiểm tra đường dẫn và quyền ghi rồi chạy lại "
              "/ system error: check the path and the permissions, then re-run", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
