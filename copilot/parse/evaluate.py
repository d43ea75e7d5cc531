"""Static evaluation of Terraform expressions: what can be known without a plan.

A value is a plain Python value (str, int, float, bool, None, list, dict) or `UNKNOWN`. Containers
may hold `UNKNOWN` items. Anything that depends on state, on provider data or on a variable with no
value evaluates to `UNKNOWN`, and rules never fire on it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final

from copilot.parse.hcl import (
    Call,
    Conditional,
    Expr,
    Literal,
    ObjectExpr,
    Opaque,
    Operation,
    Ref,
    Template,
    TupleExpr,
)


class _Unknown:
    """The one value that stands for "cannot be known without a plan"."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("the truth of an unknown value is unknown; test `is UNKNOWN` first")


UNKNOWN: Final = _Unknown()


def is_known(value: Any) -> bool:
    """True when the value and everything inside it is known."""
    if value is UNKNOWN:
        return False
    if isinstance(value, list):
        return all(is_known(v) for v in value)
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    return True


class Resolver:
    """How `var.*`, `local.*` and `module.*` names are looked up; the project layer fills it."""

    def variable(self, name: str) -> Any:
        return UNKNOWN

    def local(self, name: str) -> Any:
        return UNKNOWN

    def module_output(self, module: str, output: str) -> Any:
        return UNKNOWN


def evaluate(expr: Expr, resolver: Resolver) -> Any:
    if isinstance(expr, Literal):
        return expr.value
    if isinstance(expr, Template):
        return _template(expr, resolver)
    if isinstance(expr, Ref):
        return _reference(expr, resolver)
    if isinstance(expr, TupleExpr):
        return [evaluate(item, resolver) for item in expr.items]
    if isinstance(expr, ObjectExpr):
        out: dict[str, Any] = {}
        for item in expr.items:
            key = item.key if isinstance(item.key, str) else evaluate(item.key, resolver)
            if not isinstance(key, (str, int, float, bool)):
                return UNKNOWN
            out[_to_string(key)] = evaluate(item.value, resolver)
        return out
    if isinstance(expr, Conditional):
        return _conditional(expr, resolver)
    if isinstance(expr, Operation):
        return _operation(expr, resolver)
    if isinstance(expr, Call):
        return _call(expr, resolver)
    assert isinstance(expr, (Opaque, Expr))
    return UNKNOWN


def _to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _template(expr: Template, resolver: Resolver) -> Any:
    pieces: list[str] = []
    for part in expr.parts:
        if isinstance(part, str):
            pieces.append(part)
            continue
        value = evaluate(part, resolver)
        if value is UNKNOWN or isinstance(value, (list, dict)) or value is None:
            return UNKNOWN
        pieces.append(_to_string(value))
    return "".join(pieces)


def _index(value: Any, step: str | int | Expr, resolver: Resolver) -> Any:
    if value is UNKNOWN:
        return UNKNOWN
    key: Any = evaluate(step, resolver) if isinstance(step, Expr) else step
    if key is UNKNOWN:
        return UNKNOWN
    if isinstance(value, dict):
        return value.get(_to_string(key), UNKNOWN)
    if isinstance(value, list) and isinstance(key, (int, float)) and not isinstance(key, bool):
        i = int(key)
        return value[i] if 0 <= i < len(value) else UNKNOWN
    return UNKNOWN


def _reference(expr: Ref, resolver: Resolver) -> Any:
    parts = expr.parts
    if len(parts) < 2 or not isinstance(parts[1], str):
        return UNKNOWN
    head = parts[0]
    rest: tuple[str | int | Expr, ...]
    if head == "var":
        value = resolver.variable(parts[1])
        rest = parts[2:]
    elif head == "local":
        value = resolver.local(parts[1])
        rest = parts[2:]
    elif head == "module" and len(parts) >= 3 and isinstance(parts[2], str):
        value = resolver.module_output(parts[1], parts[2])
        rest = parts[3:]
    else:
        return UNKNOWN
    for step in rest:
        value = _index(value, step, resolver)
    return value


