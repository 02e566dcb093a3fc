"""The public forms each process keeps in memory, for ``selectors.questionnaire_public``.

A form's page is read on every answer sent, and changes rarely: the objects are kept
with the statement's result that describes them (their *stamp*) and the moment they
were last checked. Within ``FRESH_SECONDS`` of that moment they are used unchecked;
after it, a stamp read again that is unchanged keeps them another while. Writes in this
process (services) forget a form at once; other processes see a change within
``FRESH_SECONDS``.
"""

import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import FormVersion, Questionnaire

FRESH_SECONDS = 1.0
KEPT = 256

Form = tuple["Questionnaire", "FormVersion"]


class PublicForms:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._forms: OrderedDict[str, tuple[float, tuple[Any, ...], Form]] = OrderedDict()

    def fresh(self, code: str) -> Form | None:
        """The form, if it was checked less than ``FRESH_SECONDS`` ago."""
        with self._lock:
            kept = self._forms.get(code)
            if kept is None or time.monotonic() - kept[0] >= FRESH_SECONDS:
                return None
            self._forms.move_to_end(code)
            return kept[2]

    def same(self, code: str, stamp: tuple[Any, ...]) -> Form | None:
        """The form if its stamp is unchanged, checked again as of now."""
        with self._lock:
            kept = self._forms.get(code)
            if kept is None or kept[1] != stamp:
                return None
            self._forms[code] = (time.monotonic(), stamp, kept[2])
            return kept[2]

    def keep(self, code: str, stamp: tuple[Any, ...], form: Form) -> None:
        with self._lock:
            self._forms[code] = (time.monotonic(), stamp, form)
            self._forms.move_to_end(code)
            if len(self._forms) > KEPT:
                self._forms.popitem(last=False)

    def forget(self, code: str) -> None:
        with self._lock:
            self._forms.pop(code, None)

    def clear(self) -> None:
        with self._lock:
            self._forms.clear()


public_forms = PublicForms()
