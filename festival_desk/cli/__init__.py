"""The `festival-desk` command line: the same actions as the GUI, from a terminal.

Every area registers its sub-commands from its own module (see `_AREAS`). A sub-command is a
function taking the parsed arguments and returning a value: with `--json` the value is printed as
JSON, otherwise through the command's own `render` (or as JSON when it has none). A `UserError`
becomes one line on stderr and exit code 1; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from festival_desk import version
from festival_desk.cli._common import UserError, db_url_argument, run_command
from festival_desk.store.locations import FESTIVAL_FILE_SUFFIXES

# Each module has `register(subparsers)`. Kept as names so that a broken optional area cannot stop
# the rest of the command line from starting, and so that start-up imports only what runs.
_AREAS = (
    "festival_desk.cli.basics",
    "festival_desk.cli.reviews",
    "festival_desk.cli.submissions",
    "festival_desk.cli.search",
    "festival_desk.cli.schedule",
    "festival_desk.cli.booklet",
)


class _VersionAction(argparse.Action):
    """`--version`: the version is looked up only when asked for (the lookup costs start-up time)."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        print(f"festival-desk {version()}")
        parser.exit()


def _top_parser(*, add_help: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="festival-desk",
        description="Festival Desk: run a documentary festival's programming season. "
        "Without a command, opens the desk (GUI); `festival-desk FILE.festival` opens it on that file.",
        add_help=add_help,
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    parser.add_argument("--db", metavar="URL", help="database: a file path or an SQLAlchemy URL "
                        "(default: $FESTIVAL_DESK_DB, else the demo-ready file in your data folder)")
    parser.add_argument("--demo", action="store_true",
                        help="open the desk on the demo festival (created on first use)")
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _top_parser()
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in _AREAS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as missing:
            if missing.name == module_name:
                continue
            raise
        module.register(subparsers)
    return parser


def open_desk(args: argparse.Namespace) -> int:
    """No sub-command: the GUI."""
    from festival_desk.gui.app import run_desk

    return run_desk(db_url_argument(args), demo=args.demo)


def _festival_file(rest: list[str]) -> str | None:
    """`festival-desk FILE`, as a file manager opens a festival file: the file, when the one word
    left after the options has a festival extension or names a folder, so is no command name."""
    if len(rest) != 1 or rest[0].startswith("-"):
        return None
    word = rest[0]
    if Path(word).suffix.lower() in FESTIVAL_FILE_SUFFIXES or os.sep in word:
        return word
    return None


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    # Opening the desk needs only the top-level options. The commands' modules load SQLAlchemy,
    # ReportLab and openpyxl (a second and a half): registering them first would hold the window.
    desk_args, rest = _top_parser(add_help=False).parse_known_args(arguments)
    if not rest:
        return run_command(open_desk, desk_args)
    if (path := _festival_file(rest)) is not None:
        desk_args.db = path
        return run_command(open_desk, desk_args)
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.command is None:
        return run_command(open_desk, args)
    return run_command(args.handler, args)


__all__ = ["main", "build_parser", "UserError"]
