"""HTML to PDF with WeasyPrint: the report's own template, its print stylesheet, no fetching.

Charts are already inline SVG and fonts come from the system (fontconfig: Debian's
DejaVu, which has the Vietnamese glyphs), so the document needs nothing from outside;
allowing no protocol keeps a rendered report from ever reaching the network.
"""

import logging
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.document import Document

PRINT_STYLESHEET = Path(__file__).parent / "static" / "reports" / "print.css"

# WeasyPrint logs every step of every document at INFO, and its own stylesheets when it
# is imported: noise in the request log. So it is imported after this, when first used.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@cache
def _print_css() -> "CSS":
    from weasyprint import CSS

    return CSS(string=PRINT_STYLESHEET.read_text(encoding="utf-8"))


def document_of(html: str) -> "Document":
    """The laid-out pages (tests read their text)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # No protocol allowed: an image or stylesheet address is skipped, never fetched.
    no_fetching = URLFetcher(allowed_protocols=frozenset())
    return HTML(string=html, url_fetcher=no_fetching).render(stylesheets=[_print_css()])


def pdf_of(html: str) -> bytes:
    pdf: bytes = document_of(html).write_pdf()
    return pdf
