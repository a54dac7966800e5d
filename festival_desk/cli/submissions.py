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
    status_set.add_argument("--from", dest="from_status", metavar="STATUS",
                            help="move only films still in STATUS (a colleague's move in between is refused)")
    status_set.add_argument("--as", dest="programmer", metavar="PROGRAMMER",
                            help="who moves them (on a team database: the signed-in login)")
    command(status_set, status_set_command, lambda r: f"moved {len(r['moved'])} film(s) to {r['status']}")

    rate = subparsers.add_parser("rate", help="rate a film 1-5 as a programmer (one score, or per criterion)")
    rate.add_argument("film_id", type=int, metavar="FILM_ID")
    rate.add_argument("score", type=int, nargs="?", metavar="SCORE", help="one overall score 1-5")
    rate.add_argument("--criterion", action="append", default=[], metavar="NAME=SCORE",
                      help="a score 1-5 for a criterion of the rubric (repeatable; instead of SCORE)")
    rate.add_argument("--as", dest="programmer", metavar="PROGRAMMER",
                      help="who rates (on a team database: the signed-in login)")
    rate.add_argument("--note", metavar="TEXT")
    command(rate, rate_command, _render_rating)

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
    add_facts_filter_options(parser)


def add_facts_filter_options(parser: argparse.ArgumentParser) -> None:
    """Filters on the catalogue facts (see `facts_filter`)."""
    parser.add_argument("--subtitles", action="append", default=[], metavar="LANGUAGE",
                        help="only films subtitled in this language (name or ISO 639 code)")
    parser.add_argument("--sdh", action="store_true", help="only films with subtitles for the deaf and hard of hearing")
    parser.add_argument("--audio-description", action="store_true", help="only films with audio description")
    parser.add_argument("--suitable-for-age", type=int, metavar="AGE",
                        help="only films recommended for this age (their minimum age at or below it)")


def facts_filter(args: argparse.Namespace) -> dict[str, Any]:
    """The FilmFilter criteria the catalogue-facts options ask for."""
    from festival_desk.core.codes import language_code

    criteria: dict[str, Any] = {}
    if args.subtitles:
        codes = []
        for text in args.subtitles:
            code = language_code(text)
            if code is None:
                raise UserError(f"--subtitles: {text!r} is not a language name or ISO 639 code")
            codes.append(code)
        criteria["subtitles"] = tuple(codes)
    if args.sdh:
        criteria["sdh"] = True
    if args.audio_description:
        criteria["audio_description"] = True
    if args.suitable_for_age is not None:
        criteria["suitable_for_age"] = args.suitable_for_age
    return criteria


def import_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.submissions import import_submissions

    if args.source == "mapped" and not args.mapping:
        raise UserError("--source mapped needs --mapping FILE (a JSON column mapping)")
    with open_database_from_args(args) as database:
        change = import_submissions(database, args.file, source=args.source, mapping=args.mapping,
                                    dry_run=args.dry_run)
    details = change.details
    return {"added": details["added"], "updated": details["updated"], "unchanged": details["unchanged"],
            "rejected": details["rejected"], "kept": details["kept"]}


def _render_import(result: dict[str, Any]) -> str:
    lines = [f"added {result['added']}, updated {result['updated']}, unchanged {result['unchanged']}, "
             f"rejected {len(result['rejected'])}"]
    lines += [f"  line {row['line']}: {row['reason']}" for row in result["rejected"]]
    lines += [f"  film {row['film_id']} “{row['title']}”: kept your colleague's edit "
              f"({', '.join(name.replace('_', ' ') for name in row['fields'])})" for row in result["kept"]]
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
    expected = None
    if args.from_status:
        from festival_desk.core.workflow import parse_status

        try:
            seen = parse_status(args.from_status).value
        except ValueError as error:
            raise UserError(f"--from: {error}") from None
        expected = dict.fromkeys(film_ids, seen)
    with open_database_from_args(args) as database:
        change = move_status(database, film_ids, status, args.programmer, args.comment, expected=expected)
    return {"moved": change.details["moved"], "unchanged": change.details["unchanged"],
            "status": status}


def rate_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.programming import rate

    if args.criterion:
        if args.score is not None:
            raise UserError("rate: give one overall SCORE or --criterion scores, not both")
        return _rate_criteria(args)
    if args.score is None:
        raise UserError("rate: give a SCORE from 1 to 5, or --criterion NAME=SCORE for each criterion")
    with open_database_from_args(args) as database:
        change = rate(database, args.film_id, args.programmer, args.score, args.note)
    return {key: change.details[key] for key in ("film_id", "programmer", "score", "previous_score")}


def _rate_criteria(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.rubric import rate_criteria
    from festival_desk.core.committee import RuleError, parse_criterion_scores

    try:
        scores = parse_criterion_scores(args.criterion)
    except RuleError as error:
        raise UserError(str(error)) from None
    with open_database_from_args(args) as database:
        change = rate_criteria(database, args.film_id, args.programmer, scores, args.note)
    return {key: change.details[key] for key in ("film_id", "programmer", "score", "overall", "criteria")}


def _render_rating(result: dict[str, Any]) -> str:
    text = f"{result['programmer']} rated film {result['film_id']}: {result['score']}"
    if "overall" in result:
        parts = ", ".join(f"{item['name']} {item['score']}" for item in result["criteria"])
        text += f" (overall {result['overall']:.2f} from {parts})"
    return text


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
        assigned_to_me=args.assigned_to_me, **facts_filter(args))
    with open_database_from_args(args) as database:
        change = export_list(database, args.output, fmt=args.format, film_filter=film_filter,
                             programmer=args.programmer)
    return change.details
