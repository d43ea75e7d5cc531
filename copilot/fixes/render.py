"""Render inserted text in the file's own style: indent unit, line ending, jinja2 snippets."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from copilot.parse.source import SourceFile

_LINE = re.compile(r"^([ \t]*)(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Style:
    indent: str  # one level: "  ", "    " or "\t"
    newline: str  # "\n" or "\r\n"


def detect_style(source: SourceFile) -> Style:
    """The file's indent unit: the most common step by which a line is indented more than the
    line before it (tabs win if the first indented line uses one)."""
    return _style(source.text, source.newline)


@lru_cache(maxsize=64)  # every fix in a file asks again; str hashes are cached by Python
def _style(text: str, newline: str) -> Style:
    steps: Counter[int] = Counter()
    previous = 0
    for match in _LINE.finditer(text):
        lead, rest = match.group(1), match.group(2)
        if not rest.strip() or rest.lstrip().startswith(("#", "//")):
            continue
        if lead.startswith("\t"):
            return Style("\t", newline)
        if len(lead) > previous:
            steps[len(lead) - previous] += 1
        previous = len(lead)
        if sum(steps.values()) > 200:
            break
    unit = steps.most_common(1)[0][0] if steps else 2
    return Style(" " * unit, newline)


def line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def line_end(text: str, offset: int) -> int:
    """Offset just after the newline ending the line that holds `offset` (or the text's end)."""
    end = text.find("\n", offset)
    return len(text) if end == -1 else end + 1


def indent_of(text: str, offset: int) -> str:
    start = line_start(text, offset)
    line = text[start:offset]
    return line[: len(line) - len(line.lstrip(" \t"))]


def reindent(snippet: str, style: Style, base: str = "") -> str:
    """A snippet written with two-space indents, in the file's indent unit and line ending,
    every line prefixed by `base`."""
    lines = []
    for line in snippet.splitlines():
        stripped = line.lstrip(" ")
        level = (len(line) - len(stripped)) // 2
        lines.append((base + style.indent * level + stripped) if stripped else "")
    return style.newline.join(lines)


@cache
def _environment() -> Any:
    import jinja2  # only fixes with templates need it

    return jinja2.Environment(
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )


@lru_cache(maxsize=256)
def _compiled(template: str) -> Any:
    """Compiling a template costs far more than rendering it; rules reuse a few templates."""
    return _environment().from_string(template)


class RenderError(Exception):
    """A fix template that cannot be rendered for this finding."""


def _look_up(context: dict[str, Any], dotted: str, key: str | None) -> str:
    """What jinja2 gives for the same expression, or its StrictUndefined error as RenderError."""
    first, *rest = dotted.split(".")
    if first not in context:
        raise RenderError(f"{first!r} is undefined")
    value = context[first]
    for part in rest:
        if not isinstance(value, dict) or part not in value:
            raise RenderError(f"{dotted!r} has no {part!r}")
        value = value[part]
    if key is not None:
        if key not in context:
            raise RenderError(f"{key!r} is undefined")
        if not isinstance(value, dict) or context[key] not in value:
            raise RenderError(f"{dotted!r} has no entry {context[key]!r}")
        value = value[context[key]]
    return str(value)


# `{{ name }}`, `{{ fix.table[name] }}`: a name, dotted keys, and one lookup by a name's value.
_LOOKUP = re.compile(r"\{\{\s*(\w+(?:\.\w+)*)(?:\[(\w+)\])?\s*\}\}")
_WHOLLY_RAW = re.compile(r"\A\{% raw %\}(.*)\{% endraw %\}\Z", re.DOTALL)


def render(template: str, context: dict[str, Any]) -> str:
    """Render a fix snippet. Plain lookups (`{{ name }}`, `{{ fix.table[name] }}`) are filled in
    directly, so that the review path does not import jinja2; anything more (filters, `{% %}`,
    literals) goes to it."""
    if "{{" not in template and "{%" not in template:
        return template
    raw = _WHOLLY_RAW.match(template)
    if raw is not None and "{%" not in raw.group(1):
        return raw.group(1)  # one {% raw %} block is its own text (GitHub's ${{ }} inside)
    if "{%" not in template and "{{" not in _LOOKUP.sub("", template):
        return _LOOKUP.sub(lambda m: _look_up(context, m.group(1), m.group(2)), template)
    import jinja2

    try:
        return str(_compiled(template).render(**context))
    except jinja2.TemplateError as exc:
        raise RenderError(str(exc)) from None
