"""Python fixers for GitHub Actions."""

from __future__ import annotations

import re
from typing import Any

from copilot.fixes import online
from copilot.fixes.model import Applicability, Edit, Fix
from copilot.fixes.render import line_end
from copilot.parse import yamlsafe as y
from copilot.parse.pipeline import PipelineObject
from copilot.rules.checks.base import COMMIT_SHA, Hit
from copilot.rules.checks.github import version_comment
from copilot.rules.fixers.yaml_edits import set_key

_NAME_PARTS = re.compile(r"[A-Za-z0-9]+")


def env_name(context: str) -> str:
    """`github.event.pull_request.title` -> PR_TITLE; `inputs.tag-name` -> INPUT_TAG_NAME."""
    parts = [
        p for p in _NAME_PARTS.findall(context) if p not in ("github", "event", "steps", "outputs")
    ]
    if parts and parts[0] == "inputs":
        parts[0] = "input"
    parts = [{"pull": "pr", "pull_request": "pr"}.get(p, p) for p in parts]
    words = [w for p in parts for w in p.split("_") if w and w != "request"]
    return "_".join(words[-2:]).upper() or "VALUE"


def _quoted(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    before, after = text[start - 1 : start], text[end : end + 1]
    if before and before == after and before in "\"'`":
        return start - 1, end + 1, before
    return None


def move_expression_to_env(obj: PipelineObject, hit: Hit, params: dict[str, Any]) -> Fix | None:
    """Read the value from an environment variable instead of pasting it into the script."""
    text = obj.source.text
    expression = text[hit.start : hit.end]
    context = hit.values.get("context") or expression.strip("${} ")
    name = env_name(context)
    env = obj.get("env")
    taken = {str(k.value) for k, _ in y.items(env)}
    if name in taken and y.text(y.get(env, name)) != expression:
        name = f"{name}_{len(taken)}"
    shell = (y.text(obj.get("shell")) or "").lower()
    javascript = obj.type == "actions/github-script"
    if not javascript and not _in_run(obj, hit.start):
        return None  # another action's code input: how it reads the environment is its own
    edits: list[Edit] = []
    for start, end in _occurrences(obj, expression):
        quoted = _quoted(text, start, end)
        if javascript:
            replacement, span = (
                f"process.env.{name}",
                (quoted[0], quoted[1]) if quoted else (start, end),
            )
        elif shell.startswith(("pwsh", "powershell")):
            replacement, span = f"$env:{name}", (start, end)
        elif quoted and quoted[2] == "'":
            replacement, span = f'"${{{name}}}"', (quoted[0], quoted[1])
        else:
            replacement, span = f"${{{name}}}", (start, end)
        edits.append(Edit(span[0], span[1], replacement))
    if name not in taken:
        env_fix = set_key(obj, obj.node, ["env", name], expression, ["with", "uses", "id", "name"])
        if env_fix is None:
            return None
        edits.extend(env_fix.edits)
    return Fix(
        f"Pass `{context}` through the environment variable {name}",
        tuple(sorted(edits, key=lambda e: e.start)),
        Applicability.SAFE,
    )


def _in_run(obj: PipelineObject, offset: int) -> bool:
    run = obj.get("run")
    return run is not None and run.start_mark.index <= offset < run.end_mark.index


def _occurrences(obj: PipelineObject, expression: str) -> list[tuple[int, int]]:
    """Where `expression` is written in the step's script (`run:`, or a sink input)."""
    text = obj.source.text
    found = []
    for node in (
        obj.get("run"),
        *(y.get(obj.get("with"), k) for k in ("script", "run", "command")),
    ):
        if isinstance(node, y.ScalarNode):
            start = node.start_mark.index
            for match in re.finditer(re.escape(expression), text[start : node.end_mark.index]):
                found.append((start + match.start(), start + match.end()))
    return found


_ONLINE = "run with --online to resolve the SHA through git ls-remote"


def _written(obj: PipelineObject, hit: Hit) -> tuple[str, str, str]:
    """(quote, action, ref) of the `uses:` value the hit spans, as written."""
    uses = obj.source.text[hit.start : hit.end]
    quote = uses[0] if uses[:1] in ("'", '"') else ""
    action, _, ref = uses.strip("'\"").partition("@")
    return quote, action, ref


def _pinned(obj: PipelineObject, hit: Hit, tag: str) -> tuple[list[Edit], str | None]:
    """Edits that pin the hit's action to the commit `tag` points to, with `# tag` after it (an
    existing version comment is updated), and that commit: resolved with --online, else None
    and a `<commit-sha>` placeholder."""
    text = obj.source.text
    quote, action, _ = _written(obj, hit)
    resolver = online.current()
    sha = resolver("/".join(action.split("/")[:2]), tag) if resolver and tag else None
    edits = [Edit(hit.start, hit.end, f"{quote}{action}@{sha or '<commit-sha>'}{quote}")]
    comment = version_comment(text, hit.end)
    if comment is not None:
        edits.append(Edit(comment.start(1), comment.end(1), tag))
    elif tag and "#" not in text[hit.end : line_end(text, hit.end)]:
        edits.append(Edit(hit.end, hit.end, f" # {tag}"))
    return edits, sha


def pin_action(obj: PipelineObject, hit: Hit, params: dict[str, Any]) -> Fix | None:
    """`owner/repo@tag` -> `owner/repo@<sha> # tag`, resolved with --online; else a suggestion."""
    _, action, ref = _written(obj, hit)
    edits, sha = _pinned(obj, hit, ref)
    if sha:
        return Fix(f"Pin {action} to the commit {ref} points to", tuple(edits), Applicability.SAFE)
    return Fix(f"Pin {action} to a commit SHA", tuple(edits), Applicability.SUGGESTION, _ONLINE)


def move_to_current_major(obj: PipelineObject, hit: Hit, params: dict[str, Any]) -> Fix | None:
    """`owner/repo@v2` -> `owner/repo@v4`. A SHA pin stays a SHA pin: `@<sha>  # v2.1.0` becomes
    the commit of v4 (resolved with --online) with its comment, or a suggestion without it."""
    quote, action, ref = _written(obj, hit)
    major = params.get("current_major", {}).get(action)
    if major is None:
        return None
    if not COMMIT_SHA.match(ref):
        edit = Edit(hit.start, hit.end, f"{quote}{action}@{major}{quote}")
        return Fix("", (edit,), Applicability.UNSAFE)
    edits, sha = _pinned(obj, hit, str(major))
    if sha:
        title = f"Move to {major}, pinned to the commit it points to"
        return Fix(title, tuple(edits), Applicability.UNSAFE)
    return Fix(
        f"Move to {major}, pinned to its commit", tuple(edits), Applicability.SUGGESTION, _ONLINE
    )


_SET_OUTPUT = re.compile(
    r"""echo\s+(["']?)::(set-output|save-state)\s+name=([\w-]+)::(.*?)\1(?=\s*$)""", re.MULTILINE
)


def github_output_file(obj: PipelineObject, hit: Hit, params: dict[str, Any]) -> Fix | None:
    """`echo "::set-output name=x::v"` -> `echo "x=v" >> "$GITHUB_OUTPUT"` (save-state likewise)."""
    text = obj.source.text
    start = text.rfind("\n", 0, hit.start) + 1
    end = line_end(text, hit.end)
    match = _SET_OUTPUT.search(text, start, end)
    if match is None:
        return None
    target = "GITHUB_OUTPUT" if match.group(2) == "set-output" else "GITHUB_STATE"
    replacement = f'echo "{match.group(3)}={match.group(4)}" >> "${target}"'
    return Fix("", (Edit(match.start(), match.end(), replacement),), Applicability.SAFE)
