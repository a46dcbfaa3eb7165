"""Where the folders Arshif ships beside its package are (`templates/`, `static/`, `index_config/`).

In a source checkout they sit next to `search/`; a wheel installs them as data files under
`<prefix>/share/arshif/` (setup.cfg `[options.data_files]`), because the project keeps them at the
top level rather than inside the package.
"""

from __future__ import annotations

import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
INSTALLED = Path(sys.prefix) / "share" / "arshif"


def shipped_dir(name: str) -> Path:
    """The folder `name` of this checkout, else of this installation (the checkout's path when
    neither exists, so that an error names where it was looked for first)."""
    for base in (CHECKOUT, INSTALLED):
        if (base / name).is_dir():
            return base / name
    return CHECKOUT / name
