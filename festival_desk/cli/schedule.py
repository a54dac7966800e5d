"""Sub-commands `schedule ...` and `venues ...`: the timetable from a terminal.

Contract (stable): `schedule check --json`, `venues --json`, `schedule list [--day DATE] --json`,
`schedule add --screen ID --start ISO --film ID [--film ID ...] [--end ISO] [--qa MIN] [--intro MIN] --json`
(prints the new screening's id), `schedule export --ics FILE | --csv FILE | --xlsx FILE`,
`schedule daysheets -o FILE.pdf`. The rest (move, resize, delete, film, venues add ...) are extras.
"""

from __future__ import annotations

import argparse
from typing import Any

from festival_desk.cli._common import command, open_database_from_args, print_json


def _actions():
    """actions.schedule, imported when a command runs (not for `--help`)."""
    from festival_desk.actions import schedule

    return schedule


def _minutes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of minutes") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: minutes must be 0 or more")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    schedule = subparsers.add_parser("schedule", help="the timetable: screenings, conflict check, exports")
    sub = schedule.add_subparsers(dest="schedule_command", metavar="COMMAND", required=True)

    check = sub.add_parser("check", help="list the conflicts of the schedule (errors first)")
    command(check, check_command, _render_findings)

    listing = sub.add_parser("list", help="list screenings")
    listing.add_argument("--day", metavar="DATE", help="only this festival day (a day runs until 06:00 next morning)")
    command(listing, list_command, _render_screenings)

    add = sub.add_parser("add", help="add a screening (one that breaks a rule is stored; `check` reports it)")
    add.add_argument("--screen", type=int, required=True, metavar="ID")
    add.add_argument("--start", required=True, metavar="ISO", help="local time, e.g. 2025-03-14T18:30")
    add.add_argument("--film", type=int, action="append", required=True, metavar="ID",
                     help="a film, in order (repeat for a shorts programme)")
    add.add_argument("--end", metavar="ISO", help="set the end by hand (default: content + changeover)")
    add.add_argument("--qa", type=_minutes, default=0, metavar="MIN", help="Q&A minutes")
    add.add_argument("--intro", type=_minutes, default=0, metavar="MIN", help="introduction minutes")
    add.add_argument("--kind", default="public", help="public, press, industry or school")
    add.add_argument("--premiere", help="premiere label: world, international, european, national, regional")
    add.add_argument("--guest", action="append", default=[], metavar="PERSON",
                     help="a guest attending: a person id or a name (repeat)")
    add.add_argument("--title", help="the programme's name (shorts programmes)")
    command(add, add_command, str)

    move = sub.add_parser("move", help="move a screening to another start and/or screen")
    move.add_argument("screening", type=int, metavar="SCREENING_ID")
    move.add_argument("--start", metavar="ISO")
    move.add_argument("--screen", type=int, metavar="ID")
    command(move, move_command, _render_change)

    resize = sub.add_parser("resize", help="set a screening's end by hand, or --auto to derive it again")
    resize.add_argument("screening", type=int, metavar="SCREENING_ID")
    ends = resize.add_mutually_exclusive_group(required=True)
    ends.add_argument("--end", metavar="ISO")
    ends.add_argument("--auto", action="store_true")
    command(resize, resize_command, _render_change)

    delete = sub.add_parser("delete", help="delete a screening")
    delete.add_argument("screening", type=int, metavar="SCREENING_ID")
    command(delete, delete_command, _render_change)

    add_film = sub.add_parser("add-film", help="add a film to a screening (a shorts programme)")
    add_film.add_argument("screening", type=int, metavar="SCREENING_ID")
    add_film.add_argument("--film", type=int, required=True, metavar="ID")
    add_film.add_argument("--position", type=int, metavar="N", help="0-based place (default: last)")
    command(add_film, add_film_command, _render_change)

    remove_film = sub.add_parser("remove-film", help="remove a film from a screening")
    remove_film.add_argument("screening", type=int, metavar="SCREENING_ID")
    remove_film.add_argument("--film", type=int, required=True, metavar="ID")
    command(remove_film, remove_film_command, _render_change)

    export = sub.add_parser("export", help="write the schedule as iCalendar, CSV or XLSX")
    target = export.add_mutually_exclusive_group(required=True)
    target.add_argument("--ics", metavar="FILE")
    target.add_argument("--csv", metavar="FILE")
    target.add_argument("--xlsx", metavar="FILE")
    command(export, export_command, _render_written)

    sheets = sub.add_parser("daysheets", help="write the venue managers' day sheets (PDF)")
    sheets.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    sheets.add_argument("--day", metavar="DATE", help="only this festival day (e.g. 2025-03-14)")
    command(sheets, daysheets_command, _render_written)

    venues = subparsers.add_parser("venues", help="venues and their screens (without a command: list them)")
    command(venues, venues_command, _render_venues)
    venue_sub = venues.add_subparsers(dest="venues_command", metavar="COMMAND")
    venue_add = venue_sub.add_parser("add", help="add a venue")
    venue_add.add_argument("--name", required=True)
    venue_add.add_argument("--address", default="")
    venue_add.add_argument("--accessibility", default="", help="accessibility notes")
    command(venue_add, venue_add_command, _render_change)
    screen_add = venue_sub.add_parser("add-screen", help="add a screen to a venue")
    screen_add.add_argument("--venue", type=int, required=True, metavar="ID")
    screen_add.add_argument("--name", required=True)
    screen_add.add_argument("--capacity", type=int)
    screen_add.add_argument("--opens", metavar="HH:MM", help="opening time (with --closes)")
    screen_add.add_argument("--closes", metavar="HH:MM", help="closing time; earlier than --opens means after midnight")
    command(screen_add, screen_add_command, _render_change)


