"""A source file as read from disk: its text, how it was encoded, and a line index."""

from __future__ import annotations

import codecs
import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE_BYTES = 5 * 1024 * 1024


class SourceError(Exception):
    """A file that cannot be read as text. `line` is 1-based when known."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass(frozen=True)
class SourceFile:
    """The text of one file, with what is needed to write it back unchanged elsewhere.

    `path` is the path as shown to the user (relative where possible); offsets everywhere in the
    program are `str` indices into `text`.
    """

    path: str
    text: str
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"
    digest: str = ""
    _line_starts: list[int] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def from_text(cls, path: str, text: str) -> SourceFile:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        newline = "\r\n" if "\r\n" in text else "\n"
        return cls(path=path, text=text, newline=newline, digest=digest)

    @classmethod
    def from_bytes(cls, path: str, data: bytes) -> SourceFile:
        if b"\x00" in data[:8192]:
            raise SourceError("binary file (it contains NUL bytes)")
        bom = data.startswith(codecs.BOM_UTF8)
        raw = data[len(codecs.BOM_UTF8) :] if bom else data
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            raise SourceError(
                f"not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be decoded)", line, column
            ) from None
        source = cls.from_text(path, text)
        digest = hashlib.sha256(data).hexdigest()
        return cls(path=path, text=text, bom=bom, newline=source.newline, digest=digest)

    @classmethod
    def read(cls, path: Path, display: str | None = None) -> SourceFile:
        shown = display if display is not None else str(path)
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise SourceError(
                    f"file is {size // 1024} KiB, over the {MAX_FILE_BYTES // 1024} KiB limit"
                )
            data = path.read_bytes()
        except OSError as exc:
            raise SourceError(f"cannot read file: {exc.strerror or exc}") from None
        return cls.from_bytes(shown, data)

    @property
    def line_starts(self) -> list[int]:
        if not self._line_starts:
            starts = [0]
            text = self.text
            pos = text.find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = text.find("\n", pos + 1)
            self._line_starts.extend(starts)
        return self._line_starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a str offset."""
        starts = self.line_starts
        index = bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def offset(self, line: int, column: int = 1) -> int:
        """str offset of a 1-based line and column."""
        starts = self.line_starts
        line = max(1, min(line, len(starts)))
        return starts[line - 1] + column - 1

    def line_text(self, line: int) -> str:
        starts = self.line_starts
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    @property
    def line_count(self) -> int:
        return len(self.line_starts)
