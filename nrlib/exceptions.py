"""nrlib's exceptions: one base class, so callers can catch everything nrlib raises.

Messages name what was wrong and what was expected; ones a district analyst may
see carry the Vietnamese text first and the English after a `` / ``.
"""

from __future__ import annotations


class NrlibError(Exception):
    """Base class of every error nrlib raises on purpose."""


class ReferenceDataError(NrlibError):
    """A reference file under ``data/reference`` is missing or inconsistent."""


class UnknownDistrictError(NrlibError, LookupError):
    """No district with that GSO code in the unit registry."""


class UnknownUnitError(NrlibError, LookupError):
    """No commune-level unit with that GSO code in the unit registry."""


class ConfigError(NrlibError):
    """A setting (an ``NRLIB_*`` variable, a limits file) has a value nrlib cannot use."""


class StoreError(NrlibError):
    """The embedded store is missing, locked, or from an unknown schema version."""


class WorkbookReadError(NrlibError):
    """A received file cannot be read as a workbook, or is refused before it is read.

    ``rule`` is the problem's rule code (:mod:`nrlib.core.labels`; default
    ``E_FILE_UNREADABLE``, whose message wraps ``reason``), ``message`` the full
    Vietnamese message, ``sheet`` and ``cell`` where the problem is when it
    has a place.
    """

    def __init__(self, reason: str, *, rule: str = "E_FILE_UNREADABLE", message: str | None = None,
                 sheet: str = "", cell: str = ""):
        super().__init__(reason)
        from nrlib.core import labels

        self.rule, self.sheet, self.cell = rule, sheet, cell
        self.message = message or labels.problem_message(rule, reason=reason)

    @classmethod
    def refuse(cls, rule: str, *, sheet: str = "", cell: str = "", **params) -> WorkbookReadError:
        """The error for rule ``rule``, its message filled with ``params``."""
        from nrlib.core import labels

        message = labels.problem_message(rule, sheet=sheet, **params)
        return cls(message, rule=rule, message=message, sheet=sheet, cell=cell)
