"""Optional imports that a report worker skips: slow to import, never used by rendering.

``rfc3987_syntax`` is how jsonschema (imported by nbformat, which papermill
and nbconvert import) checks the ``iri`` and ``iri-reference`` string formats
when it is installed (as ``jsonschema[format-nongpl]``, which Jupyter's
server packages ask for). jsonschema imports it eagerly, and it builds some 35
Lark parsers at import: 0,8 s of every worker's start here, more than
papermill and nbconvert together (python-jsonschema/jsonschema#1428,
opendatahub-io/notebooks#3532). No notebook schema uses those formats, and
jsonschema leaves a format it cannot check unchecked, so a worker marks the
module as absent before jsonschema loads.

Only processes nrlib starts for rendering call this (the report workers, and
the ``nrlib reports`` command itself): a user's own Python session that
imports nrlib keeps its jsonschema as it is.
"""

from __future__ import annotations

import sys

#: modules a report worker treats as not installed
SKIPPED = ("rfc3987_syntax",)


def skip_slow_optional_imports() -> bool:
    """Mark :data:`SKIPPED` as absent (``import`` then raises ImportError), unless jsonschema's format
    checkers are loaded already; returns whether it was done."""
    if "jsonschema._format" in sys.modules:
        return False
    for name in SKIPPED:
        sys.modules.setdefault(name, None)
    return True