def _database(args: argparse.Namespace):
    return open_database_from_args(args)


def check_command(args: argparse.Namespace) -> list[dict[str, Any]]:
    return [finding.to_dict() for finding in _actions().check(_database(args))]


def list_command(args: argparse.Namespace) -> list[dict[str, Any]]:
    return _actions().list_screenings(_database(args), args.day)


def add_command(args: argparse.Namespace) -> None:
    guest_ids = [int(g) for g in args.guest if g.strip().isdigit()]
    guest_names = [g for g in args.guest if not g.strip().isdigit()]
    change = _actions().add_screening(
        _database(args), args.screen, args.start, args.film, end=args.end, intro_minutes=args.intro,
        qa_minutes=args.qa, kind=args.kind, premiere=args.premiere, guest_ids=guest_ids,
        guest_names=guest_names, title=args.title)
    # The id itself is the output (JSON: a bare number). Returned ints would be read as exit codes.
    screening_id = change.details["screening_id"]
    if args.json:
        print_json(screening_id)
    else:
        print(screening_id)


def _change_result(change) -> dict[str, Any]:
    return {"description": change.description, "screenings": sorted(change.screenings),
            "venues": sorted(change.venues), **change.details}


def move_command(args: argparse.Namespace) -> dict[str, Any]:
    return _change_result(_actions().move_screening(_database(args), args.screening, start=args.start,
                                                 screen_id=args.screen))


def resize_command(args: argparse.Namespace) -> dict[str, Any]:
    return _change_result(_actions().resize_screening(_database(args), args.screening, None if args.auto else args.end))


def delete_command(args: argparse.Namespace) -> dict[str, Any]:
    return _change_result(_actions().delete_screening(_database(args), args.screening))


def add_film_command(args: argparse.Namespace) -> dict[str, Any]:
    return _change_result(_actions().add_film_to_screening(_database(args), args.screening, args.film, args.position))


def remove_film_command(args: argparse.Namespace) -> dict[str, Any]:
    return _change_result(_actions().remove_film_from_screening(_database(args), args.screening, args.film))


def export_command(args: argparse.Namespace) -> dict[str, Any]:
    database = _database(args)
    if args.ics:
        return _actions().export_ics(database, args.ics)
    if args.csv:
        return _actions().export_table(database, args.csv, "csv")
    return _actions().export_table(database, args.xlsx, "xlsx")


def daysheets_command(args: argparse.Namespace) -> dict[str, Any]:
    return _actions().export_day_sheets(_database(args), args.output, args.day)


def venues_command(args: argparse.Namespace) -> list[dict[str, Any]]:
    return _actions().list_venues(_database(args))


def venue_add_command(args: argparse.Namespace) -> dict[str, Any]:
    return _change_result(_actions().add_venue(_database(args), args.name, args.address, args.accessibility))


def screen_add_command(args: argparse.Namespace) -> dict[str, Any]:
    return _change_result(_actions().add_screen(_database(args), args.venue, args.name, args.capacity,
                                             args.opens, args.closes))


def _render_findings(findings: list[dict[str, Any]]) -> str:
    if not findings:
        return "No conflicts."
    return "\n".join(f"{f['severity'].upper():8} {f['rule']}: {f['message']}" for f in findings)


def _render_screenings(rows: list[dict[str, Any]]) -> str:
    return "\n".join(f"{r['id']:>5}  {r['start'][:16].replace('T', ' ')}–{r['end'][11:16]}  "
                     f"{r['venue']} / {r['screen']}  {r['title']}" for r in rows) or "No screenings."


def _render_change(result: dict[str, Any]) -> str:
    return result["description"]


def _render_written(result: dict[str, Any]) -> str:
    return f"Wrote {result['screenings']} screenings to {result['path']}"


def _render_venues(venues: list[dict[str, Any]]) -> str:
    lines = []
    for venue in venues:
        lines.append(f"{venue['id']:>4}  {venue['name']}")
        for screen in venue["screens"]:
            seats = f"  ({screen['capacity']} seats)" if screen["capacity"] else ""
            lines.append(f"      {screen['id']:>4}  {screen['name']}{seats}")
    return "\n".join(lines) or "No venues."
