"""`festival-desk review …`: read critic reviews, attach them to films, pick pull quotes."""

from __future__ import annotations

import argparse
from typing import Any

from festival_desk.cli._common import command
from festival_desk.importers.reviews import parse_review_file


def register(subparsers: argparse._SubParsersAction) -> None:
    review = subparsers.add_parser("review", help="critic reviews: parse, import, pull quotes")
    actions = review.add_subparsers(dest="review_command", metavar="ACTION", required=True)

    parse = actions.add_parser("parse", help="read a review file and print its structure "
                               "(touches no database)")
    parse.add_argument("file", metavar="FILE", help="a review: .txt, .md, .html or .docx")
    command(parse, _parse, _render_parse, db=False)


def _parse(args: argparse.Namespace) -> dict[str, Any]:
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
