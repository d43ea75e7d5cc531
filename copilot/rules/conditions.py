"""The declarative condition language of rule files, evaluated in three-valued logic.

A condition says when a block is *bad*. Each clause tests one attribute path:

    when:
      all:
        - {attribute: engine, in: [mysql, postgres]}
        - {attribute: storage_encrypted, equals: false, default: false}

Results are True, False or None (unknown). A rule fires only on True, so a value that cannot be
known statically (a variable with no default, a resource attribute) never produces a finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from copilot.parse.evaluate import UNKNOWN, is_known
from copilot.parse.terraform import Match


class Anchor(Protocol):
    """Where a missing argument belongs: a block (HCL) or a mapping key (YAML)."""

    @property
    def start(self) -> int: ...
    @property
    def header_end(self) -> int: ...
    @property
    def type(self) -> str: ...


class RuleObject(Protocol):
    """What conditions need of the thing a rule looks at (TfObject, PipelineObject)."""

    def lookup(self, path: str) -> list[Match]: ...
    def missing_anchor(self, path: str) -> Anchor: ...


OPERATORS = (
    "exists",
    "equals",
    "not_equals",
    "in",
    "not_in",
    "matches",
    "not_matches",
    "contains",
    "not_contains",
    "greater_than",
    "less_than",
    "at_least",
    "at_most",
)


class ConditionError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result, plus where to point: a value (`match`) or the block lacking it (`missing`)."""

    state: bool | None
    match: Match | None = None
    missing: Anchor | None = None


class Condition:
    def evaluate(self, obj: RuleObject) -> Outcome:
        raise NotImplementedError


@dataclass(frozen=True)
class All(Condition):
    parts: tuple[Condition, ...]

    def evaluate(self, obj: RuleObject) -> Outcome:
        unknown = False
        last = Outcome(True)
        for part in self.parts:
            outcome = part.evaluate(obj)
            if outcome.state is False:
                return Outcome(False)
            if outcome.state is None:
                unknown = True
            elif outcome.match is not None or outcome.missing is not None:
                last = outcome
        return Outcome(None) if unknown else last


@dataclass(frozen=True)
class Any_(Condition):
    parts: tuple[Condition, ...]

    def evaluate(self, obj: RuleObject) -> Outcome:
        unknown = False
        for part in self.parts:
            outcome = part.evaluate(obj)
            if outcome.state is True:
                return outcome
            if outcome.state is None:
                unknown = True
        return Outcome(None if unknown else False)


@dataclass(frozen=True)
class Not(Condition):
    part: Condition

    def evaluate(self, obj: RuleObject) -> Outcome:
        outcome = self.part.evaluate(obj)
        if outcome.state is None:
            return Outcome(None)
        return Outcome(not outcome.state, outcome.match, outcome.missing)


