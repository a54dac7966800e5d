"""The `festival-desk` command line: the same actions as the GUI, from a terminal.

Every command is named in `COMMANDS` with the module that registers it and its one-line help, so
that `festival-desk --help` lists them without importing any (no database or PDF stack loads for
help), and a command imports only its own module (`register(subparsers)`), whose heavy imports sit
inside the command functions. A sub-command is a function taking the parsed arguments and
returning a value: with `--json` the value is printed as JSON, otherwise through the command's own
`render` (or as JSON when it has none). A `UserError` becomes one line on stderr and exit code 1;
no traceback reaches the user.

A new command: add it to `COMMANDS` and register it in its module.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from festival_desk import version
from festival_desk.cli._common import UserError, db_url_argument, run_command
from festival_desk.store.locations import FESTIVAL_SUFFIXES, HOW_THE_DEFAULT_IS_CHOSEN

# command: (module registering it, help shown by `festival-desk --help`)
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("festival_desk.cli.basics", "create the demo festival (refuses to overwrite without --force)"),
    "generate": ("festival_desk.cli.basics", "generate a festival of any size (deterministic)"),
    "info": ("festival_desk.cli.basics", "which festival file is used, what it holds, its schema revision"),
    "films": ("festival_desk.cli.basics", "films of the festival"),
    "programmers": ("festival_desk.cli.basics", "the programming committee: list, add, rename, merge"),
    "review": ("festival_desk.cli.reviews", "critic reviews: parse, import, pull quotes"),
    "submissions": ("festival_desk.cli.submissions", "submissions intake"),
    "status": ("festival_desk.cli.submissions", "the programming status of films"),
    "rate": ("festival_desk.cli.submissions", "rate a film 1-5 as a programmer"),
    "shortlist": ("festival_desk.cli.submissions", "committee sheets"),
    "export": ("festival_desk.cli.submissions", "export a (filtered) film list"),
    "search": ("festival_desk.cli.search",
               "find films by title, original title, director, synopsis, notes or review text"),
    "schedule": ("festival_desk.cli.schedule", "the timetable: screenings, conflict check, exports"),
    "venues": ("festival_desk.cli.schedule", "venues and their screens (without a command: list them)"),
    "booklet": ("festival_desk.cli.booklet", "build the programme booklet (print-ready PDF)"),
    "text-language": ("festival_desk.cli.booklet",
                      "the language synopses are written in (hyphenation, quotation marks), festival or film"),
    "changes": ("festival_desk.cli.team", "the change log: who changed what and when (--follow: as it happens)"),
    "team": ("festival_desk.cli.team", "the committee on a PostgreSQL team database: init, add, list"),
    "copy": ("festival_desk.cli.team", "copy a whole festival to another (new, empty) database"),
    "history": ("festival_desk.cli.team", "a film's edit history: who changed which field, old and new"),
    "assign": ("festival_desk.cli.committee", "give films to programmers to watch, or spread them over the committee"),
    "assignments": ("festival_desk.cli.committee", "who is to watch what, by due date (overdue ones marked)"),
    "watched": ("festival_desk.cli.committee", "mark a film watched (or where you stopped)"),
    "conflict": ("festival_desk.cli.committee", "conflicts of interest: declare, withdraw, list"),
    "rubric": ("festival_desk.cli.committee", "the weighted rubric: set, show"),
    "languages": ("festival_desk.cli.committee", "the languages each programmer can follow a film in"),
    "screener": ("festival_desk.cli.committee", "a film's screener link (and password, when asked)"),
    "facts": ("festival_desk.cli.committee", "catalogue facts: accessibility, content advice, age"),
    "meeting": ("festival_desk.cli.committee", "selection meetings: agenda, decisions, the one-page record"),
}


class _Parser(argparse.ArgumentParser):
    """argparse with the command line's error contract: one line on stderr, exit code 1."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(1, f"festival-desk: error: {self.prog.removeprefix('festival-desk ')}: {message}\n"
                  if self.prog != "festival-desk" else f"festival-desk: error: {message}\n")


class _VersionAction(argparse.Action):
    """`--version`: the version is looked up only when asked for (the lookup costs start-up time)."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        print(f"festival-desk {version()}")
        parser.exit()


def _top_parser(*, add_help: bool = True) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="festival-desk",
        description="Festival Desk: run a documentary festival's programming season. "
        "Without a command, opens the desk (GUI).",
        epilog=f"Which festival: {HOW_THE_DEFAULT_IS_CHOSEN}. `festival-desk info` says which file it used.",
        add_help=add_help,
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    parser.add_argument("--db", metavar="URL", help="database: a file path or an SQLAlchemy URL "
                        "(default: see below)")
    parser.add_argument("--demo", action="store_true",
                        help="open the desk on the demo festival (created on first use)")
    return parser


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The full parser of `command` (every command's when None: tests and documentation)."""
    parser = _top_parser()
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = list(dict.fromkeys(module for module, _ in COMMANDS.values())) if command is None \
        else [COMMANDS[command][0]]
    for module_name in modules:
        importlib.import_module(module_name).register(subparsers)
    return parser


def _help_parser() -> argparse.ArgumentParser:
    """The top-level parser with every command listed by name and help only (nothing imported)."""
    parser = _top_parser()
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, text) in COMMANDS.items():
        subparsers.add_parser(name, help=text, add_help=False)
    return parser


def open_desk(args: argparse.Namespace) -> int:
    """No sub-command: the GUI."""
    from festival_desk.gui.app import run_desk

    return run_desk(db_url_argument(args), demo=args.demo)


def _is_festival_file(word: str) -> bool:
    path = Path(word)
    return path.suffix.lower() in FESTIVAL_SUFFIXES or path.is_file()


def _command_named(rest: list[str]) -> str | None:
    return next((word for word in rest if not word.startswith("-")), None)


def main(argv: list[str] | None = None) -> int:
    """Run the command line on `argv` (default: sys.argv); returns the exit code (0, or 1 after
    one error line on stderr; help and --version return 0)."""
    try:
        return _main(sys.argv[1:] if argv is None else list(argv))
    except SystemExit as exiting:  # argparse: help, --version, or a usage error
        return exiting.code if isinstance(exiting.code, int) else 1


def _main(arguments: list[str]) -> int:
    # Opening the desk needs only the top-level options; a command loads only its own module.
    desk_args, rest = _top_parser(add_help=False).parse_known_args(arguments)
    if not rest:
        return run_command(open_desk, desk_args)
    command = _command_named(rest)
    if command not in COMMANDS and rest == [command] and _is_festival_file(command):
        desk_args.db = command  # `festival-desk NAME.festival`: a double-clicked festival file
        return run_command(open_desk, desk_args)
    if command not in COMMANDS:
        _help_parser().parse_args(arguments)  # prints help, or names the unknown command, and exits
        return run_command(open_desk, desk_args)
    args = build_parser(command).parse_args(arguments)
    return run_command(args.handler, args)


__all__ = ["COMMANDS", "main", "build_parser", "UserError"]
