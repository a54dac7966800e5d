"""A process that opens a festival file exactly as the desk does at start-up, then writes notes.

Start-up: the desk's own functions (`gui.app._preview`: the standard-library first look and the
first rows; `gui.app._open`: the database opened the usual way), a first read of the film table's
rows on the opened database, and the hand-over (`--handover close`: the first look is closed, as the
desk does; `keep`: it stays open while the writes happen). Then one line per write on stdin,
`FILM_ID TEXT`, answered on stdout with `saved TEXT` once the note is committed. Prints `ready`
after start-up. Used by tests/store/test_live_file_locks.py and tests/benchmarks/bench_soak.py.
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--handover", choices=("close", "keep"), default="close")
    parser.add_argument("--as", dest="programmer", default="Maja Kovačič")
    args = parser.parse_args()

    from festival_desk.gui.app import _open, _preview  # the desk's own start-up steps

    preview = _preview(args.path, args.programmer, (), 50)
    if preview is None:
        print("no preview: not a current festival file", file=sys.stderr)
        return 2
    opened = _open(args.path, args.programmer)
    database = opened.database
    from festival_desk.store.film_rows import read_film_rows

    with database.cursor() as (cursor, marker):
        list(read_film_rows(cursor, marker, preview.ids[:50], programmer_id=opened.programmer_id))
    if args.handover == "close":
        preview.peek.close()
    print("ready", flush=True)

    from festival_desk.actions.programming import add_note

    for line in sys.stdin:
        film, text = line.rstrip("\n").split(" ", 1)
        add_note(database, int(film), args.programmer, text)
        print("saved", text, flush=True)
    database.close()
    preview.peek.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
