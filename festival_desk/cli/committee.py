"""Sub-commands of the committee's process: assignments and their spread, watched marks, conflicts
of interest, the rubric, language skills, screeners, catalogue facts and meetings.

The contract (issue 15): `assign FILM_ID... --to NAME [--due DATE] --json`, `assign spread
--viewers K [--due DATE] [--status S] --json`, `assignments [--as NAME] [--overdue] --json`,
`watched FILM_ID --as NAME [--minutes N]`, `conflict declare FILM_ID --as NAME --reason TEXT`,
`conflict list --json`, `rubric set "Craft:2,Relevance:1"`, `rubric show --json`, and `rate
FILM_ID --criterion Craft=4 ... --as NAME` (in cli.submissions beside the whole-score form).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from typing import Any

from festival_desk.cli._common import command, open_database_from_args
from festival_desk.core.errors import UserError


def register(subparsers: argparse._SubParsersAction) -> None:
    assign = subparsers.add_parser(
        "assign", help="give films to a programmer to watch, or spread every film over the committee",
        description="Either `assign FILM_ID... --to NAME [--due DATE]`, or `assign spread --viewers K "
                    "[--due DATE] [--status S]` to give every film (or those in status S) K viewers.")
    assign.add_argument("items", nargs="+", metavar="FILM_ID... | spread")
    assign.add_argument("--to", metavar="NAME", help="the programmer who is to watch them")
    assign.add_argument("--due", metavar="DATE", help="by when (YYYY-MM-DD; a past day shows as overdue)")
    assign.add_argument("--viewers", type=int, metavar="K", help="with spread: viewers each film should have")
    assign.add_argument("--status", action="append", default=[], metavar="S",
                        help="with spread: only films in this status (repeatable; default every film)")
    assign.add_argument("--remove", action="store_true", help="take the films back from --to instead")
    command(assign, assign_command, _render_assign)

    listing = subparsers.add_parser("assignments", help="who is to watch what, by due date")
    listing.add_argument("--as", dest="programmer", metavar="NAME", help="only this programmer's")
    listing.add_argument("--overdue", action="store_true", help="only those past their due date and not watched")
    listing.add_argument("--open", action="store_true", help="only those not watched or rated yet")
    command(listing, assignments_command, _render_assignments)

    watched = subparsers.add_parser("watched", help="mark a film watched (or where you stopped)")
    watched.add_argument("film_id", type=int, metavar="FILM_ID")
    watched.add_argument("--as", dest="programmer", metavar="NAME",
                         help="who (on a team database: the signed-in login)")
    watched.add_argument("--minutes", type=int, metavar="N", help="stopped at minute N (default: to the end)")
    watched.add_argument("--not", dest="unmark", action="store_true", help="take the mark back")
    command(watched, watched_command, _render_watched)

    conflict = subparsers.add_parser("conflict", help="conflicts of interest")
    conflict_sub = conflict.add_subparsers(dest="conflict_command", metavar="COMMAND", required=True)
    declare = conflict_sub.add_parser("declare", help="declare a conflict of interest with a film")
    declare.add_argument("film_id", type=int, metavar="FILM_ID")
    declare.add_argument("--as", dest="programmer", metavar="NAME",
                         help="who (on a team database: the signed-in login)")
    declare.add_argument("--reason", required=True, metavar="TEXT", help="why (the leads see it)")
    command(declare, declare_command, lambda r: f"{r['programmer']} is recused from film {r['film_id']} "
                                                f"“{r['title']}”: {r['reason']}")
    withdraw = conflict_sub.add_parser("withdraw", help="withdraw a declared conflict of interest")
    withdraw.add_argument("film_id", type=int, metavar="FILM_ID")
    withdraw.add_argument("--as", dest="programmer", metavar="NAME",
                          help="who (on a team database: the signed-in login)")
    command(withdraw, withdraw_command, lambda r: f"{r['programmer']} no longer recused from film {r['film_id']}")
    conflict_list = conflict_sub.add_parser("list", help="every declared conflict of interest, with its reason")
    conflict_list.add_argument("--film", type=int, metavar="FILM_ID")
    command(conflict_list, conflict_list_command,
            lambda rows: "\n".join(f"{r['film_id']:>6}  {r['title']}  —  {r['programmer']}: {r['reason']}"
                                   for r in rows) or "no conflicts of interest declared")

    rubric = subparsers.add_parser("rubric", help="the weighted rubric ratings are given by")
    rubric_sub = rubric.add_subparsers(dest="rubric_command", metavar="COMMAND", required=True)
    rubric_set = rubric_sub.add_parser("set", help='set the criteria and weights: "Craft:2,Relevance:1,..."')
    rubric_set.add_argument("rubric", metavar="CRITERIA")
    command(rubric_set, rubric_set_command, lambda r: f"rubric: {r['rubric']}")
    rubric_show = rubric_sub.add_parser("show", help="the criteria and weights in force")
    command(rubric_show, rubric_show_command, _render_rubric)

    languages = subparsers.add_parser("languages", help="the languages each programmer can follow a film in")
    languages_sub = languages.add_subparsers(dest="languages_command", metavar="COMMAND", required=True)
    languages_set = languages_sub.add_parser("set", help="set a programmer's languages (none: any film)")
    languages_set.add_argument("languages", nargs="*", metavar="LANGUAGE")
    languages_set.add_argument("--as", dest="programmer", metavar="NAME",
                               help="who (on a team database: the signed-in login)")
    command(languages_set, languages_set_command,
            lambda r: f"{r['programmer']}: {', '.join(r['languages']) or 'any language'}")
    languages_list = languages_sub.add_parser("list", help="every member's languages")
    command(languages_list, languages_list_command,
            lambda rows: "\n".join(f"{r['programmer']}: {', '.join(r['names']) or '(not known)'}" for r in rows))

    screener = subparsers.add_parser("screener", help="a film's screener link (and password, when asked)")
    screener.add_argument("film_id", type=int, metavar="FILM_ID")
    screener.add_argument("--password", action="store_true", help="show the password too")
    command(screener, screener_command, _render_screener)

    facts = subparsers.add_parser("facts", help="catalogue facts: accessibility, content advice, age")
    facts_sub = facts.add_subparsers(dest="facts_command", metavar="COMMAND", required=True)
    facts_show = facts_sub.add_parser("show", help="a film's catalogue facts")
    facts_show.add_argument("film_id", type=int, metavar="FILM_ID")
    command(facts_show, facts_show_command, lambda r: "; ".join(r["printed"]) or "no catalogue facts")
    facts_set = facts_sub.add_parser("set", help="set a film's catalogue facts")
    facts_set.add_argument("film_id", type=int, metavar="FILM_ID")
    facts_set.add_argument("--subtitles", metavar="LANGUAGE", help='subtitle language ("" clears it)')
    facts_set.add_argument("--sdh", choices=("yes", "no", "unknown"), help="subtitles for the deaf and hard of hearing")
    facts_set.add_argument("--audio-description", choices=("yes", "no", "unknown"))
    facts_set.add_argument("--content-advice", metavar="TEXT", help='("" clears it)')
    facts_set.add_argument("--age", metavar="N", help="recommended minimum age (0: all ages; none: not known)")
    command(facts_set, facts_set_command, lambda r: "; ".join(r["printed"]) or "no catalogue facts")
    facts_map = facts_sub.add_parser("map", help="map a custom question of the submission form to a fact")
    facts_map.add_argument("question", metavar="QUESTION")
    facts_map.add_argument("fact", metavar="FACT",
                           help="subtitle_language, sdh, audio_description, content_advice, age_recommendation or none")
    command(facts_map, facts_map_command, lambda r: f"“{r['question']}” → {r['fact'] or 'ignored'}")
    facts_mapping = facts_sub.add_parser("mapping", help="the saved question mapping")
    command(facts_mapping, facts_mapping_command)

    meeting = subparsers.add_parser("meeting", help="selection meetings: agenda, decisions, the one-page record")
    meeting_sub = meeting.add_subparsers(dest="meeting_command", metavar="COMMAND", required=True)
    start = meeting_sub.add_parser("start", help="open a meeting on an agenda")
    start.add_argument("--title", default="", metavar="TEXT")
    start.add_argument("--as", dest="programmer", metavar="NAME",
                       help="who chairs it (on a team database: the signed-in login)")
    start.add_argument("--present", default="", metavar="NAMES", help="comma-separated committee members present")
    agenda = start.add_mutually_exclusive_group(required=True)
    agenda.add_argument("--status", metavar="S", help="the films in this status")
    agenda.add_argument("--filter", metavar="NAME", help="the films a saved filter admits")
    agenda.add_argument("--films", metavar="IDS", help="comma-separated film ids")
    command(start, meeting_start_command, lambda r: f"meeting {r['meeting_id']}: {len(r['films'])} films")
    show = meeting_sub.add_parser("show", help="the ranked agenda with decisions so far")
    show.add_argument("meeting_id", type=int, metavar="MEETING_ID")
    command(show, meeting_show_command, _render_meeting)
    decide = meeting_sub.add_parser("decide", help="decide on a film: shortlist, select, decline or discuss")
    decide.add_argument("meeting_id", type=int, metavar="MEETING_ID")
    decide.add_argument("film_id", type=int, metavar="FILM_ID")
    decide.add_argument("decision", choices=("shortlist", "select", "decline", "discuss"))
    decide.add_argument("--as", dest="programmer", metavar="NAME",
                        help="who (on a team database: the signed-in login)")
    command(decide, meeting_decide_command, lambda r: f"{r['decision']}: film {r['film_id']}")
    sheet = meeting_sub.add_parser("sheet", help="the meeting's decisions on one PDF page")
    sheet.add_argument("meeting_id", type=int, metavar="MEETING_ID")
    sheet.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    command(sheet, meeting_sheet_command, lambda r: f"wrote {r['path']} ({r['decisions']} decisions)")
    end = meeting_sub.add_parser("end", help="close a meeting")
    end.add_argument("meeting_id", type=int, metavar="MEETING_ID")
    command(end, meeting_end_command, lambda r: f"meeting {r['meeting_id']} ended")
    meeting_list = meeting_sub.add_parser("list", help="every meeting")
    command(meeting_list, meeting_list_command,
            lambda rows: "\n".join(f"{r['id']:>4}  {r['title']}  ({r['decisions']} decisions)" for r in rows)
            or "no meetings yet")


def _plain(value: Any) -> Any:
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value


# --- assignments --------------------------------------------------------------------------------


def assign_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.committee import assign_films, parse_due_date, spread_assignments

    due = parse_due_date(args.due)
    if args.items[0] == "spread":
        if len(args.items) > 1:
            raise UserError(f"assign spread takes no film ids (got {' '.join(args.items[1:])})")
        if args.viewers is None:
            raise UserError("assign spread needs --viewers K")
        if args.to or args.remove:
            raise UserError("assign spread chooses the programmers itself: leave out --to and --remove")
        with open_database_from_args(args) as database:
            details = spread_assignments(database, args.viewers, due=due, statuses=args.status).details
        return {"spread": True, **details}
    if args.viewers is not None or args.status:
        raise UserError("--viewers and --status go with `assign spread`")
    if not args.to:
        raise UserError("assign: name who is to watch the films (--to NAME)")
    try:
        film_ids = [int(item) for item in args.items]
    except ValueError:
        raise UserError(f"assign: film ids are numbers, not {' '.join(args.items)!r} "
                        "(or use `assign spread --viewers K`)") from None
    with open_database_from_args(args) as database:
        details = assign_films(database, film_ids, args.to, due=due, remove=args.remove).details
    return {"spread": False, **details, "overdue": bool(due and due < dt.date.today())}


def _render_assign(result: dict[str, Any]) -> str:
    if result["spread"]:
        lines = [f"{result['films']} films, {result['viewers']} viewers each: {result['added']} new assignments"]
        width = max((len(name) for name in result["per_programmer"]), default=0)
        lines += [f"  {name:<{width}}  +{count}  ({result['totals'][name]} open)"
                  for name, count in result["per_programmer"].items()]
        lines += [f"  short: film {item['film_id']} “{item['title']}” has {item['viewers']}: {item['reason']}"
                  for item in result["short"]]
        return "\n".join(lines)
    due = f" by {result['due']}" + (" (overdue)" if result["overdue"] else "") if result["due"] else ""
    return (f"{result['programmer']}{due}: {len(result['assigned'])} assigned, "
            f"{len(result['due_changed'])} due date changed, {len(result['removed'])} taken back, "
            f"{len(result['unchanged'])} unchanged")


def assignments_command(args: argparse.Namespace) -> list[dict[str, Any]]:
    from festival_desk.actions.committee import assignments

    with open_database_from_args(args) as database:
        rows = assignments(database, args.programmer, overdue_only=args.overdue, open_only=args.open)
    return [{"film_id": row.film_id, "title": row.title, "programmer": row.programmer, "due": row.due,
             "overdue": row.overdue, "watched": row.watched, "stopped_at": row.minutes, "rated": row.rated,
             "done": row.done, "status": row.status, "assigned_at": row.assigned_at} for row in rows]


def _render_assignments(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no assignments"
    lines = []
    for row in rows:
        state = "done" if row["done"] else ("OVERDUE" if row["overdue"] else "to watch")
        if row["stopped_at"]:
            state += f" (stopped at {row['stopped_at']} min)"
        lines.append(f"{str(row['due'] or '—'):>10}  {row['film_id']:>6}  {row['title']}  [{row['programmer']}: {state}]")
    return "\n".join(lines)


def watched_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.committee import mark_watched, unmark_watched

    with open_database_from_args(args) as database:
        if args.unmark:
            if args.minutes is not None:
                raise UserError("--not takes no --minutes")
            unmark_watched(database, args.film_id, args.programmer)
            return {"film_id": args.film_id, "watched": False}
        details = mark_watched(database, args.film_id, args.programmer, args.minutes).details
    return {"watched": True, **details}


def _render_watched(result: dict[str, Any]) -> str:
    if not result["watched"]:
        return f"film {result['film_id']}: not watched"
    how = "to the end" if result["to_the_end"] else f"stopped at {result['minutes']} min"
    return f"{result['programmer']} watched film {result['film_id']} “{result['title']}” ({how})"


# --- conflicts -----------------------------------------------------------------------------------


def declare_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.committee import declare_conflict

    with open_database_from_args(args) as database:
        return declare_conflict(database, args.film_id, args.programmer, args.reason).details


def withdraw_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.committee import withdraw_conflict

    with open_database_from_args(args) as database:
        return withdraw_conflict(database, args.film_id, args.programmer).details


def conflict_list_command(args: argparse.Namespace) -> list[dict[str, Any]]:
    from festival_desk.actions.committee import conflicts

    with open_database_from_args(args) as database:
        return [_plain(row) for row in conflicts(database, args.film)]


# --- the rubric ----------------------------------------------------------------------------------


def rubric_set_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.rubric import set_rubric

    with open_database_from_args(args) as database:
        return set_rubric(database, args.rubric).details


def rubric_show_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.rubric import rubric

    with open_database_from_args(args) as database:
        return rubric(database)


def _render_rubric(result: dict[str, Any]) -> str:
    if not result["criteria"]:
        return 'no rubric: ratings are one overall score (set one with: festival-desk rubric set "Craft:2,...")'
    lines = [f"{item['name']}: weight {item['weight']:g} ({item['share']:.0%})" for item in result["criteria"]]
    if result["retired"]:
        lines.append(f"earlier criteria: {', '.join(result['retired'])}")
    return "\n".join(lines)


# --- languages, screeners, facts ------------------------------------------------------------------


def languages_set_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.committee import set_languages

    with open_database_from_args(args) as database:
        return set_languages(database, args.programmer, args.languages).details


def languages_list_command(args: argparse.Namespace) -> list[dict[str, Any]]:
    from festival_desk.actions.committee import committee_languages

    with open_database_from_args(args) as database:
        return committee_languages(database)


def screener_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.committee import screener

    with open_database_from_args(args) as database:
        found = screener(database, args.film_id, reveal=args.password)
    result = _plain(found)
    if not args.password:
        result.pop("password")
    return result


def _render_screener(result: dict[str, Any]) -> str:
    lines = [f"{result['title']}: {result['link'] or 'no screener link'}"]
    if "password" in result:
        lines.append(f"password: {result['password'] or '(none)'}")
    elif result["has_password"]:
        lines.append("password: (add --password to show it)")
    return "\n".join(lines)


def facts_show_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.facts import catalogue_facts

    with open_database_from_args(args) as database:
        return catalogue_facts(database, args.film_id).as_dict()


_YES_NO = {"yes": True, "no": False, "unknown": None}


def facts_set_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.facts import set_facts

    changes: dict[str, Any] = {}
    if args.subtitles is not None:
        changes["subtitles"] = args.subtitles
    if args.sdh is not None:
        changes["sdh"] = _YES_NO[args.sdh]
    if args.audio_description is not None:
        changes["audio_description"] = _YES_NO[args.audio_description]
    if args.content_advice is not None:
        changes["content_advice"] = args.content_advice
    if args.age is not None:
        if args.age.strip().lower() in ("none", "unknown", ""):
            changes["age_recommendation"] = None
        else:
            try:
                changes["age_recommendation"] = int(args.age)
            except ValueError:
                raise UserError(f"--age: a whole number from 0 (all ages) to 21, or none; not {args.age!r}") from None
    if not changes:
        raise UserError("facts set: give at least one of --subtitles, --sdh, --audio-description, "
                        "--content-advice, --age")
    with open_database_from_args(args) as database:
        return set_facts(database, args.film_id, **changes).details["facts"]


def facts_map_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.facts import map_question

    with open_database_from_args(args) as database:
        return map_question(database, args.question, args.fact).details


def facts_mapping_command(args: argparse.Namespace) -> dict[str, str]:
    from festival_desk.actions.facts import facts_mapping

    with open_database_from_args(args) as database:
        return facts_mapping(database)


# --- meetings -------------------------------------------------------------------------------------


def meeting_start_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.filters import load_filter
    from festival_desk.actions.meeting import start_meeting
    from festival_desk.store.filters import FilmFilter

    present = [name for name in args.present.split(",") if name.strip()]
    with open_database_from_args(args) as database:
        if args.films:
            try:
                ids = [int(item) for item in args.films.split(",") if item.strip()]
            except ValueError:
                raise UserError(f"--films: comma-separated film ids, not {args.films!r}") from None
            change = start_meeting(database, args.title, args.programmer, present, films=ids)
        elif args.filter:
            change = start_meeting(database, args.title, args.programmer, present,
                                   film_filter=load_filter(database, args.filter),
                                   agenda_label=f"saved filter “{args.filter}”")
        else:
            from festival_desk.core.workflow import parse_status

            try:
                status = parse_status(args.status)
            except ValueError as error:
                raise UserError(f"--status: {error}") from None
            change = start_meeting(database, args.title, args.programmer, present,
                                   film_filter=FilmFilter(statuses=(status.value,)),
                                   agenda_label=f"all {status.label.lower()} films")
    return change.details


def meeting_show_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.meeting import agenda

    with open_database_from_args(args) as database:
        return _plain(agenda(database, args.meeting_id))


def _render_meeting(view: dict[str, Any]) -> str:
    lines = [f"{view['title']} — present: {', '.join(view['present'])}"]
    for film in view["films"]:
        mean = "–" if film["mean"] is None else f"{film['mean']:.2f}"
        spread = "–" if film["spread"] is None else f"{film['spread']:.2f}"
        recused = f"; recused: {', '.join(film['recused'])}" if film["recused"] else ""
        decided = f"  → {film['decision']}" if film["decision"] else ""
        lines.append(f"{film['rank']:>3}. {film['title']}  mean {mean} ± {spread}, {film['ratings']} ratings, "
                     f"{film['viewers']} viewers{recused}{decided}")
    return "\n".join(lines)


def meeting_decide_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.meeting import decide

    with open_database_from_args(args) as database:
        return decide(database, args.meeting_id, args.film_id, args.decision, args.programmer).details


def meeting_sheet_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.meeting import write_meeting_pdf

    with open_database_from_args(args) as database:
        return write_meeting_pdf(database, args.meeting_id, args.output).details


def meeting_end_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.meeting import end_meeting

    with open_database_from_args(args) as database:
        end_meeting(database, args.meeting_id)
    return {"meeting_id": args.meeting_id}


def meeting_list_command(args: argparse.Namespace) -> list[dict[str, Any]]:
    from festival_desk.actions.meeting import meetings

    with open_database_from_args(args) as database:
        return meetings(database)
