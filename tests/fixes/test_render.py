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
    ],
)
def test_other_templates_render_exactly_as_jinja_does(
    template: str, context: dict[str, object]
) -> None:
    assert render(template, context) == _jinja(template, **context)


def test_an_undefined_name_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="'missing' is undefined"):
        render("{{ missing }}", {})