def _conditional(expr: Conditional, resolver: Resolver) -> Any:
    cond = evaluate(expr.condition, resolver)
    if isinstance(cond, bool):
        return evaluate(expr.then if cond else expr.otherwise, resolver)
    then = evaluate(expr.then, resolver)
    other = evaluate(expr.otherwise, resolver)
    if is_known(then) and is_known(other) and then == other:
        return then
    return UNKNOWN


_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "%": lambda a, b: a % b,
}


def _operation(expr: Operation, resolver: Resolver) -> Any:
    values = [evaluate(op, resolver) for op in expr.operands]
    op = expr.operator
    if len(values) == 1:
        (value,) = values
        if op == "!" and isinstance(value, bool):
            return not value
        if op == "-" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value
        return UNKNOWN
    left, right = values
    # && and || short-circuit on a known side, as Terraform's result is then known.
    if op == "&&":
        if left is False or right is False:
            return False
        return True if left is True and right is True else UNKNOWN
    if op == "||":
        if left is True or right is True:
            return True
        return False if left is False and right is False else UNKNOWN
    if not (is_known(left) and is_known(right)):
        return UNKNOWN
    if op in "+-*/%<><=>=" and not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right)
    ):
        return UNKNOWN
    try:
        return _BINARY[op](left, right)
    except (KeyError, TypeError, ZeroDivisionError):
        return UNKNOWN


def _flatten(value: Any) -> Any:
    if not isinstance(value, list):
        return [value]
    out: list[Any] = []
    for item in value:
        out.extend(_flatten(item))
    return out


def _format(fmt: str, *args: Any) -> Any:
    out: list[str] = []
    it = iter(args)
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%" and i + 1 < len(fmt):
            spec = fmt[i + 1]
            i += 2
            if spec == "%":
                out.append("%")
            elif spec in "sdvfq":
                out.append(_to_string(next(it)))
            else:
                return UNKNOWN
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _lookup(m: Any, key: Any, *default: Any) -> Any:
    if isinstance(m, dict) and key in m:
        return m[key]
    return default[0] if default else UNKNOWN


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "lower": lambda s: s.lower(),
    "upper": lambda s: s.upper(),
    "trimspace": lambda s: s.strip(),
    "title": lambda s: s.title(),
    "tostring": _to_string,
    "tonumber": lambda v: float(v) if "." in str(v) else int(v),
    "tobool": lambda v: v if isinstance(v, bool) else {"true": True, "false": False}[v],
    "tolist": list,
    "toset": lambda v: list(dict.fromkeys(v)),
    "tomap": dict,
    "concat": lambda *lists: [x for lst in lists for x in lst],
    "merge": lambda *maps: {k: v for m in maps for k, v in m.items()},
    "flatten": _flatten,
    "join": lambda sep, lst: sep.join(_to_string(x) for x in lst),
    "split": lambda sep, s: s.split(sep),
    "length": len,
    "lookup": _lookup,
    "contains": lambda lst, v: v in lst,
    "coalesce": lambda *vs: next(v for v in vs if v not in (None, "")),
    "compact": lambda lst: [x for x in lst if x not in (None, "")],
    "distinct": lambda lst: list(dict.fromkeys(lst)),
    "keys": lambda m: sorted(m),
    "values": lambda m: [m[k] for k in sorted(m)],
    "min": min,
    "max": max,
    "abs": abs,
    "format": _format,
    "replace": lambda s, old, new: s.replace(old, new),
    "jsonencode": lambda v: json.dumps(v, separators=(",", ":")),
    "jsondecode": json.loads,
    "element": lambda lst, i: lst[int(i) % len(lst)],
}


def _call(expr: Call, resolver: Resolver) -> Any:
    name = expr.name
    if name == "try":
        for arg in expr.args:
            value = evaluate(arg, resolver)
            if is_known(value):
                return value
        return UNKNOWN
    func = _FUNCTIONS.get(name)
    if func is None or expr.expand:
        return UNKNOWN
    args = [evaluate(arg, resolver) for arg in expr.args]
    if not all(is_known(a) for a in args):
        return UNKNOWN
    try:
        return func(*args)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, StopIteration):
        return UNKNOWN
