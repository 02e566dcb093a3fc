"""Cells that a spreadsheet will not run as formulas (OWASP "CSV injection").

Exports hold text typed by residents (form answers, comments) and by staff (record
names); whoever downloads one opens it in a spreadsheet. A CSV cell beginning with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read as a formula there,
so it gets a leading apostrophe, which spreadsheets show as "text follows". A number
such as ``-3`` or ``+1.5`` is left alone: analysts read the files too.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d[\d,]*)?(\.\d+)?%?")


def safe_cell(value: str) -> str:
    """The text of a CSV cell, quoted where a spreadsheet would run it."""
    if value.startswith(FORMULA_STARTS) and not (_NUMBER.fullmatch(value) and value[1:]):
        return f"'{value}"
    return value
