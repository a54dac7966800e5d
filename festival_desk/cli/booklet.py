"""Sub-command `booklet`: the programme booklet as a print-ready PDF.

Contract (stable): `festival-desk booklet -o FILE.pdf [--paper a5|a4|letter] [--bleed MM]
[--crop-marks] [--impose saddle] [--sections CODE,...] [--lang en|de] [--db URL] --json` prints
`{"pages": n, "films": n, "warnings": [str], "seconds": x}` (plus "changes", the proof changelog
against the previous build). Options not given come from the booklet options saved in the database.
"""

from __future__ import annotations

import argparse
from typing import Any

from festival_desk.cli._common import command, open_database_from_args
from festival_desk.core.errors import UserError


def _millimetres(text: str) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of millimetres") from None


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("booklet", help="build the programme booklet (print-ready PDF)")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="the PDF to write")
    parser.add_argument("--paper", help="a5 (default), a4 or letter")
    parser.add_argument("--bleed", type=_millimetres, metavar="MM", help="bleed around each page (default 3)")
    parser.add_argument("--crop-marks", action="store_true", default=None, help="draw crop marks")
    parser.add_argument("--impose", metavar="saddle",
                        help="write printer's spreads: two A5 pages per A4 side, in saddle-stitch order")
    parser.add_argument("--sections", metavar="CODE,...", help="only these sections, in booklet order")
    parser.add_argument("--lang", help="language of the fixed labels: en or de")
    command(parser, booklet_command, _render)


def booklet_command(args: argparse.Namespace) -> dict[str, Any]:
    sections = None
    if args.sections is not None:
        sections = tuple(code.strip() for code in args.sections.split(",") if code.strip())
        if not sections:
            raise UserError("--sections: give at least one section code")
    from festival_desk.actions import booklet as actions

    paper = args.paper.lower() if args.paper else None
    with open_database_from_args(args) as database:
        options = actions.resolve_options(database, paper=paper, bleed_mm=args.bleed, crop_marks=args.crop_marks,
                                          sections=sections, language=args.lang)
        build = actions.build_booklet(database, args.output, options, impose=args.impose)
    return {"pages": build.pages, "films": build.films, "warnings": build.warnings, "seconds": build.seconds,
            "changes": build.changes, "output": str(build.path)}


def _render(result: dict[str, Any]) -> str:
    lines = [f"{result['output']}: {result['pages']} pages, {result['films']} films, {result['seconds']:.1f} s"]
    lines += [f"warning: {warning}" for warning in result["warnings"]]
    lines += [f"changed: {change}" for change in result["changes"]]
    return "\n".join(lines)
