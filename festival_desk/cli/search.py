"""`festival-desk search QUERY`: the desk's search box from a terminal (stable JSON contract:
a list of {"film_id", "title", "directors", "score"}, best match first)."""

from __future__ import annotations

import argparse
from typing import Any

from festival_desk.cli._common import command, open_database_from_args
from festival_desk.core.errors import UserError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "search", help="find films by title, original title, director, synopsis, notes or review text",
        description="Accents and case are ignored; the last word matches as a prefix; all words must "
        "match. Put `--` before a query that starts with '-'.")
    parser.add_argument("query", metavar="QUERY", help="the words to look for")
    parser.add_argument("--status", action="append", default=[], metavar="S",
                        help="only films in this status (repeat for several)")
    parser.add_argument("--section", action="append", default=[], metavar="CODE",
                        help="only films of this section (repeat for several)")
    parser.add_argument("--limit", type=int, default=50, metavar="N", help="at most N films (default 50)")
    command(parser, search_command, render_hits)


def search_command(args: argparse.Namespace) -> list[dict[str, Any]]:
    from sqlmodel import select

    from festival_desk.store.filters import FilmFilter
    from festival_desk.store.models import Section
    from festival_desk.store.search import search_films

    if args.limit < 1:
        raise UserError(f"--limit: expected a number of films of at least 1, not {args.limit}")
    try:
        film_filter = FilmFilter(statuses=tuple(args.status), sections=tuple(args.section))
    except UserError as error:
        raise UserError(str(error).replace("filter field 'statuses'", "--status")) from None
    with open_database_from_args(args) as database:
        with database.reading() as session:
            if film_filter.sections:
                known = set(session.exec(select(Section.code)).all())
                unknown = [code for code in film_filter.sections if code not in known]
                if unknown:
                    raise UserError(f"--section: no section with code {unknown[0]!r} "
                                    f"(sections: {', '.join(sorted(known)) or 'none yet'})")
            hits = search_films(session, args.query, filter=film_filter, limit=args.limit)
    return [{"film_id": hit.film_id, "title": hit.title, "directors": list(hit.directors),
             "score": round(hit.score, 6)} for hit in hits]


def render_hits(hits: list[dict[str, Any]]) -> str:
    if not hits:
        return "no films found"
    return "\n".join(f"{hit['film_id']:>6}  {hit['title']}" + (f" — {', '.join(hit['directors'])}"
                                                            if hit["directors"] else "") for hit in hits)
