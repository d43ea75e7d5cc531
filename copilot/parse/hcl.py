"""Terraform HCL text -> a small typed model that keeps every position.

python-hcl2's raw lark tree (`hcl2.parses_to_tree`) carries `start_pos`/`end_pos` str offsets for
every node; we convert it once into frozen dataclasses so rule code never touches lark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from copilot.parse.source import SourceError, SourceFile

# --------------------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Expr:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Literal(Expr):
    """A string without interpolation, a number, a bool or null."""

    value: str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Template(Expr):
    """A string with interpolations: literal text and expressions, in order."""

    parts: tuple[str | Expr, ...]


@dataclass(frozen=True, slots=True)
class Ref(Expr):
    """A traversal such as `var.name`, `aws_s3_bucket.logs.id`, `local.tags["env"]`."""

    parts: tuple[str | int | Expr, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The leading run of plain attribute names: ("aws_s3_bucket", "logs", "id")."""
        out: list[str] = []
        for part in self.parts:
            if not isinstance(part, str):
                break
            out.append(part)
        return tuple(out)


@dataclass(frozen=True, slots=True)
class Call(Expr):
    name: str
    args: tuple[Expr, ...]
    expand: bool = False


@dataclass(frozen=True, slots=True)
class TupleExpr(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class ObjectItem:
    key: str | Expr
    value: Expr
    start: int


@dataclass(frozen=True, slots=True)
class ObjectExpr(Expr):
    items: tuple[ObjectItem, ...]


@dataclass(frozen=True, slots=True)
class Conditional(Expr):
    condition: Expr
    then: Expr
    otherwise: Expr


@dataclass(frozen=True, slots=True)
class Operation(Expr):
    """A unary (one operand) or binary operation."""

    operator: str
    operands: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Opaque(Expr):
    """An expression we do not evaluate (for expressions, splats, template directives)."""

    kind: str
    refs: tuple[Ref, ...] = ()


# --------------------------------------------------------------------------- body


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    expr: Expr
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Block:
    type: str
    labels: tuple[str, ...]
    attributes: dict[str, Attribute]
    blocks: tuple[Block, ...]
    start: int
    end: int
    header_end: int  # offset just after the opening brace
    source: SourceFile = field(repr=False, compare=False)

    def blocks_of(self, type_: str) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.type == type_)


@dataclass(frozen=True, slots=True)
class HclFile:
    source: SourceFile
    blocks: tuple[Block, ...]
    attributes: dict[str, Attribute] = field(default_factory=dict)  # top level, as in .tfvars


# --------------------------------------------------------------------------- conversion

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")


