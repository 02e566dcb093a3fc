"""QR codes of short links, made on the server with segno: no network, no third party.

Error correction level Q restores up to a quarter of the code, so a poster that is
creased, scuffed or partly covered on a toilet door still scans. The level is fixed
(``boost_error=False``) so that the same link always gives the same picture.
"""

import io

import segno

ERROR_CORRECTION = "q"
BORDER = 4  # the quiet zone the QR standard asks for, in modules
PNG_SCALE = 10  # pixels per module: about 4 cm wide at 300 dpi for a short link
DARK = "#0b0c0c"  # GOV.UK black, on white: the strongest contrast a scanner can get


def make(url: str) -> segno.QRCode:
    return segno.make_qr(url, error=ERROR_CORRECTION, boost_error=False)


def svg_document(url: str, *, title: str) -> bytes:
    """A standalone SVG file that scales to any size without blurring."""
    buffer = io.BytesIO()
    make(url).save(
        buffer, kind="svg", border=BORDER, dark=DARK, title=title, omitsize=True, xmldecl=True
    )
    return buffer.getvalue()


def svg_inline(url: str, *, title: str) -> str:
    """The same drawing for inlining in a page (sized by CSS, with an accessible title)."""
    drawing = str(make(url).svg_inline(border=BORDER, dark=DARK, title=title, omitsize=True))
    # role="img" makes screen readers announce the drawing by its title.
    return drawing.replace("<svg ", '<svg role="img" ', 1)


def png(url: str) -> bytes:
    buffer = io.BytesIO()
    make(url).save(buffer, kind="png", border=BORDER, dark=DARK, scale=PNG_SCALE)
    return buffer.getvalue()
