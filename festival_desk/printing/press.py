"""The press file: a booklet PDF made into PDF/X-4 for the print shop.

ReportLab writes the pages (in CMYK, see `colours.PRESS`) but knows nothing of PDF/X. This adds
what the standard asks of the file (ISO 15930-7): the OutputIntent with the shipped CMYK profile
(FOGRA39), the PDF/X version in the document information and in XMP metadata, `Trapped` declared,
PDF 1.6, and no annotations at all (a press file carries no links). Every page already has its
TrimBox and BleedBox (the renderer sets them).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import BinaryIO

import pikepdf

from festival_desk.printing.colours import OUTPUT_CONDITION, OUTPUT_CONDITION_TEXT, profile_bytes

PDFX_VERSION = "PDF/X-4"


def make_pdfx(pdf: bytes, title: str) -> bytes:
    """`pdf` (all colour CMYK, every page with TrimBox) as PDF/X-4 with the press OutputIntent."""
    output = io.BytesIO()
    write_pdfx(io.BytesIO(pdf), output, title)
    return output.getvalue()


def write_pdfx(source: BinaryIO, output: BinaryIO, title: str) -> None:
    """Write the PDF read from `source` (seekable; all colour CMYK, every page with TrimBox) to
    `output` as PDF/X-4 with the press OutputIntent. pikepdf reads the source's objects as it
    writes them, so a file of large stills is not held in memory whole."""
    with pikepdf.open(source) as document:
        profile = pikepdf.Stream(document, profile_bytes())
        profile["/N"] = 4
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent,
            S=pikepdf.Name.GTS_PDFX,
            OutputConditionIdentifier=pikepdf.String(OUTPUT_CONDITION),
            OutputCondition=pikepdf.String(OUTPUT_CONDITION_TEXT),
            RegistryName=pikepdf.String("http://www.color.org"),
            Info=pikepdf.String(OUTPUT_CONDITION_TEXT),
            DestOutputProfile=document.make_indirect(profile),
        )
        document.Root.OutputIntents = pikepdf.Array([document.make_indirect(intent)])
        for page in document.pages:
            if "/Annots" in page.obj:
                del page.obj["/Annots"]
            if "/TrimBox" not in page.obj:
                page.obj["/TrimBox"] = page.obj["/MediaBox"]
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        with document.open_metadata(set_pikepdf_as_editor=False) as metadata:
            metadata["dc:title"] = title
            metadata["pdf:Producer"] = "Festival Desk (ReportLab, pikepdf)"
            metadata["xmp:CreatorTool"] = "Festival Desk"
            metadata["xmp:CreateDate"] = now.isoformat()
            metadata["xmp:ModifyDate"] = now.isoformat()
            metadata["xmp:MetadataDate"] = now.isoformat()
            metadata["pdf:Trapped"] = "False"
            metadata["pdfxid:GTS_PDFXVersion"] = PDFX_VERSION
        info = document.docinfo
        info["/Title"] = title
        info["/GTS_PDFXVersion"] = PDFX_VERSION
        info["/Trapped"] = pikepdf.Name("/False")
        info["/Creator"] = "Festival Desk"
        stamp = pikepdf.String(f"D:{now:%Y%m%d%H%M%S}Z")
        info["/CreationDate"] = stamp
        info["/ModDate"] = stamp
        document.save(output, min_version="1.6", fix_metadata_version=False)
