"""Sub-commands of the submissions area: import, status moves, ratings, the shortlist sheet and
list exports (the stable contract of issue 4)."""

from __future__ import annotations

import argparse
from typing import Any

from festival_desk.cli._common import command, open_database_from_args
from festival_desk.core.errors import UserError


def register(subparsers: argparse._SubParsersAction) -> None:
    submissions = subparsers.add_parser("submissions", help="submissions intake")
    submissions_sub = submissions.add_subparsers(dest="submissions_command", metavar="COMMAND", required=True)
    imports = submissions_sub.add_parser("import", help="import a FilmFreeway export or a mapped CSV/XLSX")
    imports.add_argument("file", metavar="FILE")
    imports.add_argument("--source", choices=("filmfreeway", "mapped"), default="filmfreeway")
    imports.add_argument("--mapping", metavar="FILE", help="column mapping (JSON) for --source mapped")
    imports.add_argument("--dry-run", action="store_true", help="report what would happen, write nothing")
    command(imports, import_command, _render_import)

    status = subparsers.add_parser("status", help="the programming status of films")
    status_sub = status.add_subparsers(dest="status_command", metavar="COMMAND", required=True)
    status_set = status_sub.add_parser("set", help="move films to a status (recorded with who and why)")
    status_set.add_argument("items", nargs="+", metavar="FILM_ID... STATUS")
    status_set.add_argument("--comment", default="", metavar="TEXT")
    status_set.add_argument("--as", dest="programmer", required=True, metavar="PROGRAMMER")
    command(status_set, status_set_command, lambda r: f"moved {len(r['moved'])} film(s) to {r['status']}")

    rate = subparsers.add_parser("rate", help="rate a film 1-5 as a programmer")
    rate.add_argument("film_id", type=int, metavar="FILM_ID")
    rate.add_argument("score", type=int, metavar="SCORE")
    rate.add_argument("--as", dest="programmer", required=True, metavar="PROGRAMMER")
    rate.add_argument("--note", metavar="TEXT")
    command(rate, rate_command, lambda r: f"{r['programmer']} rated film {r['film_id']}: {r['score']}")

    shortlist = subparsers.add_parser("shortlist", help="committee sheets")
    shortlist_sub = shortlist.add_subparsers(dest="shortlist_command", metavar="COMMAND", required=True)
    sheet = shortlist_sub.add_parser("sheet", help="the shortlist sheet PDF for a selection meeting")
    sheet.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    sheet.add_argument("--status", action="append", metavar="S", help="status(es) to include (default shortlisted)")
    command(sheet, shortlist_command, lambda r: f"wrote {r['path']} ({r['films']} films)")

    export = subparsers.add_parser("export", help="export a (filtered) film list")
    export.add_argument("format", choices=("csv", "xlsx"))
    export.add_argument("-o", "--output", required=True, metavar="FILE")
    _add_filter_options(export)
    command(export, export_command, lambda r: f"wrote {r['path']} ({r['films']} films)")


def _add_filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--query", default="", metavar="TEXT", help="search text")
    parser.add_argument("--status", action="append", default=[], metavar="S")
    parser.add_argument("--section", action="append", default=[], metavar="CODE")
    parser.add_argument("--country", action="append", default=[], metavar="CODE")
    parser.add_argument("--language", action="append", default=[], metavar="CODE")
    parser.add_argument("--tag", action="append", default=[], metavar="NAME")
    parser.add_argument("--runtime-min", type=int, metavar="MIN")
    parser.add_argument("--runtime-max", type=int, metavar="MIN")
    parser.add_argument("--year-min", type=int)
    parser.add_argument("--year-max", type=int)
    parser.add_argument("--score-min", type=float)
    parser.add_argument("--score-max", type=float)
    parser.add_argument("--as", dest="programmer", metavar="PROGRAMMER", help="who 'assigned to me' is")
    parser.add_argument("--assigned-to-me", action="store_true")


def import_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.submissions import import_submissions

    if args.source == "mapped" and not args.mapping:
        raise UserError("--source mapped needs --mapping FILE (a JSON column mapping)")
    with open_database_from_args(args) as database:
        change = import_submissions(database, args.file, source=args.source, mapping=args.mapping,
                                    dry_run=args.dry_run)
    details = change.details
    return {"added": details["added"], "updated": details["updated"], "unchanged": details["unchanged"],
            "rejected": details["rejected"]}


def _render_import(result: dict[str, Any]) -> str:
    lines = [f"added {result['added']}, updated {result['updated']}, unchanged {result['unchanged']}, "
             f"rejected {len(result['rejected'])}"]
    lines += [f"  line {row['line']}: {row['reason']}" for row in result["rejected"]]
    return "\n".join(lines)


def status_set_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.programming import move_status

    *film_args, status = args.items
    if not film_args:
        raise UserError("status set: give one or more FILM_IDs, then the STATUS")
    try:
        film_ids = [int(value) for value in film_args]
    except ValueError:
        raise UserError(f"status set: film ids are numbers, not {film_args!r}") from None
    with open_database_from_args(args) as database:
        change = move_status(database, film_ids, status, args.programmer, args.comment)
    return {"moved": change.details["moved"], "unchanged": change.details["unchanged"],
            "status": status}


def rate_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.programming import rate

    with open_database_from_args(args) as database:
        change = rate(database, args.film_id, args.programmer, args.score, args.note)
    return {key: change.details[key] for key in ("film_id", "programmer", "score", "previous_score")}


def shortlist_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.programming import write_shortlist_pdf

    with open_database_from_args(args) as database:
        change = write_shortlist_pdf(database, args.output, args.status or ["shortlisted"])
    return change.details


def export_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.programming import export_list
    from festival_desk.store.filters import FilmFilter

    if args.assigned_to_me and not args.programmer:
        raise UserError("--assigned-to-me needs --as PROGRAMMER")
    film_filter = FilmFilter(
        search=args.query, statuses=tuple(args.status), sections=tuple(args.section),
        countries=tuple(args.country), languages=tuple(args.language), tags=tuple(args.tag),
        runtime_min=args.runtime_min, runtime_max=args.runtime_max, year_min=args.year_min,
        year_max=args.year_max, score_min=args.score_min, score_max=args.score_max,
        assigned_to_me=args.assigned_to_me)
    with open_database_from_args(args) as database:
        change = export_list(database, args.output, fmt=args.format, film_filter=film_filter,
                             programmer=args.programmer)
    return change.details
