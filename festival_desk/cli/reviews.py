"""`festival-desk review …`: read critic reviews, attach them to films, pick pull quotes."""

from __future__ import annotations

import argparse
from typing import Any

from festival_desk.cli._common import command, open_database_from_args, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    review = subparsers.add_parser("review", help="critic reviews: parse, import, pull quotes")
    actions = review.add_subparsers(dest="review_command", metavar="ACTION", required=True)

    parse = actions.add_parser("parse", help="read a review file and print its structure "
                               "(touches no database)")
    parse.add_argument("file", metavar="FILE", help="a review: .txt, .md, .html or .docx")
    command(parse, _parse, _render_parse, db=False)

    import_ = actions.add_parser(
        "import", help="import review files and attach each to its film",
        description="Import review files, each on its own: the good ones are stored, the others "
                    "reported by name. Exits 1 when any file was not stored (ambiguous film: the "
                    "candidates are listed; choose with --film).")
    import_.add_argument("files", metavar="FILE", nargs="+")
    import_.add_argument("--film", type=int, metavar="ID", help="attach to this film, no matching")
    import_.add_argument("--create-film", action="store_true",
                         help="when no film resembles the review's, create it as an external title")
    command(import_, _import)

    quotes = actions.add_parser("quotes", help="list a film's pull quotes")
    quotes.add_argument("film_id", type=int, metavar="FILM_ID")
    command(quotes, _quotes, _render_quotes)

    approve = actions.add_parser("approve", help="approve a pull quote for print")
    approve.add_argument("quote_id", type=int, metavar="QUOTE_ID")
    approve.add_argument("--text", metavar="SHORTENED",
                         help="print this shortened form (a part of the quote; mark cuts with …)")
    command(approve, _approve, _render_approve)


def _parse(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.importers.reviews import parse_review_file

    return parse_review_file(args.file).to_json()


def _render_parse(parsed: dict[str, Any]) -> str:
    film = parsed["film"]
    title = film["title"] + (f" ({film['original_title']})" if film["original_title"] else "")
    lines = [
        f"Critic:     {parsed['critic']['name']}",
        f"Film:       {title}",
        f"Directors:  {', '.join(film['directors'])}",
        f"Countries:  {', '.join(film['countries'])}",
        f"Year:       {film['year'] if film['year'] is not None else '-'}",
        f"Sections:   {len(parsed['sections'])} "
        f"({sum(len(section['paragraphs']) for section in parsed['sections'])} paragraphs)",
    ]
    lines += [f"Quote:      {quote}" for quote in parsed["pull_quotes"]]
    lines += [f"Caption:    {caption}" for caption in parsed["captions"]]
    return "\n".join(lines)


def _import(args: argparse.Namespace) -> int:
    from festival_desk.actions.reviews import STORED, ALREADY_IMPORTED, import_review_files

    with open_database_from_args(args) as database:
        change = import_review_files(database, args.files, film_id=args.film, create_film=args.create_film)
    files = change.details["files"]
    if args.json:
        print_json({"files": files})
    else:
        print(_render_import(files))
    return 0 if all(f["status"] in STORED or f["status"] == ALREADY_IMPORTED for f in files) else 1


def _render_import(files: list[dict[str, Any]]) -> str:
    lines = []
    for outcome in files:
        if outcome["film_id"] is not None:
            lines.append(f"{outcome['source']}: {outcome['status']}: film {outcome['film_id']} "
                         f"“{outcome['film_title']}”, review {outcome['review_id']}")
        else:
            lines.append(outcome["message"] or f"{outcome['source']}: {outcome['status']}")
        for candidate in outcome["candidates"]:
            year = candidate["year"] if candidate["year"] is not None else "?"
            lines.append(f"    film {candidate['film_id']}: {candidate['title']} ({year}) "
                         f"{', '.join(candidate['directors'])} — score {candidate['score']:.0f}")
    return "\n".join(lines)


def _quotes(args: argparse.Namespace) -> list[dict[str, Any]]:
    from festival_desk.actions.reviews import film_quotes

    with open_database_from_args(args) as database:
        quotes = film_quotes(database, args.film_id)
    return [{"id": q.id, "text": q.text, "critic": q.critic, "approved": q.approved,
             "review_id": q.review_id, "original_text": q.original_text} for q in quotes]


def _render_quotes(quotes: list[dict[str, Any]]) -> str:
    if not quotes:
        return "No pull quotes."
    return "\n".join(f"{q['id']:>5} [{'x' if q['approved'] else ' '}] «{q['text']}» — {q['critic']}"
                     for q in quotes)


def _approve(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.reviews import approve_quote

    with open_database_from_args(args) as database:
        change = approve_quote(database, args.quote_id, text=args.text)
    return {"id": change.details["quote_id"], "text": change.details["text"],
            "approved": change.details["approved"]}


def _render_approve(result: dict[str, Any]) -> str:
    return f"Quote {result['id']} approved for print: «{result['text']}»"
