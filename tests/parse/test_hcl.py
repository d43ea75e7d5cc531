from __future__ import annotations

import pytest

from copilot.parse.hcl import Literal, Ref, Template, normalise_heredoc_markers, parse_hcl
from copilot.parse.source import SourceError, SourceFile


def _parse(text: str):
    return parse_hcl(SourceFile.from_text("main.tf", text))


def test_positions_point_at_attribute_values_after_non_ascii_text() -> None:
    text = 'resource "aws_s3_bucket" "b" {\n  # café ünïcode\n  bucket = "é-bucket"\n  acl = "private"\n}\n'
    (block,) = _parse(text).blocks
    acl = block.attributes["acl"]
    assert text[acl.expr.start : acl.expr.end] == '"private"'
    assert SourceFile.from_text("m", text).line_col(acl.expr.start) == (4, 9)
    start = text.index('"é-bucket"')
    assert block.attributes["bucket"].expr == Literal(start, start + 10, "é-bucket")


def test_expressions_become_typed_values() -> None:
    (block,) = _parse(
        'locals {\n  a = "x-${var.env}"\n  b = aws_s3_bucket.b.id\n  c = local.m["k"]\n}\n'
    ).blocks
    assert isinstance(block.attributes["a"].expr, Template)
    assert isinstance(block.attributes["b"].expr, Ref)
    assert block.attributes["b"].expr.names == ("aws_s3_bucket", "b", "id")
    assert block.attributes["c"].expr.parts == ("local", "m", "k")


def test_heredoc_body_is_a_literal_and_indented_heredoc_is_trimmed() -> None:
    text = 'locals {\n  p = <<-EOT\n    {"a": 1}\n      x\n    EOT\n}\n'
    (block,) = _parse(text).blocks
    assert block.attributes["p"].expr.value == '{"a": 1}\n  x\n'


def test_heredoc_marker_followed_by_spaces_does_not_swallow_the_rest_of_the_file() -> None:
    # python-hcl2 issue #343: `EOT␠␠` is accepted by Terraform but not by the grammar.
    text = (
        'resource "a" "one" {\n  p = <<EOT\nbody\nEOT  \n}\n'
        'resource "a" "two" {\n  x = 1\n}\n'
        'resource "a" "three" {\n  x = 2\n}\n'
    )
    parsed = _parse(text)
    assert [b.labels[1] for b in parsed.blocks] == ["one", "two", "three"]
    # offsets are kept: the normalised text has the same length and the same lines
    normalised = normalise_heredoc_markers(text)
    assert len(normalised) == len(text)
    assert normalised.count("\n") == text.count("\n")
    assert parsed.blocks[2].attributes["x"].expr.start == text.index("2")


def test_syntax_error_names_the_line() -> None:
    with pytest.raises(SourceError) as caught:
        _parse('resource "a" "b" {\n  x = 1\n  y = = 2\n}\n')
    assert caught.value.line == 3
    assert "syntax error" in str(caught.value)


def test_tfvars_style_top_level_attributes() -> None:
    parsed = _parse('region = "eu-west-1"\ncount_x = 3\n')
    assert parsed.attributes["region"].expr.value == "eu-west-1"
    assert parsed.blocks == ()


def test_crlf_file_parses_with_offsets_into_the_original_text() -> None:
    text = 'resource "a" "b" {\r\n  x = "y"\r\n}\r\n'
    (block,) = _parse(text).blocks
    x = block.attributes["x"].expr
    assert text[x.start : x.end] == '"y"'
