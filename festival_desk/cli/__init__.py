"""The `festival-desk` command line: the same actions as the GUI, from a terminal.

Every area registers its sub-commands from its own module (see `_AREAS`). A sub-command is a
function taking the parsed arguments and returning a value: with `--json` the value is printed as
JSON, otherwise through the command's own `render` (or as JSON when it has none). A `UserError`
becomes one line on stderr and exit code 1; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import importlib

from festival_desk import __version__
from festival_desk.cli._common import UserError, run_command

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="festival-desk",
        description="Festival Desk: run a documentary festival's programming season. "
        "Without a command, opens the desk (GUI).",
    )
    parser.add_argument("--version", action="version", version=f"festival-desk {__version__}")
    parser.add_argument("--db", metavar="URL", help="database: a file path or an SQLAlchemy URL "
                        "(default: $FESTIVAL_DESK_DB, else the demo-ready file in your data folder)")
    parser.add_argument("--demo", action="store_true",
                        help="open the desk on the demo festival (created on first use)")
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


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from festival_desk.cli.basics import open_desk

        return run_command(open_desk, args)
    return run_command(args.handler, args)


__all__ = ["main", "build_parser", "UserError"]
