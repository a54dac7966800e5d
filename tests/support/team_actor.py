"""A colleague in a process of their own: opens a festival database and does what it is told, one
JSON request a line on stdin, one JSON answer a line on stdout.

    {"op": "edit", "film_id": 3, "fields": {"title": "X"}, "expected_version": 2}
    -> {"ok": true, "result": {...}}  or  {"ok": false, "error": "...", "type": "ConflictError"}

Ops: details, edit, move, rate, note, undo (the last change this process made), import, seq,
screening_move, quote_approve. Prints {"ready": true} once the database is open. Used by the team
tests to put two real processes on one festival.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import traceback


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--as", dest="actor", default=None)
    args = parser.parse_args()

    from festival_desk.actions import films, programming, reviews, schedule, submissions
    from festival_desk.core.errors import UserError
    from festival_desk.store.db import open_database

    database = open_database(args.db)
    database.actor = args.actor
    changes = []

    def answer(value: dict) -> None:
        sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str) + "\n")
        sys.stdout.flush()

    answer({"ready": True})
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        op = request.pop("op")
        try:
            if op == "details":
                details = films.film_details(database, request["film_id"])
                result = {"version": details.version, "fields": details.fields, "status": details.status}
            elif op == "edit":
                change = films.edit_film(database, request["film_id"], fields=request.get("fields"),
                                         expected_version=request.get("expected_version"))
                changes.append(change)
                result = {"version": change.details["version"]}
            elif op == "move":
                expected = {int(k): v for k, v in request["expected"].items()} if request.get("expected") else None
                change = programming.move_status(database, request["film_ids"], request["status"], args.actor,
                                                 expected=expected)
                changes.append(change)
                result = {"moved": change.details["moved"]}
            elif op == "rate":
                change = programming.rate(database, request["film_id"], request.get("programmer") or args.actor,
                                          request["score"], request.get("note"))
                changes.append(change)
                result = {"seq": database.last_log_seq()}
            elif op == "note":
                change = programming.add_note(database, request["film_id"], request.get("programmer") or args.actor,
                                              request["text"])
                changes.append(change)
                result = {"seq": database.last_log_seq()}
            elif op == "undo":
                inverse = changes.pop().undo(database)
                result = {"description": inverse.description}
            elif op == "import":
                change = submissions.import_submissions(database, request["path"])
                changes.append(change)
                result = {**change.details, "added_ids": sorted(change.films_added)}
            elif op == "screening_move":
                # The screening as this colleague read it: the version given (what they saw).
                seen = schedule.read_screening(database, request["screening_id"])
                if request.get("expected_version") is not None:
                    seen = dataclasses.replace(seen, version=request["expected_version"])
                change = schedule.move_screening(database, request["screening_id"], start=request["start"],
                                                 expected=seen)
                changes.append(change)
                result = {"version": change.details["version"]}
            elif op == "quote_approve":
                change = reviews.approve_quote(database, request["quote_id"], approved=request["approved"],
                                               expected_version=request.get("expected_version"))
                changes.append(change)
                result = {"version": change.details["version"]}
            elif op == "seq":
                result = {"seq": database.last_log_seq()}
            else:
                raise UserError(f"unknown op {op}")
        except UserError as error:
            answer({"ok": False, "error": str(error), "type": type(error).__name__})
        except Exception as error:  # noqa: BLE001 - reported to the test, which fails on it
            answer({"ok": False, "error": str(error), "type": type(error).__name__,
                    "traceback": traceback.format_exc()})
        else:
            answer({"ok": True, "result": result})
    database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
