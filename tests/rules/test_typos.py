"""The one-typo test behind GHA-035."""

from __future__ import annotations

import pytest

from copilot.rules.checks.github import _one_edit_apart


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("action/checkout", True),  # a character left out
        ("actiions/checkout", True),  # one added
        ("acti0ns/checkout", True),  # one changed
        ("atcions/checkout", True),  # two neighbours swapped
        ("actions/checkout", False),  # the name itself
        ("actoins/chekcout", False),  # two typos
        ("actions/checkout-v2", False),
        ("xyz", False),
    ],
)
def test_one_typo_from_actions_checkout(typed: str, expected: bool) -> None:
    assert _one_edit_apart("actions/checkout", typed) is expected
    assert _one_edit_apart(typed, "actions/checkout") is expected
