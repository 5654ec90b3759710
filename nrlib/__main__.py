"""``python -m nrlib``: the ``nrlib`` command, where the script is not on the PATH (a Windows laptop)."""

import sys

from nrlib.cli import main

sys.exit(main())
