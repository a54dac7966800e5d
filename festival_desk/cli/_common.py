"""What every sub-command shares: the --db and --json options, output, and error handling."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from festival_desk.core.errors import UserError

DEBUG_ENV_VAR = "FESTIVAL_DESK_DEBUG"


def open_database_from_args(args: argparse.Namespace, *, create: bool = False):  # -> Database
    """Open the database the command line names (--db, $FESTIVAL_DESK_DB or the default file)."""
    from festival_desk.store.db import open_database

    database = open_database(db_url_argument(args), create=create)
    announce_backup(database)
    return database


def announce_backup(database) -> None:  # database: Database
    """Tell the user (on stderr: stdout may be JSON) where the copy taken before an upgrade is."""
    if database.backup_note:
        print(f"festival-desk: {database.backup_note}", file=sys.stderr)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """`--db URL` on a sub-command (the top-level --db works too; the sub-command's wins)."""
    parser.add_argument("--db", dest="sub_db", metavar="URL", default=None,
                        help="database file path or SQLAlchemy URL")


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def db_url_argument(args: argparse.Namespace) -> str | None:
    """The --db given on the sub-command, else the top-level one, else None (use the default)."""
    return getattr(args, "sub_db", None) or getattr(args, "db", None)


def command(parser: argparse.ArgumentParser, handler: Callable[[argparse.Namespace], Any],
            render: Callable[[Any], str] | None = None, *, db: bool = True, json_option: bool = True) -> None:
    """Attach a handler (and its human-readable renderer) to a sub-command parser."""
    if db:
        add_db_option(parser)
    if json_option:
        add_json_option(parser)
    parser.set_defaults(handler=handler, render=render)


def _jsonable(value: Any) -> Any:
    """What JSON cannot say itself: dataclasses as objects, sets as lists, times as ISO text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value) if all(isinstance(item, (int, str)) for item in value) else list(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def json_text(value: Any) -> str:
    """`value` as JSON for the terminal and for scripts: an object indented, a list with one item
    a line (a list of 25,000 films stays quick to write and to read)."""
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = ",\n  ".join(json.dumps(item, ensure_ascii=False, default=_jsonable) for item in value)
        return f"[\n  {items}\n]"
    return json.dumps(value, ensure_ascii=False, indent=2, default=_jsonable)


def print_json(value: Any) -> None:
    sys.stdout.write(json_text(value))
    sys.stdout.write("\n")


def run_command(handler: Callable[[argparse.Namespace], Any], args: argparse.Namespace) -> int:
    """Run one sub-command: print its result, turn a UserError into one stderr line and exit 1.
    Any other exception is one line too (exit 1), with its traceback only when $FESTIVAL_DESK_DEBUG
    is set."""
    try:
        result = handler(args)
    except UserError as error:
        print(f"festival-desk: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("festival-desk: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001  (a failure nobody foresaw is still one line, not a traceback)
        if os.environ.get(DEBUG_ENV_VAR):
            raise
        reason = (str(error).strip().splitlines() or [""])[0]
        print(f"festival-desk: error: {type(error).__name__}{': ' + reason if reason else ''} (an unexpected "
              f"failure: set {DEBUG_ENV_VAR}=1 to see where)", file=sys.stderr)
        return 1
    if isinstance(result, int) and not isinstance(result, bool):
        return result  # a command that manages its own output (the GUI) returns an exit code
    if result is None:
        return 0
    render = getattr(args, "render", None)
    try:
        if getattr(args, "json", False) or render is None:
            print_json(result)
        else:
            text = render(result)
            if text:
                print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`festival-desk films list | head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0
