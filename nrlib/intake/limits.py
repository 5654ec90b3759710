"""Limits on received files: how big, how compressed, how many rows — the one place they are set.

A received workbook is untrusted input. Before any spreadsheet parser sees it,
:mod:`nrlib.intake.precheck` checks it against these limits, so that no file can
exhaust memory or time: a zip bomb (a few MB expanding to gigabytes), a sheet
whose two cells sit at ``A1`` and ``XFD1048576`` (the parser would allocate
the whole rectangle between them), a million rows. A file over a limit is
rejected with its rule code and a Vietnamese message; it is still kept, like
every received file.

The defaults are far above what a commune's workbook needs (the outline's
sheets have a few dozen rows; a filled workbook is about 25 KB) and far below
what would strain a small office computer.

=========================  ===========  =============================================
limit                      default      what it bounds
=========================  ===========  =============================================
``max_file_mb``            25           size of the received file
``max_uncompressed_mb``    100          total size of an .xlsx/.ods once unzipped
``max_compression_ratio``  100          unzipped / zipped size of any one part larger
                                        than 1 MB unzipped (ordinary sheets: 3-20)
``max_parts``              2000         files inside an .xlsx/.ods (zip members)
``max_sheets``             100          sheets in a workbook
``max_rows``               20000        rows of a sheet, counted to its last value
``max_columns``            500          columns of a sheet, counted to its last value
``max_cells``              1000000      rows x columns of a sheet (the parser holds
                                        that whole rectangle in memory)
``max_text_chars``         32767        characters in one cell (Excel's own limit)
``allow_macros``           false        accept workbooks holding VBA/XLM macros
=========================  ===========  =============================================

How to change them (later sources win):

1. a YAML file of ``name: value`` pairs: ``$NRLIB_LIMITS``, else
   ``data/local/limits.yaml`` when present;
2. environment variables ``NRLIB_`` + the name in capitals, e.g.
   ``NRLIB_MAX_FILE_MB=50 nrlib ingest ...``.

A bad value (unknown name, not a positive number) stops the command with a
message naming it, before any file is read.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from nrlib import config
from nrlib.exceptions import ConfigError

#: parts smaller than this (unzipped) are not checked for their compression ratio: tiny
#: repetitive XML compresses very well and is harmless
RATIO_MIN_BYTES = 1 << 20


class LimitsConfigError(ConfigError):
    """A limit set in the environment or the limits file is unknown or not a valid value."""


@dataclass(frozen=True)
class Limits:
    """Limits on a received file (see the module docstring for meanings and defaults)."""

    max_file_mb: float = 25
    max_uncompressed_mb: float = 100
    max_compression_ratio: float = 100
    max_parts: int = 2000
    max_sheets: int = 100
    max_rows: int = 20000
    max_columns: int = 500
    max_cells: int = 1_000_000
    max_text_chars: int = 32767
    allow_macros: bool = False

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1_000_000)

    @property
    def max_uncompressed_bytes(self) -> int:
        return int(self.max_uncompressed_mb * 1_000_000)


DEFAULTS = Limits()


def _parse(name: str, raw, source: str):
    field = next((f for f in dataclasses.fields(Limits) if f.name == name), None)
    if field is None:
        known = ", ".join(f.name for f in dataclasses.fields(Limits))
        raise LimitsConfigError(f"{source}: không có giới hạn tên “{name}” (các tên hợp lệ: {known}) / "
                                f"unknown limit {name!r}")
    default = getattr(DEFAULTS, name)
    if isinstance(default, bool):
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on", "có"):
            return True
        if text in ("0", "false", "no", "off", "không"):
            return False
        raise LimitsConfigError(f"{source}: “{name}” cần true hoặc false, không phải {raw!r} / "
                                f"{name} must be true or false")
    try:
        value = float(str(raw).strip().replace("_", ""))
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise LimitsConfigError(f"{source}: “{name}” cần một số dương, không phải {raw!r} / "
                                f"{name} must be a positive number")
    return int(value) if field.type in ("int", int) else value


def load_limits(path: str | Path | None = None) -> Limits:
    """The limits in force: defaults, then the limits file, then ``NRLIB_*`` environment variables.

    Parameters
    ----------
    path : str or Path, optional
        A YAML limits file to use instead of :func:`nrlib.config.limits_file`.

    Raises
    ------
    LimitsConfigError
        An unknown name or a value that is not a positive number (or a boolean).
    """
    import yaml

    values: dict = {}
    path = Path(path) if path else config.limits_file()
    if path is not None:
        if not path.exists():
            raise LimitsConfigError(f"không tìm thấy tệp giới hạn {path} / limits file not found: {path}")
        try:
            data = config.load_yaml(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise LimitsConfigError(f"{path}: không đọc được YAML / not valid YAML: {exc}") from None
        if not isinstance(data, dict):
            raise LimitsConfigError(f"{path}: cần các dòng “tên: giá trị” / expected name: value pairs")
        for name, raw in data.items():
            values[str(name)] = _parse(str(name), raw, str(path))
    for f in dataclasses.fields(Limits):
        name = config.limit_variable(f.name)
        raw = config.env(name)
        if raw is not None:
            values[f.name] = _parse(f.name, raw, name)
    return dataclasses.replace(DEFAULTS, **values)
