"""Every URL of signing in safely and of a person's own data, with the status each
persona gets for a GET.

Each signed-in person sees, downloads and may erase only their own data: those pages
take no identifier, so there is no one else's to ask for. (The account pages that came
before these are in tests/test_permission_matrix.py.)
"""

from tests.conftest import World
from tests.matrix import EVERYONE, PERSONAS, SIGNED_IN, Expectations


def expectations(world: World) -> Expectations:
    return {
        # Anyone signed in may set up two-factor sign-in; staff roles must (when required).
        "accounts:two_factor_enrol": ("/account/two-factor/", SIGNED_IN),
        # Nobody in the matrix has an app set up yet: the code page sends them to set one up.
        "accounts:two_factor_verify": ("/account/two-factor/code/", dict.fromkeys(PERSONAS, 302)),
        "accounts:password_reset": ("/account/passphrase/forgotten/", EVERYONE),
        "accounts:password_reset_done": ("/account/passphrase/forgotten/sent/", EVERYONE),
        # A forged link: the page says the link does not work, to everyone alike.
        "accounts:password_reset_confirm": ("/account/passphrase/reset/MQ/forged/", EVERYONE),
        "accounts:password_reset_complete": ("/account/passphrase/reset/done/", EVERYONE),
        "accounts:privacy_data": ("/account/your-data/", SIGNED_IN),
        "accounts:privacy_download": ("/account/your-data/download/", SIGNED_IN),
        "accounts:privacy_erase": ("/account/erase/", SIGNED_IN),
    }
