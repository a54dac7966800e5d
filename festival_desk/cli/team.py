"""Sub-commands for several people on one festival: the change feed, the team on a PostgreSQL
database, moving a festival between databases, and a film's edit history."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from festival_desk.cli._common import command, open_database_from_args
from festival_desk.core.errors import UserError


def register(subparsers: argparse._SubParsersAction) -> None:
    changes = subparsers.add_parser("changes", help="the change log: who changed what, and when")
    changes.add_argument("--since", type=int, metavar="SEQ",
                         help="entries after this sequence number (default: all; with --follow: from now on)")
    changes.add_argument("--follow", action="store_true",
                         help="keep printing entries as colleagues' changes are committed (one JSON object "
                              "per line with --json), until interrupted")
    changes.add_argument("--prune", action="store_true",
                         help="remove entries older than the festival's setting (or --days) and exit")
    changes.add_argument("--days", type=int, metavar="N", help="with --prune: keep N days")
    changes.add_argument("--keep", type=int, metavar="DAYS",
                         help="set how many days the festival's change log keeps its entries (default 30)")
    command(changes, changes_command, _render_changes)

    team = subparsers.add_parser("team", help="the committee on a PostgreSQL team database")
    team_sub = team.add_subparsers(dest="team_command", metavar="COMMAND", required=True)
    init = team_sub.add_parser("init", help="set up the team's roles and grants (run once, as the database owner)")
    command(init, team_init_command, lambda r: "team roles: " + ", ".join(f"{k} = {v}" for k, v in r["roles"].items()))
    add = team_sub.add_parser("add", help="add a committee member with their own login")
    add.add_argument("name", metavar="NAME", help="the member's name as the committee knows them")
    add.add_argument("--login", required=True, metavar="LOGIN", help="the database login they sign in with")
    add.add_argument("--role", required=True, choices=("viewer", "programmer", "lead", "admin"))
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input (otherwise one is generated and shown once)")
    command(add, team_add_command, _render_added)
    listing = team_sub.add_parser("list", help="who is on the team, with their role")
    command(listing, team_list_command, _render_members)

    copy = subparsers.add_parser("copy", help="copy a whole festival to another (new, empty) database")
    copy.add_argument("source", metavar="SOURCE_URL", help="file path or database URL to copy from")
    copy.add_argument("destination", metavar="DEST_URL", help="file path or database URL to copy into")
    command(copy, copy_command, _render_copy, db=False)

    history = subparsers.add_parser("history", help="a film's edit history: who changed which field, old and new")
    history.add_argument("film_id", type=int, metavar="FILM_ID")
    history.add_argument("--restore", type=int, metavar="ENTRY",
                         help="put back the value a field had before history entry ENTRY")
    command(history, history_command, _render_history)


# --- changes ----------------------------------------------------------------------------------------


def _render_changes(entries: list[dict[str, Any]]) -> str:
    return "\n".join(_entry_line(entry) for entry in entries) or "no changes"


def _entry_line(entry: dict[str, Any]) -> str:
    return f"{entry['seq']:>7}  {entry['at'][:19].replace('T', ' ')}  {entry['who'] or '-'}: {entry['description']}"


def changes_command(args: argparse.Namespace) -> list[dict[str, Any]] | int | dict[str, Any]:
    from festival_desk.actions import feed
    from festival_desk.store import changelog

    with open_database_from_args(args) as database:
        if args.keep is not None:
            return feed.set_keep_days(database, args.keep).details
        if args.prune:
            with database.transaction() as session:
                removed = changelog.prune(session.connection(), days=args.days)
            return {"removed": removed}
        if not args.follow:
            return [entry.as_dict() for entry in feed.read_changes(database, args.since or 0).entries]
        for batch in feed.follow(database, args.since):
            if batch.behind:
                _print_line(args, {"behind": True, "message": "entries were pruned before they could be read"})
            for entry in batch.entries:
                _print_line(args, entry.as_dict())
        return 0


def _print_line(args: argparse.Namespace, value: dict[str, Any]) -> None:
    text = json.dumps(value, ensure_ascii=False) if args.json else (
        _entry_line(value) if "seq" in value else value["message"])
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# --- team --------------------------------------------------------------------------------------------


def team_init_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions import team

    with open_database_from_args(args) as database:
        return team.init(database).details


def _read_password() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise UserError("--password-stdin: no password on standard input")
    return password


def team_add_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions import team

    password = _read_password() if args.password_stdin else None
    with open_database_from_args(args) as database:
        added = team.add(database, args.name, args.login, args.role, password=password).details["added"]
    result = {"login": added.login, "role": added.role, "programmer": added.programmer}
    if added.password is not None:
        result["password"] = added.password  # generated: shown this once, stored nowhere
    return result


def _render_added(result: dict[str, Any]) -> str:
    line = f"{result['programmer']} signs in as {result['login']} ({result['role']})"
    if "password" in result:
        line += f"\npassword (shown once, hand it over now): {result['password']}"
    return line


def team_list_command(args: argparse.Namespace) -> list[dict[str, Any]]:
    from festival_desk.actions import team

    with open_database_from_args(args) as database:
        return [{"login": row.login or None, "role": row.role, "programmer": row.programmer,
                 "can_sign_in": row.can_sign_in} for row in team.members(database)]


def _render_members(rows: list[dict[str, Any]]) -> str:
    return "\n".join(f"{row['login'] or '(no login)':<24} {row['role'] or '-':<11} {row['programmer'] or ''}"
                     for row in rows) or "no members"


# --- copy ----------------------------------------------------------------------------------------------


def copy_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.copying import copy_festival

    return copy_festival(args.source, args.destination).as_dict()


def _render_copy(result: dict[str, Any]) -> str:
    lines = [f"copied {result['source']} → {result['destination']}", f"{'table':<16} {'source':>8} {'copy':>8}"]
    lines += [f"{name:<16} {counts['source']:>8} {counts['destination']:>8}" for name, counts in result["tables"].items()]
    lines.append("row counts match" if result["match"] else "ROW COUNTS DIFFER")
    return "\n".join(lines)


# --- history -----------------------------------------------------------------------------------------


def history_command(args: argparse.Namespace) -> list[dict[str, Any]] | dict[str, Any]:
    from festival_desk.actions import films

    with open_database_from_args(args) as database:
        if args.restore is not None:
            change = films.restore_value(database, args.restore)
            return {"restored": args.restore, "description": change.description, "film_id": args.film_id}
        return [{"id": edit.id, "at": edit.at.isoformat(), "who": edit.who, "field": edit.field,
                 "old": edit.old_value, "new": edit.new_value, "source": edit.source}
                for edit in films.edit_history(database, args.film_id)]


def _render_history(result: list[dict[str, Any]] | dict[str, Any]) -> str:
    if isinstance(result, dict):
        return result["description"]
    return "\n".join(f"{row['id']:>6}  {row['at'][:16].replace('T', ' ')}  {row['who']}: {row['field']} "
                     f"{json.dumps(row['old'], ensure_ascii=False)} → {json.dumps(row['new'], ensure_ascii=False)}"
                     for row in result) or "no edits recorded"

