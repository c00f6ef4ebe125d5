"""One error type per layer, all under :class:`TlsfenceError`.

The CLI turns any ``TlsfenceError`` into a one-line message and exit code 2; anything else is a bug.
"""


class TlsfenceError(Exception):
    """Base class for every error tlsfence raises on purpose (bad input, bad data)."""


class UnknownSuiteError(TlsfenceError, ValueError):
    """A cipher suite name that is neither an OpenSSL nor an IANA name we know."""


class ProfileError(TlsfenceError, ValueError):
    """An unknown profile name, or a profile file that is malformed."""


class CatalogError(TlsfenceError, ValueError):
    """A catalog file that does not load, or a lookup in a catalog that does not exist."""


class InputError(TlsfenceError, ValueError):
    """User input (a file, a config value, a target) that cannot be used; the message says why."""
