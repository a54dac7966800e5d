"""Sub-command `booklet`: the programme booklet as a print-ready PDF.

Contract (stable): `festival-desk booklet -o FILE.pdf [--paper a5|a4|letter] [--bleed MM]
[--crop-marks] [--impose saddle [--sheet sra4|…|WxH] [--creep MM]] [--sections CODE,...] [--lang en|de] [--public-schedule] [--press] [--db URL] --json` prints
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


def _sheet(text: str) -> str | tuple[float, float]:
    if "x" in text.lower():
        try:
            width, height = (float(part.replace(",", ".")) for part in text.lower().split("x"))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT in millimetres") from None
        return (width, height)
    return text.lower()


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("booklet", help="build the programme booklet (print-ready PDF)")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="the PDF to write")
    parser.add_argument("--paper", help="a5 (default), a4 or letter")
    parser.add_argument("--bleed", type=_millimetres, metavar="MM", help="bleed around each page (default 3)")
    parser.add_argument("--crop-marks", action="store_true", default=None, help="draw crop marks")
    parser.add_argument("--impose", metavar="saddle",
                        help="write press sheets: two pages per side in saddle-stitch order, with bleed, crop and "
                             "fold marks (at most 80 pages)")
    parser.add_argument("--sheet", default="sra4", type=_sheet,
                        help="sheet for --impose: sra4 (default), sra3, a4, a3, letter, tabloid or WIDTHxHEIGHT in mm")
    parser.add_argument("--creep", type=_millimetres, metavar="MM", default=0.0,
                        help="with --impose: move the innermost pages this far towards the spine (0-5)")
    parser.add_argument("--sections", metavar="CODE,...", help="only these sections, in booklet order")
    parser.add_argument("--lang", help="language of the fixed labels: en or de")
    parser.add_argument("--public-schedule", action="store_true", default=None, dest="public_schedule_only",
                        help="leave press, industry and school screenings out of the schedule grid")
    parser.add_argument("--press", action="store_true", default=None,
                        help="the print shop's file: CMYK, PDF/X-4, no links; refused while any text cannot be printed. "
                             "Converted stills are kept in your cache folder, so a rebuild converts only changed ones")
    command(parser, booklet_command, _render)

    language = subparsers.add_parser(
        "text-language", help="the language synopses are written in (hyphenation, quotation marks)",
        description="Without LANG: show the festival's text language and the films that differ. With LANG: "
                    "set it for the festival, or with --film for one film (--film ID --clear: the film "
                    "follows the festival again).")
    language.add_argument("language", nargs="?", metavar="LANG", help="two-letter code: en, de, fr, sl …")
    language.add_argument("--film", type=int, metavar="ID", help="set it for this film only")
    language.add_argument("--clear", action="store_true", help="with --film: follow the festival's language")
    command(language, text_language_command, _render_languages)


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
                                          sections=sections, language=args.lang, press=args.press,
                                          public_schedule_only=args.public_schedule_only)
        build = actions.build_booklet(database, args.output, options, impose=args.impose, sheet=args.sheet,
                                      creep_mm=args.creep)
    return {"pages": build.pages, "films": build.films, "warnings": build.warnings, "seconds": build.seconds,
            "changes": build.changes, "output": str(build.path)}


def _render(result: dict[str, Any]) -> str:
    lines = [f"{result['output']}: {result['pages']} pages, {result['films']} films, {result['seconds']:.1f} s"]
    lines += [f"warning: {warning}" for warning in result["warnings"]]
    lines += [f"changed: {change}" for change in result["changes"]]
    return "\n".join(lines)


def text_language_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions import booklet as actions

    with open_database_from_args(args) as database:
        if args.clear:
            if args.film is None:
                raise UserError("--clear: give the film with --film ID")
            actions.set_text_language(database, None, film_id=args.film)
        elif args.language is not None:
            actions.set_text_language(database, args.language.lower(), film_id=args.film)
        elif args.film is not None:
            raise UserError("--film: give the language to set (or --clear)")
        languages = actions.load_text_languages(database)
    return {"festival": languages.festival, "films": {str(k): v for k, v in sorted(languages.films.items())}}


def _render_languages(result: dict[str, Any]) -> str:
    lines = [f"festival texts: {result['festival']}"]
    lines += [f"film {film_id}: {language}" for film_id, language in result["films"].items()]
    return "\n".join(lines)
