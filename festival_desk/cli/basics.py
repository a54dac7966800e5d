"""Sub-commands of the foundation: the demo festival, the generator, counts, film and programmer
lists, and opening the desk."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from festival_desk.cli._common import announce_backup, command, db_url_argument, open_database_from_args
from festival_desk.core.errors import UserError
from festival_desk.core.workflow import parse_status
from festival_desk.store.locations import default_database, demo_database_path

if TYPE_CHECKING:  # the database stack loads when a command runs, not for --help
    from festival_desk.store.db import Database


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser("demo", help="create the demo festival (refuses to overwrite without --force)")
    demo.add_argument("--force", action="store_true", help="replace what the database holds")
    command(demo, create_demo_command, _render_created)

    generate = subparsers.add_parser("generate", help="generate a festival of any size (deterministic)")
    generate.add_argument("--films", type=int, required=True, metavar="N", help="number of submissions")
    generate.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (same seed, same festival)")
    generate.add_argument("--force", action="store_true", help="replace what the database holds")
    command(generate, generate_command, _render_created)

    info = subparsers.add_parser("info", help="what the database holds: counts and schema revision")
    command(info, info_command, _render_info)

    films = subparsers.add_parser("films", help="films of the festival")
    films_sub = films.add_subparsers(dest="films_command", metavar="COMMAND", required=True)
    films_list = films_sub.add_parser("list", help="list films, sorted by sort title")
    films_list.add_argument("--status", help="only films in this status (e.g. shortlisted)")
    films_list.add_argument("--section", metavar="CODE", help="only films of this section")
    from festival_desk.cli.submissions import add_facts_filter_options

    add_facts_filter_options(films_list)
    command(films_list, list_films_command, _render_films)

    programmers = subparsers.add_parser("programmers", help="the programming committee")
    programmers_sub = programmers.add_subparsers(dest="programmers_command", metavar="COMMAND", required=True)
    programmers_list = programmers_sub.add_parser("list", help="list programmers")
    command(programmers_list, list_programmers_command,
            lambda rows: "\n".join(f"{row['id']:>4}  {row['name']}" for row in rows))
    programmers_add = programmers_sub.add_parser("add", help="add a member to the committee")
    programmers_add.add_argument("name", metavar="NAME")
    command(programmers_add, add_programmer_command, lambda r: f"added {r['name']} (programmer {r['id']})")
    programmers_rename = programmers_sub.add_parser("rename", help="give a member another name")
    programmers_rename.add_argument("programmer_id", type=int, metavar="ID")
    programmers_rename.add_argument("name", metavar="NAME")
    command(programmers_rename, rename_programmer_command,
            lambda r: f"renamed programmer {r['id']} from {r.get('previous_name', r['name'])} to {r['name']}")
    programmers_merge = programmers_sub.add_parser(
        "merge", help="fold an accidental duplicate into a member (ratings and notes moved)")
    programmers_merge.add_argument("from_id", type=int, metavar="FROM_ID")
    programmers_merge.add_argument("into_id", type=int, metavar="INTO_ID")
    command(programmers_merge, merge_programmers_command,
            lambda r: f"merged programmer {r['from']} into {r['into']}: {r['ratings']} ratings, {r['notes']} notes "
                      f"moved" + (f", {r['kept_aside']} duplicate ratings kept aside" if r["kept_aside"] else ""))


def _target_database(args: argparse.Namespace) -> Database:
    from festival_desk.store.db import open_database

    url = db_url_argument(args)
    if url is None and getattr(args, "command", None) == "demo":
        url = str(demo_database_path())
    database = open_database(url, create=True)  # only the demo and the generator create a festival
    announce_backup(database)
    return database


def create_demo_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.demo import create_demo

    with _target_database(args) as database:
        change = create_demo(database, replace=args.force)
        return {"database": database.label, "films": len(change.films_added)}


def generate_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.generate import generate_festival

    with _target_database(args) as database:
        change = generate_festival(database, films=args.films, seed=args.seed, replace=args.force)
        return {"database": database.label, "films": len(change.films_added)}


def _render_created(result: dict[str, Any]) -> str:
    return f"{result['films']} films written to {result['database']}"


# info's counts: the name printed, and the table counted.
COUNTED = {"films": "film", "sections": "section", "programmers": "programmer", "ratings": "rating",
           "notes": "note", "critics": "critic", "reviews": "review", "pull_quotes": "pullquote",
           "venues": "venue", "screens": "screen", "screenings": "screening"}


@contextlib.contextmanager
def _reading_cursor(args: argparse.Namespace) -> Iterator[tuple[Any, str, str]]:
    """(a DB-API cursor, its parameter marker, the database's label) for a command that only reads.

    A current SQLite festival file is read with the standard library alone (`store.peek`): the
    database stack (about 0.7 s) is not loaded. Anything else (PostgreSQL, a file to upgrade or
    refuse, no file) is opened the usual way, with its checks and messages."""
    from festival_desk.store.peek import peek_sqlite

    url = db_url_argument(args) or default_database()[0]
    peek = peek_sqlite(url.removeprefix("sqlite:///")) if "://" not in url or url.startswith("sqlite:///") else None
    if peek is not None:
        cursor = peek.cursor()
        try:
            yield cursor, "?", str(peek.path.expanduser().resolve())
        finally:
            cursor.close()
            peek.close()
        return
    with open_database_from_args(args) as database:
        with database.cursor() as (cursor, mark):
            yield cursor, mark, database.label


def info_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.store.revisions import VERSION_TABLE

    chosen_by = "given with --db" if db_url_argument(args) else default_database()[1]
    with _reading_cursor(args) as (cursor, _mark, label):
        counts = {}
        for name, table in COUNTED.items():
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[name] = cursor.fetchone()[0]
        cursor.execute("SELECT name, edition FROM festival ORDER BY id LIMIT 1")
        festival = cursor.fetchone()
        cursor.execute(f"SELECT version_num FROM {VERSION_TABLE}")
        revision = cursor.fetchone()
    return {"database": label, "chosen_by": chosen_by, "festival": festival[0] if festival else None,
            "edition": festival[1] if festival else None, **counts,
            "schema_revision": revision[0] if revision else None}


def _render_info(result: dict[str, Any]) -> str:
    lines = [f"{result['database']} ({result['chosen_by']})",
             f"  festival: {result['festival'] or '(no festival yet)'} {result['edition'] or ''}".rstrip()]
    lines += [f"  {name.replace('_', ' ')}: {result[name]}" for name in COUNTED]
    lines.append(f"  schema revision: {result['schema_revision']}")
    return "\n".join(lines)


def list_films_command(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Films as plain dicts in sort-title order (the desk's list order: sort key, then id), with
    the facts the desk's table shows (`store.film_rows.read_film_listing`)."""
    from festival_desk.store.film_rows import ids_by_title, read_film_listing

    statuses = ()
    if args.status:
        try:
            statuses = (parse_status(args.status),)
        except ValueError as error:
            raise UserError(f"--status: {error}") from None
    from festival_desk.cli.submissions import facts_filter

    facts = facts_filter(args)
    if facts:  # the catalogue facts are filtered by the desk's filter (store.filters)
        return _films_by_facts(args, statuses, facts)
    with _reading_cursor(args) as (cursor, mark, _label):
        if args.section:
            cursor.execute("SELECT code FROM section ORDER BY position, code")
            known = [code for (code,) in cursor.fetchall()]
            if args.section not in known:
                raise UserError(f"--section: no section with code {args.section!r}; "
                                f"sections: {', '.join(known) or 'none'}")
        ids = ids_by_title(cursor, mark, statuses, (args.section,) if args.section else ())
        return read_film_listing(cursor, mark, ids)


def _films_by_facts(args: argparse.Namespace, statuses: tuple, facts: dict[str, Any]) -> list[dict[str, Any]]:
    import sqlalchemy as sa

    from festival_desk.store.film_rows import read_film_listing
    from festival_desk.store.filters import FilmFilter, film_ids
    from festival_desk.store.models import Section

    with open_database_from_args(args) as database:
        with database.reading() as session:
            if args.section:
                known = list(session.execute(sa.select(Section.code)).scalars())
                if args.section not in known:
                    raise UserError(f"--section: no section with code {args.section!r}; "
                                    f"sections: {', '.join(known) or 'none'}")
            ids = film_ids(session, FilmFilter(statuses=statuses, sections=(args.section,) if args.section else (),
                                               **facts), sort=("title", True))
        with database.cursor() as (cursor, mark):
            return read_film_listing(cursor, mark, ids)


def _render_films(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no films"
    lines = []
    for row in rows:
        people = ", ".join(row["directors"])
        where = "/".join(row["countries"])
        lines.append(f"{row['id']:>6}  {row['title']}  ({people}; {where} {row['year'] or ''})  "
                     f"[{row['section'] or '-'}, {row['status']}]")
    return "\n".join(lines)


def list_programmers_command(args: argparse.Namespace) -> list[dict[str, Any]]:
    from festival_desk.actions.programming import committee

    with open_database_from_args(args) as database:
        return [{"id": programmer_id, "name": name} for programmer_id, name in committee(database)]


def add_programmer_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.programming import add_programmer

    with open_database_from_args(args) as database:
        return add_programmer(database, args.name).details


def rename_programmer_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.programming import rename_programmer

    with open_database_from_args(args) as database:
        return rename_programmer(database, args.programmer_id, args.name).details


def merge_programmers_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.programming import merge_programmers

    with open_database_from_args(args) as database:
        return merge_programmers(database, args.from_id, args.into_id).details


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run `festival-desk` instead")
