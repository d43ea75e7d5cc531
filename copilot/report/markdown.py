"""Markdown for a pull-request comment, rendered from templates/report/markdown.md.j2."""

from __future__ import annotations

from copilot.findings.model import Finding
from copilot.resources import data_dir
from copilot.rules.model import Rule


def render(findings: list[Finding], rules: dict[str, Rule], summary: str) -> str:
    import jinja2  # only this format needs it

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    used = {f.rule_id: rules[f.rule_id] for f in findings if f.rule_id in rules}
    template = env.get_template("report/markdown.md.j2")
    return template.render(findings=findings, used_rules=used, summary=summary)