def _num(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _compare(op: str, expected: Any) -> Callable[[Any], bool | None]:
    """A test on one known value; None when the value's type makes the answer unknowable."""
    if op == "equals":
        return lambda v: _loose_equal(v, expected)
    if op == "not_equals":
        return lambda v: not _loose_equal(v, expected)
    if op == "in":
        return lambda v: any(_loose_equal(v, e) for e in expected)
    if op == "not_in":
        return lambda v: not any(_loose_equal(v, e) for e in expected)
    if op in ("matches", "not_matches"):
        pattern = re.compile(str(expected))
        positive = op == "matches"

        def test(v: Any) -> bool | None:
            if not isinstance(v, (str, int, float)) or isinstance(v, bool):
                return None
            return bool(pattern.search(str(v))) == positive

        return test
    if op in ("contains", "not_contains"):
        positive = op == "contains"
        wanted = expected if isinstance(expected, list) else [expected]

        def test_contains(v: Any) -> bool | None:
            if isinstance(v, str):
                hit = any(str(w) in v for w in wanted)
            elif isinstance(v, list):
                hit = any(_loose_equal(item, w) for item in v for w in wanted)
                if not hit and not is_known(v):
                    return None
            elif isinstance(v, dict):
                hit = any(str(w) in v for w in wanted)
            else:
                return None
            return hit == positive

        return test_contains
    bound = _num(expected)
    if bound is None:
        raise ConditionError(f"`{op}` needs a number, got {expected!r}")
    checks: dict[str, Callable[[float], bool]] = {
        "greater_than": lambda n: n > bound,
        "less_than": lambda n: n < bound,
        "at_least": lambda n: n >= bound,
        "at_most": lambda n: n <= bound,
    }
    check = checks[op]

    def test_number(v: Any) -> bool | None:
        n = _num(v)
        return None if n is None else check(n)

    return test_number


def _loose_equal(value: Any, expected: Any) -> bool:
    """Terraform converts between string, number and bool; `"true" == true` for our purposes."""
    if value == expected and type(value) is type(expected):
        return True
    if isinstance(expected, bool):
        return isinstance(value, str) and value.lower() == str(expected).lower()
    if isinstance(expected, (int, float)):
        return _num(value) == float(expected) if not isinstance(value, bool) else False
    if isinstance(expected, str) and isinstance(value, (int, float, bool)):
        text = str(value).lower() if isinstance(value, bool) else str(value)
        return text == expected
    return bool(value == expected)


@dataclass(frozen=True)
class Clause(Condition):
    path: str
    op: str
    expected: Any
    test: Callable[[Any], bool | None]
    default: Any = UNKNOWN
    has_default: bool = False
    ignore_case: bool = False

    def evaluate(self, obj: RuleObject) -> Outcome:
        matches = obj.lookup(self.path)
        if self.op == "exists":
            present = bool(matches)
            return Outcome(
                present == bool(self.expected),
                matches[0] if present else None,
                None if present else obj.missing_anchor(self.path),
            )
        if not matches:
            if not self.has_default:
                return Outcome(False)
            verdict = self._test(self.default)
            return Outcome(verdict, None, obj.missing_anchor(self.path) if verdict else None)
        unknown = False
        for match in matches:
            verdict = self._test(match.value)
            if verdict is True:
                return Outcome(True, match)
            if verdict is None:
                unknown = True
        return Outcome(None if unknown else False)

    def _test(self, value: Any) -> bool | None:
        if value is UNKNOWN:
            return None
        if self.ignore_case and isinstance(value, str):
            value = value.lower()
        return self.test(value)


def compile_condition(data: Any, where: str = "when") -> Condition:
    if not isinstance(data, dict):
        raise ConditionError(f"{where}: a condition must be a mapping, got {type(data).__name__}")
    if "all" in data or "any" in data:
        key = "all" if "all" in data else "any"
        parts = data[key]
        if not isinstance(parts, Sequence) or isinstance(parts, str) or not parts:
            raise ConditionError(f"{where}.{key}: needs a non-empty list of conditions")
        compiled = tuple(compile_condition(p, f"{where}.{key}[{i}]") for i, p in enumerate(parts))
        return All(compiled) if key == "all" else Any_(compiled)
    if "not" in data:
        return Not(compile_condition(data["not"], f"{where}.not"))
    path = data.get("attribute")
    if not isinstance(path, str) or not path:
        raise ConditionError(f"{where}: a clause needs `attribute` (or all/any/not)")
    ops = [op for op in OPERATORS if op in data]
    if len(ops) != 1:
        raise ConditionError(
            f"{where}: a clause takes exactly one operator of {', '.join(OPERATORS)}"
        )
    (op,) = ops
    expected = data[op]
    ignore_case = bool(data.get("ignore_case", False))
    if ignore_case:
        expected = _lower(expected)
    if op in ("in", "not_in") and not isinstance(expected, list):
        raise ConditionError(f"{where}: `{op}` needs a list")
    if op == "exists":
        test: Callable[[Any], bool | None] = lambda v: True
    else:
        try:
            test = _compare(op, expected)
        except re.error as exc:
            raise ConditionError(f"{where}: bad regular expression: {exc}") from None
    has_default = "default" in data
    return Clause(path, op, expected, test, data.get("default", UNKNOWN), has_default, ignore_case)


def _lower(value: Any) -> Any:
    if isinstance(value, str):
        return value.lower()
    if isinstance(value, list):
        return [_lower(v) for v in value]
    return value