def _unescape(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        body = match.group(1)
        if body[0] in "uU" and len(body) > 1:
            return chr(int(body[1:], 16))
        return _ESCAPES.get(body, "\\" + body)

    return _ESCAPE_RE.sub(repl, text) if "\\" in text else text


def _heredoc_body(token_text: str) -> str:
    trim = token_text.startswith("<<-")
    _, _, rest = token_text.partition("\n")
    lines = rest.rstrip("\r\n").split("\n")[:-1]  # drop the closing marker line
    lines = [line.rstrip("\r") for line in lines]
    if trim:
        indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
        cut = min(indents, default=0)
        lines = [line[cut:] for line in lines]
    return "\n".join(lines) + ("\n" if lines else "")


class _Converter:
    def __init__(self, source: SourceFile) -> None:
        self.source = source

    # ---- helpers on lark nodes
    @staticmethod
    def _is_tree(node: Any) -> bool:
        return hasattr(node, "data")

    @staticmethod
    def _span(node: Any) -> tuple[int, int]:
        if hasattr(node, "data"):
            return node.meta.start_pos, node.meta.end_pos
        return node.start_pos, node.end_pos

    def _trees(self, node: Any) -> list[Any]:
        return [c for c in node.children if self._is_tree(c) and c.data != "new_line_or_comment"]

    def _name(self, node: Any) -> str:
        """Text of an identifier / keyword / literal_value / string label."""
        if node.data == "string":
            return "".join(self._string_text(part) for part in self._trees(node))
        token = node.children[0]
        return str(token.value if hasattr(token, "value") else token)

    def _string_text(self, part: Any) -> str:
        child = part.children[0]
        if self._is_tree(child):
            raise SourceError(
                "interpolation is not allowed here", *self.source.line_col(part.meta.start_pos)
            )
        if child.type == "ESCAPED_INTERPOLATION":
            return str(child.value[1:])
        if child.type == "ESCAPED_DIRECTIVE":
            return str(child.value[1:])
        return _unescape(str(child.value))

    # ---- body
    def body(self, node: Any) -> tuple[dict[str, Attribute], tuple[Block, ...]]:
        attributes: dict[str, Attribute] = {}
        blocks: list[Block] = []
        for child in self._trees(node):
            if child.data == "attribute":
                attr = self.attribute(child)
                attributes[attr.name] = attr
            elif child.data == "block":
                blocks.append(self.block(child))
        return attributes, tuple(blocks)

    def attribute(self, node: Any) -> Attribute:
        name_node, *_rest = self._trees(node)
        expr_node = node.children[-1]
        start, _ = self._span(node)
        expr = self.expr(expr_node)
        return Attribute(self._name(name_node), expr, start, expr.end)

    def block(self, node: Any) -> Block:
        labels: list[str] = []
        type_ = ""
        body_node = None
        header_end = node.meta.start_pos
        for child in node.children:
            if self._is_tree(child):
                if child.data == "body":
                    body_node = child
                elif child.data == "new_line_or_comment":
                    continue
                elif not type_:
                    type_ = self._name(child)
                else:
                    labels.append(self._name(child))
            elif child.type == "LBRACE":
                header_end = child.end_pos
        attributes, blocks = self.body(body_node) if body_node is not None else ({}, ())
        return Block(
            type=type_,
            labels=tuple(labels),
            attributes=attributes,
            blocks=blocks,
            start=node.meta.start_pos,
            end=node.meta.end_pos,
            header_end=header_end,
            source=self.source,
        )

    # ---- expressions
    def expr(self, node: Any) -> Expr:
        start, end = self._span(node)
        if not self._is_tree(node):
            return Opaque(start, end, "token")
        data = node.data
        kids = self._trees(node)
        if data == "expr_term":
            if len(kids) == 1 and not any(
                not self._is_tree(c) and c.type == "LPAR" for c in node.children
            ):
                return self.expr(kids[0])
            inner = self.expr(kids[0]) if kids else Opaque(start, end, "empty")
            return _respan(inner, start, end)
        if data == "string":
            return self.string(node)
        if data == "int_lit":
            return Literal(start, end, int(node.children[0].value))
        if data == "float_lit":
            return Literal(start, end, float(node.children[0].value))
        if data == "literal_value":
            text = str(node.children[0].value)
            return Literal(start, end, {"true": True, "false": False}.get(text))
        if data in ("heredoc_template", "heredoc_template_trim"):
            raw = str(node.children[0].value)
            body = _heredoc_body(raw)
            end = start + len(raw.rstrip("\r\n"))
            if "${" in body.replace("$${", "") or "%{" in body.replace("%%{", ""):
                return Opaque(start, end, "heredoc-template", self._refs(node))
            return Literal(start, end, body.replace("$${", "${").replace("%%{", "%{"))
        if data == "identifier":
            return Ref(start, end, (self._name(node),))
        if data in ("get_attr_expr_term", "index_expr_term"):
            return self.traversal(node)
        if data == "function_call":
            return self.call(node)
        if data == "tuple":
            return TupleExpr(start, end, tuple(self.expr(k) for k in kids))
        if data == "object":
            return self.object(node)
        if data == "conditional":
            cond, then, other = (self.expr(k) for k in kids)
            return Conditional(start, end, cond, then, other)
        if data == "unary_op":
            op = str(node.children[0].value)
            return Operation(start, end, op, (self.expr(kids[0]),))
        if data == "binary_op":
            left = self.expr(kids[0])
            term = kids[1]
            op_node, right_node = self._trees(term)
            return Operation(
                start, end, str(op_node.children[0].value), (left, self.expr(right_node))
            )
        return Opaque(start, end, data, self._refs(node))

    def _refs(self, node: Any) -> tuple[Ref, ...]:
        """References inside an expression we do not evaluate (kept for dependency graphs).

        Only the children are searched: `traversal` calls this on its own node as a fallback.
        """
        found: list[Ref] = []
        for child in self._trees(node) if self._is_tree(node) else ():
            for sub in child.iter_subtrees_topdown():
                if sub.data == "get_attr_expr_term":
                    expr = self.traversal(sub)
                    if isinstance(expr, Ref) and len(expr.names) >= 2:
                        found.append(expr)
        return tuple(found)

    def traversal(self, node: Any) -> Expr:
        start, end = self._span(node)
        kids = self._trees(node)
        base = self.expr(kids[0])
        step = kids[1]
        part: str | int | Expr
        if step.data == "get_attr":
            part = self._name(self._trees(step)[0])
        elif step.data == "short_index":
            part = int(step.children[-1].value)
        else:  # braces_index
            index = self.expr(self._trees(step)[0])
            part = (
                index.value
                if isinstance(index, Literal) and isinstance(index.value, (str, int))
                else index
            )
        if isinstance(base, Ref):
            return Ref(start, end, (*base.parts, part))
        return Opaque(start, end, "traversal", self._refs(node))

    def call(self, node: Any) -> Expr:
        start, end = self._span(node)
        kids = self._trees(node)
        names = [self._name(k) for k in kids if k.data == "identifier"]
        args_node = next((k for k in kids if k.data == "arguments"), None)
        args: tuple[Expr, ...] = ()
        expand = False
        if args_node is not None:
            args = tuple(self.expr(a) for a in self._trees(args_node))
            expand = any(not self._is_tree(c) and c.type == "ELLIPSIS" for c in args_node.children)
        return Call(start, end, "::".join(names), args, expand)

    def object(self, node: Any) -> Expr:
        start, end = self._span(node)
        items: list[ObjectItem] = []
        for elem in self._trees(node):
            key_node, value_node = self._trees(elem)
            key_expr = self.expr(self._trees(key_node)[0] if self._trees(key_node) else key_node)
            key: str | Expr
            if isinstance(key_expr, Ref) and len(key_expr.parts) == 1:
                key = str(key_expr.parts[0])
            elif isinstance(key_expr, Literal):
                key = str(key_expr.value)
            else:
                key = key_expr
            items.append(ObjectItem(key, self.expr(value_node), elem.meta.start_pos))
        return ObjectExpr(start, end, tuple(items))

    def string(self, node: Any) -> Expr:
        start, end = self._span(node)
        parts: list[str | Expr] = []
        for part in self._trees(node):
            child = part.children[0]
            if not self._is_tree(child):
                text = self._string_text(part)
                if parts and isinstance(parts[-1], str):
                    parts[-1] += text
                else:
                    parts.append(text)
            elif child.data == "interpolation":
                parts.append(self.expr(self._trees(child)[0]))
            else:  # template directives: %{ if } / %{ for }
                return Opaque(start, end, "template-directive", self._refs(node))
        if all(isinstance(p, str) for p in parts):
            return Literal(start, end, "".join(p for p in parts if isinstance(p, str)))
        return Template(start, end, tuple(parts))


def _respan(expr: Expr, start: int, end: int) -> Expr:
    """Give a parenthesised expression the span including its parentheses."""
    import dataclasses

    return dataclasses.replace(expr, start=start, end=end)


# --------------------------------------------------------------------------- guards

_HEREDOC_OPEN = re.compile(r"<<-?([A-Za-z][A-Za-z0-9._-]*)[ \t]*\r?$", re.MULTILINE)


def normalise_heredoc_markers(text: str) -> str:
    """Move spaces after a heredoc's closing marker in front of it, keeping every offset.

    python-hcl2 does not accept `EOT␠␠` as a closing marker and silently swallows the rest of the
    file (python-hcl2 issue #343); Terraform accepts it. `␠␠EOT` means the same to both.
    """
    if "<<" not in text:
        return text
    lines = text.split("\n")
    pending: str | None = None
    changed = False
    for i, line in enumerate(lines):
        if pending is None:
            match = _HEREDOC_OPEN.search(line)
            if match:
                pending = match.group(1)
            continue
        bare = line.rstrip("\r")
        if bare.strip() == pending:
            stripped = bare.rstrip(" \t")
            trailing = bare[len(stripped) :]
            if trailing:
                marker_at = len(stripped) - len(pending)
                lines[i] = stripped[:marker_at] + trailing + pending + line[len(bare) :]
                changed = True
            pending = None
    return "\n".join(lines) if changed else text


_BLOCK_HEADER = re.compile(
    r"^(resource|data|module|variable|output|provider|locals|terraform|moved|import|removed|check)\b[^=]*\{"
)


def _top_level_header_count(text: str) -> int:
    """Count top-level block headers with a plain line scan (outside heredocs and /* */)."""
    count = 0
    heredoc: str | None = None
    in_comment = False
    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        if heredoc is not None:
            if line.strip() == heredoc:
                heredoc = None
            continue
        if in_comment:
            in_comment = "*/" not in line
            continue
        if line.lstrip().startswith("/*") and "*/" not in line:
            in_comment = True
            continue
        if _BLOCK_HEADER.match(line):
            count += 1
        opener = _HEREDOC_OPEN.search(line)
        if opener:
            heredoc = opener.group(1)
    return count


def parse_hcl(source: SourceFile) -> HclFile:
    """Parse a Terraform file. Raises SourceError with the line of the problem."""
    import hcl2
    from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput

    text = normalise_heredoc_markers(source.text)
    try:
        tree = hcl2.parses_to_tree(text)
    except UnexpectedInput as exc:
        line = getattr(exc, "line", 1) or 1
        column = getattr(exc, "column", 1) or 1
        if isinstance(exc, UnexpectedCharacters):
            found = (
                text[exc.pos_in_stream : exc.pos_in_stream + 1]
                if exc.pos_in_stream is not None
                else ""
            )
            message = f"syntax error: unexpected character {found!r}"
        else:
            token = getattr(exc, "token", None)
            shown = "end of file" if token is None or token.type == "$END" else repr(str(token))
            message = f"syntax error: unexpected {shown}"
        raise SourceError(message, max(1, line), max(1, column)) from None
    except (LarkError, RecursionError, ValueError) as exc:
        raise SourceError(f"cannot parse: {exc}".splitlines()[0]) from None
    converter = _Converter(source)
    body = tree.children[0]
    try:
        attributes, blocks = converter.body(body)
    except RecursionError:
        raise SourceError("expression nested too deeply to analyse") from None
    expected = _top_level_header_count(text)
    if expected > len(blocks):
        raise SourceError(
            f"the parser returned {len(blocks)} top-level blocks where the text has {expected}; "
            "refusing a partial parse (check heredoc markers and unbalanced quotes)"
        )
    return HclFile(source, blocks, attributes)
