"""Render a rollback plan through templates/rollback/: terminal (rich markup), Markdown, JSON."""

from __future__ import annotations

from io import StringIO
from typing import Any

from copilot.resources import data_dir
from copilot.rollback.plan import Plan


def _environment(autoescape_markup: bool) -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=False,
        undefined=jinja2.StrictUndefined,
    )
    if autoescape_markup:
        from rich.markup import escape

        env.filters["e"] = lambda value: escape(str(value))
    else:
        env.filters["e"] = str
    return env


def render(plan: Plan, fmt: str, color: bool | None = None) -> str:
    context = {"plan": plan, "radius": plan.blast_radius, "plan_dict": plan.to_dict()}
    if fmt == "json":
        return str(_environment(False).get_template("rollback/plan.json.j2").render(**context))
    if fmt == "markdown":
        return str(_environment(False).get_template("rollback/plan.md.j2").render(**context))
    markup = _environment(True).get_template("rollback/plan.txt.j2").render(**context)
    from rich.console import Console

    buffer = StringIO()
    console = Console(
        file=buffer,
        force_terminal=color is True,
        no_color=color is False,
        highlight=False,
        width=120,
        soft_wrap=True,
    )
    console.print(markup, end="")
    return buffer.getvalue()
