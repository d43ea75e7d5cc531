"""Where the shipped data folders (`rules/`, `templates/`) are.

In a built wheel they live inside the package as `copilot/_data/`; in a source checkout (and an
editable install) they are the top-level folders of the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the shipped folder `name` ("rules" or "templates")."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"devops-copilot is installed without its {name}/ folder")
