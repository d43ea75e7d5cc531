"""Python fixers for GitLab CI."""

from __future__ import annotations

from typing import Any

from copilot.fixes.model import Applicability, Edit, Fix
from copilot.fixes.render import detect_style, line_end
from copilot.parse import yamlsafe as y
from copilot.parse.pipeline import PipelineObject
from copilot.rules.checks.base import Hit

# `only:`/`except:` keywords and the `rules: if:` condition GitLab documents as their equivalent.
KEYWORDS = {
    "branches": "$CI_COMMIT_BRANCH",
    "tags": "$CI_COMMIT_TAG",
    "merge_requests": '$CI_PIPELINE_SOURCE == "merge_request_event"',
    "schedules": '$CI_PIPELINE_SOURCE == "schedule"',
    "web": '$CI_PIPELINE_SOURCE == "web"',
    "api": '$CI_PIPELINE_SOURCE == "api"',
    "triggers": '$CI_PIPELINE_SOURCE == "trigger"',
    "pipelines": '$CI_PIPELINE_SOURCE == "pipeline"',
    "pushes": '$CI_PIPELINE_SOURCE == "push"',
    "external": '$CI_PIPELINE_SOURCE == "external"',
    "chat": '$CI_PIPELINE_SOURCE == "chat"',
}


def _condition(ref: str) -> str:
    if ref in KEYWORDS:
        return KEYWORDS[ref]
    if ref.startswith("/") and ref.rstrip("i").endswith("/"):
        return f"$CI_COMMIT_REF_NAME =~ {ref}"
    return f'$CI_COMMIT_REF_NAME == "{ref}"'


def _refs(node: y.Node | None) -> list[str] | None:
    """The plain list form (`only: [main, tags]` or `only: main`); None for `refs:`/`changes:`."""
    if isinstance(node, y.ScalarNode):
        return [str(node.value)]
    if isinstance(node, y.SequenceNode) and all(isinstance(v, y.ScalarNode) for v in node.value):
        return [str(v.value) for v in node.value]
    return None


def rules_from_only(obj: PipelineObject, hit: Hit, params: dict[str, Any]) -> Fix | None:
    """Replace `only:`/`except:` (simple list form, written on this job) with `rules:`."""
    mapping = obj.node
    if y.get(mapping, "rules") is not None:
        return None
    keys = [k for k in ("except", "only") if y.key_node(mapping, k) is not None]
    if not keys or obj.source_of(y.key_node(mapping, keys[0])) is not obj.source:  # type: ignore[arg-type]
        return None  # written in a template elsewhere: one template change affects many jobs
    lines: list[str] = []
    for keyword in keys:
        refs = _refs(y.get(mapping, keyword))
        if refs is None:
            return None
        for ref in refs:
            lines.append(f"  - if: {_condition(ref)}")
            if keyword == "except":
                lines.append("    when: never")
    if "only" not in keys:
        lines.append("  - when: on_success")
    text = obj.source.text
    style = detect_style(obj.source)
    spans = sorted(
        ((y.key_node(mapping, k), y.get(mapping, k)) for k in keys),
        key=lambda pair: pair[0].start_mark.index,  # type: ignore[union-attr]
    )
    column = spans[0][0].start_mark.column  # type: ignore[union-attr]
    block = style.newline.join(
        " " * column + line if i else line for i, line in enumerate(["rules:", *lines])
    )
    edits = []
    for index, (key, value) in enumerate(spans):
        start = key.start_mark.index  # type: ignore[union-attr]
        end = y.content_end(value)  # type: ignore[arg-type]
        end = end if text[end - 1 : end] == "\n" else line_end(text, end - 1)
        if index == 0:
            edits.append(Edit(start, end, block + style.newline))
        else:
            edits.append(Edit(start - key.start_mark.column, end, ""))  # type: ignore[union-attr]
    return Fix(
        "Replace only/except with rules",
        tuple(sorted(edits, key=lambda e: e.start)),
        Applicability.UNSAFE,
    )
