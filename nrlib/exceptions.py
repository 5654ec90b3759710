"""nrlib's exceptions: one base class, so callers can catch everything nrlib raises.

Messages name what was wrong and what was expected; ones a district analyst may
see carry the Vietnamese text first and the English after a `` / ``.
"""


class NrlibError(Exception):
    """Base class of every error nrlib raises on purpose."""


class ReferenceDataError(NrlibError):
    """A reference file under ``data/reference`` is missing or inconsistent."""


class UnknownDistrictError(NrlibError, LookupError):
    """No district with that GSO code in the unit registry."""


class UnknownUnitError(NrlibError, LookupError):
    """No commune-level unit with that GSO code in the unit registry."""


class StoreError(NrlibError):
    """The embedded store is missing, locked, or from an unknown schema version."""
