from __future__ import annotations

from typing import Any

import pytest

from copilot.parse.evaluate import UNKNOWN, Resolver, evaluate, is_known
from copilot.parse.hcl import parse_hcl
from copilot.parse.source import SourceFile


class _Vars(Resolver):
    def variable(self, name: str) -> Any:
        return {"env": "prod", "n": 3, "on": True, "tags": {"Owner": "a"}}.get(name, UNKNOWN)


def _eval(expression: str) -> Any:
    parsed = parse_hcl(SourceFile.from_text("t.tf", f"x = {expression}\n"))
    return evaluate(parsed.attributes["x"].expr, _Vars())


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('"plain"', "plain"),
        ('"acme-${var.env}"', "acme-prod"),
        ("var.n + 2", 5),
        ("var.n > 2 && var.on", True),
        ('var.on ? "a" : "b"', "a"),
        ("!var.on", False),
        ("-1", -1),
        ('lower("ABC")', "abc"),
        ('merge(var.tags, { Env = "x" })', {"Owner": "a", "Env": "x"}),
        ('concat(["a"], ["b"])', ["a", "b"]),
        ('format("%s-%d", "a", 2)', "a-2"),
        ('jsonencode({ A = "*" })', '{"A":"*"}'),
        ('try(var.missing, "fallback")', "fallback"),
        ('lookup({ a = 1 }, "b", 7)', 7),
        ("[for s in var.list : s]", UNKNOWN),
        ("var.missing", UNKNOWN),
        ('"${var.missing}-x"', UNKNOWN),
        ("aws_s3_bucket.b.id", UNKNOWN),
        ("unknown_function(1)", UNKNOWN),
        ('var.missing ? "a" : "a"', "a"),
        ("var.missing || true", True),
        ("var.missing && false", False),
        ("var.missing && true", UNKNOWN),
    ],
)
def test_evaluate(expression: str, expected: Any) -> None:
    assert (
        _eval(expression) == expected if expected is not UNKNOWN else _eval(expression) is UNKNOWN
    )


def test_containers_keep_unknown_items() -> None:
    value = _eval('["0.0.0.0/0", var.missing]')
    assert value[0] == "0.0.0.0/0"
    assert value[1] is UNKNOWN
    assert not is_known(value)


def test_unknown_has_no_truth_value() -> None:
    with pytest.raises(TypeError):
        bool(UNKNOWN)
