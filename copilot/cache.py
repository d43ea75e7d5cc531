"""A small on-disk cache under the user's cache folder.

Entries are JSON, written atomically, and keyed by a digest of what they depend on; a missing,
stale, corrupt or unwritable cache is never an error, only a slower run. Set
DEVOPS_COPILOT_CACHE_DIR to move it, or DEVOPS_COPILOT_NO_CACHE=1 to turn it off.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from copilot import __version__
from copilot.atomic import replace_file


def cache_dir() -> Path | None:
    if os.environ.get("DEVOPS_COPILOT_NO_CACHE"):
        return None
    explicit = os.environ.get("DEVOPS_COPILOT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "devops-copilot"


def digest(*parts: object) -> str:
    hasher = hashlib.sha256(__version__.encode())
    for part in parts:
        hasher.update(b"\0" + str(part).encode("utf-8", "surrogatepass"))
    return hasher.hexdigest()


def read(namespace: str, key: str) -> Any:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return json.loads((folder / namespace / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def exists(namespace: str, key: str) -> bool:
    folder = cache_dir()
    return folder is not None and (folder / namespace / f"{key}.json").is_file()


def write(namespace: str, key: str, value: Any) -> None:
    folder = cache_dir()
    if folder is None:
        return
    target = folder / namespace
    try:
        target.mkdir(parents=True, exist_ok=True)
        data = json.dumps(value, separators=(",", ":")).encode("utf-8")
        replace_file(target / f"{key}.json", data, durable=False)
    except OSError:
        return
