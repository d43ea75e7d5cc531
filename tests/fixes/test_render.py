from __future__ import annotations

import jinja2
import pytest
import yaml

from copilot.fixes.render import RenderError, render
from copilot.resources import data_dir


def _jinja(template: str, **context: object) -> str:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False)
    return env.from_string(template).render(**context)


def test_a_wholly_raw_template_renders_as_jinja_would_without_jinja() -> None:
    rule = yaml.safe_load((data_dir("rules") / "github" / "GHA-019.yaml").read_text())
    template = rule["fix"]["set"]["value"]
    assert template.startswith("{% raw %}")
    assert render(template, {}) == _jinja(template)
    assert "${{ github.workflow }}" in render(template, {})


@pytest.mark.parametrize(
    ("template", "context"),
    [
        ("{% raw %}a{% endraw %}{{ b }}{% raw %}c{% endraw %}", {"b": "B"}),
        ("{{ name }}@{{ table[name] }}", {"name": "x", "table": {"x": "v4"}}),
        ("plain {{ name }}", {"name": "y"}),
        ("{{ fix.manager[type] }}", {"type": "a", "fix": {"manager": {"a": "pip"}}}),
        ("{{ a.b.c }}-{{ n }}", {"a": {"b": {"c": 1.5}}, "n": None}),
    ],
)
def test_other_templates_render_exactly_as_jinja_does(
    template: str, context: dict[str, object]
) -> None:
    assert render(template, context) == _jinja(template, **context)


@pytest.mark.parametrize(
    ("template", "context"),
    [
        ("{{ missing }}", {}),
        ("{{ fix.table[name] }}", {"fix": {"table": {}}, "name": "x"}),
        ("{{ fix.table[name] }}", {"fix": {}, "name": "x"}),
        ("{{ fix.table[name] }}", {"fix": {"table": {"x": 1}}}),
    ],
)
def test_what_jinja_refuses_is_a_render_error(template: str, context: dict[str, object]) -> None:
    with pytest.raises(jinja2.UndefinedError):
        _jinja(template, **context)
    with pytest.raises(RenderError):
        render(template, context)
