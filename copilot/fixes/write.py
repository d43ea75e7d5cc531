"""Writing a fixed file without losing anything the user wrote."""

from __future__ import annotations

import hashlib
from pathlib import Path

from copilot.atomic import replace_file
from copilot.parse.source import SourceFile


class StaleFileError(Exception):
    """The file changed on disk after it was read: it is left alone."""


def encode(source: SourceFile, text: str) -> bytes:
    data = text.encode(source.encoding)
    return (b"\xef\xbb\xbf" + data) if source.bom else data


def write_atomic(path: Path, original: SourceFile, text: str) -> None:
    """Replace `path` with `text` in the original's encoding and BOM, keeping its mode.

    The new content goes to a temporary file in the same folder, then replaces the original in
    one rename. A file whose bytes changed since it was read is refused.
    """
    try:
        current = path.read_bytes()
        mode = path.stat().st_mode
    except OSError as exc:
        raise StaleFileError(
            f"{original.path}: cannot read it again: {exc.strerror or exc}"
        ) from None
    if hashlib.sha256(current).hexdigest() != original.digest:
        raise StaleFileError(f"{original.path}: changed on disk since it was reviewed; not touched")
    target = path.resolve()  # write through a symlink to the file it points to
    replace_file(target, encode(original, text), mode & 0o7777)
