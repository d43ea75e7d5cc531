"""Replacing a file so that no reader ever sees half of it, and nothing is lost on failure."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def new_file_mode() -> int:
    """The permissions an ordinary new file gets here: 0o666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def replace_file(path: Path, data: bytes, mode: int | None = None, durable: bool = True) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path` in one step.

    `mode` defaults to that of the file being replaced, or a new file's (`tempfile` would leave
    0600). `durable` flushes to disk before the rename; a cache can skip that. On any failure the
    temporary file is removed and `path` is left as it was.
    """
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o7777
        except OSError:
            mode = new_file_mode()
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        tmp.chmod(mode)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
