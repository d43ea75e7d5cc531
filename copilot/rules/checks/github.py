"""Checks for GitHub Actions workflows and actions."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from copilot.parse import yamlsafe as y
from copilot.parse.pipeline import PipelineObject, action_of, plain_uses
from copilot.rules.checks.base import COMMIT_SHA, CheckContext, Hit
from copilot.rules.checks.pipeline_common import (
    find_all,
    node_hit,
    raw,
    tool_commands,
    truthy,
)

_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
# `uses: owner/repo@<sha>  # v4.2.1`: the version a SHA pin stands for, by convention.
_VERSION_COMMENT = re.compile(r"[ \t]+#[ \t]*(v?(\d+)[\w.-]*)")
PR_TRIGGERS = ("pull_request", "pull_request_target")
UNTRUSTED_TRIGGERS = ("pull_request_target", "workflow_run")


def _workflow(obj: PipelineObject) -> PipelineObject:
    while obj.parent is not None:
        obj = obj.parent
    return obj


def _job(obj: PipelineObject) -> PipelineObject | None:
    while obj is not None and obj.kind != "job":
        obj = obj.parent  # type: ignore[assignment]
    return obj


# --------------------------------------------------------------------------- injection


def _script_nodes(obj: PipelineObject, sinks: dict[str, list[str]]) -> Iterator[y.Node]:
    """`run:`, and the inputs of actions that execute them as code (`sinks` in the rule)."""
    run = obj.get("run")
    if isinstance(run, y.ScalarNode):
        yield run
    for name in sinks.get(obj.type, []):
        script = y.get(obj.get("with"), name)
        if isinstance(script, y.ScalarNode):
            yield script


def template_injection(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """`${{ <attacker-controlled context> }}` expanded into a shell or JavaScript source."""
    nodes = [
        node for node in _script_nodes(obj, ctx.params.get("sinks", {})) if "${{" in str(node.value)
    ]
    if not nodes:
        return  # most scripts expand nothing
    patterns = [re.compile(p) for p in ctx.params.get("contexts", [])]
    if obj.family == "github-action" or "workflow_call" in obj.document.triggers():
        patterns += [re.compile(p) for p in ctx.params.get("action_contexts", [])]
    for node in nodes:
        for start, end, match in find_all(obj, node, _EXPRESSION):
            expression = match.group(1).strip()
            for pattern in patterns:
                found = pattern.search(expression)
                if found:
                    yield Hit(
                        start,
                        end,
                        f"`{found.group(0)}` is controlled by whoever triggers the run",
                        {"context": found.group(0)},
                    )
                    break


# --------------------------------------------------------------------------- triggers


_HEAD_REF = re.compile(
    r"github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|"
    r"github\.event\.workflow_run\.head_(sha|branch)|refs/pull/"
)


def untrusted_checkout(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """A privileged trigger (pull_request_target, workflow_run) that checks out the PR's code."""
    triggers = obj.document.triggers()
    if not triggers & set(UNTRUSTED_TRIGGERS):
        return
    if obj.type == "actions/checkout":
        ref = y.get(obj.get("with"), "ref")
        if isinstance(ref, y.ScalarNode) and _HEAD_REF.search(str(ref.value)):
            yield node_hit(
                ref, "checks out the untrusted head with the base repository's privileges"
            )
        return
    run = obj.get("run")
    if isinstance(run, y.ScalarNode):
        pattern = re.compile(
            r"gh pr checkout[^\n]*|git (fetch|checkout)[^\n]*(" + _HEAD_REF.pattern + r")[^\n]*"
        )
        for start, end, _ in find_all(obj, run, pattern):
            yield Hit(
                start, end, "fetches the untrusted head with the base repository's privileges"
            )


# --------------------------------------------------------------------------- pinning


def _trusted(action: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(action, p) for p in patterns)


def _uses_nodes(obj: PipelineObject) -> Iterator[y.ScalarNode]:
    uses = obj.get("uses")
    if isinstance(uses, y.ScalarNode):
        yield uses


def _uses(obj: PipelineObject) -> Iterator[tuple[y.ScalarNode, str, str]]:
    """Each `uses:` of a step or job: (node, action as rules match it, ref)."""
    for node in _uses_nodes(obj):
        yield (node, *action_of(str(node.value)))


def unpinned_action(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """`owner/repo@ref` (step or reusable workflow) where ref is not a full commit SHA."""
    trusted: list[str] = list(ctx.params.get("trusted", []))
    for uses, action, ref in _uses(obj):
        value = str(uses.value)
        # `./x` and `$/x` (GitHub's self-repository form) run this repository's own commit
        if value.startswith(("./", "$/", "docker://")) or ("@" not in value and "/" not in value):
            continue
        if _trusted(action, trusted):
            continue
        if not ref:
            yield node_hit(uses, "no ref: the default branch at run time")
        elif not COMMIT_SHA.match(ref):
            yield node_hit(uses, f"`{ref}` can be moved to other code", ref=ref)


def unpinned_docker(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    for uses in _uses_nodes(obj):
        value = str(uses.value)
        if value.startswith("docker://") and "@sha256:" not in value:
            yield node_hit(uses, "image tag can be moved to another image")


# --------------------------------------------------------------------------- permissions


def missing_permissions(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    if y.get(obj.node, "permissions") is not None:
        return
    jobs = [j for _, j in y.items(y.get(obj.node, "jobs")) if isinstance(j, y.MappingNode)]
    if jobs and all(y.get(j, "permissions") is not None for j in jobs):
        return  # every job declares its own
    on = y.key_node(obj.node, "on") or y.key_node(obj.node, "true")
    if on is not None:
        yield node_hit(on, "no `permissions:` here: jobs get the repository's default token scopes")
    else:
        yield Hit(obj.span.start, obj.span.header_end, "no `permissions:`")


def write_all(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    node = y.get(obj.node, "permissions")
    if isinstance(node, y.ScalarNode) and str(node.value) == "write-all":
        yield node_hit(node, "every scope writable")


def workflow_write_scopes(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """Write scopes granted to every job at the top of a workflow with several jobs."""
    node = y.get(obj.node, "permissions")
    jobs = [j for _, j in y.items(y.get(obj.node, "jobs"))]
    if not isinstance(node, y.MappingNode) or len(jobs) < 2:
        return
    for key, value in y.items(node):
        if isinstance(value, y.ScalarNode) and str(value.value) == "write":
            yield node_hit(
                value, f"`{key.value}: write` for all {len(jobs)} jobs", scope=str(key.value)
            )


# --------------------------------------------------------------------------- credentials


def _job_steps(job: PipelineObject) -> list[y.Node]:
    steps = y.get(job.node, "steps")
    return list(steps.value) if isinstance(steps, y.SequenceNode) else []


def persisted_credentials(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """actions/checkout keeps the token in .git/config while the job uploads or runs untrusted code."""
    if obj.type != "actions/checkout":
        return
    persist = y.get(obj.get("with"), "persist-credentials")
    if (
        persist is not None
        and not truthy(y.to_python(persist))
        and str(persist.value).lower() == "false"
    ):
        return
    job = _job(obj)
    if job is None:
        return
    uploads = any(
        str(y.text(y.get(step, "uses")) or "").startswith("actions/upload-artifact")
        for step in _job_steps(job)
    )
    untrusted = bool(obj.document.triggers() & set(UNTRUSTED_TRIGGERS))
    if uploads or untrusted:
        reason = "the job uploads artifacts" if uploads else "the workflow runs on untrusted input"
        uses = obj.get("uses")
        assert uses is not None
        yield node_hit(uses, f"token stays in .git/config; {reason}")


def _runs_on_values(job: PipelineObject) -> list[y.ScalarNode]:
    node = job.get("runs-on")
    if isinstance(node, y.ScalarNode):
        return [node]
    if isinstance(node, y.SequenceNode):
        return [n for n in node.value if isinstance(n, y.ScalarNode)]
    labels = y.get(node, "labels")
    if isinstance(labels, y.ScalarNode):
        return [labels]
    if isinstance(labels, y.SequenceNode):
        return [n for n in labels.value if isinstance(n, y.ScalarNode)]
    return []


def self_hosted_on_pull_requests(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    if not obj.document.triggers() & set(PR_TRIGGERS):
        return
    for node in _runs_on_values(obj):
        if str(node.value) == "self-hosted":
            yield node_hit(node, "pull requests run on a persistent machine")


def retired_runner(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    retired: dict[str, str] = ctx.params.get("retired", {})
    for node in _runs_on_values(obj):
        label = str(node.value)
        if label in retired:
            yield node_hit(node, f"retired {retired[label]}", image=label, since=retired[label])


_MAJOR = re.compile(r"^v?(\d+)")


def version_comment(text: str, offset: int) -> re.Match[str] | None:
    """The version comment right after a `uses:` value ending at `offset`, on the same line:
    group 1 is the version as written (`v4.2.1`), group 2 its major number."""
    line_end = text.find("\n", offset)
    return _VERSION_COMMENT.match(text, offset, len(text) if line_end < 0 else line_end)


def _major(obj: PipelineObject, uses: y.Node, ref: str) -> int | None:
    """The major version a `uses:` runs: its tag's, or for a commit SHA its version comment's;
    None when it cannot be told."""
    if COMMIT_SHA.match(ref):
        comment = version_comment(obj.source.text, uses.end_mark.index)
        return int(comment.group(2)) if comment else None
    tag = _MAJOR.match(ref)
    return int(tag.group(1)) if tag else None


def retired_node_action(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """An action version that runs on a Node.js runtime GitHub has retired."""
    table: dict[str, int] = ctx.params.get("last_retired_major", {})
    for uses, action, ref in _uses(obj):
        major = _major(obj, uses, ref)
        if action in table and major is not None and major <= table[action]:
            yield node_hit(uses, f"v{major} runs on a retired Node.js runtime", action=action)


# --------------------------------------------------------------------------- commands and secrets

_DEPRECATED = re.compile(r"::(set-output|save-state|set-env|add-path)\b")


def deprecated_commands(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    run = obj.get("run")
    if isinstance(run, y.ScalarNode):
        for start, end, match in find_all(obj, run, _DEPRECATED):
            yield Hit(
                start,
                end,
                f"`::{match.group(1)}` is disabled on current runners",
                {"command": match.group(1)},
            )


def unsecure_commands(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    env = obj.get("env")
    value = y.get(env, "ACTIONS_ALLOW_UNSECURE_COMMANDS")
    if value is not None and truthy(y.to_python(value)):
        yield node_hit(value, "re-enables `set-env` and `add-path`")


_SECRET_EXPR = r"\$\{\{\s*secrets\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}"
_ECHOED = re.compile(r"\b(echo|printf|print)\b[^\n|;&]*?" + _SECRET_EXPR)
_ANY_SECRET = re.compile(_SECRET_EXPR)


def secret_in_run(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """`${{ secrets.X }}` written into a script: echoed (mode echo), or anywhere (mode argument)."""
    run = obj.get("run")
    if not isinstance(run, y.ScalarNode):
        return
    echoed = [(s, e) for s, e, _ in find_all(obj, run, _ECHOED)]
    if ctx.params.get("mode") == "echo":
        for start, end in echoed:
            yield Hit(start, end, "printed to the log")
        return
    for start, end, _ in find_all(obj, run, _ANY_SECRET):
        if not any(s <= start < e for s, e in echoed):
            yield Hit(start, end, "expanded into the command line")


# --------------------------------------------------------------------------- reliability and cost


def pull_request_concurrency(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    if not obj.document.triggers() & set(PR_TRIGGERS):
        return
    concurrency = y.get(obj.node, "concurrency")
    if concurrency is not None:
        cancel = y.get(concurrency, "cancel-in-progress")
        if cancel is not None and (
            truthy(y.to_python(cancel)) or "${{" in str(getattr(cancel, "value", ""))
        ):
            return
        yield node_hit(concurrency, "superseded runs are not cancelled")
        return
    on = y.key_node(obj.node, "on") or y.key_node(obj.node, "true")
    where = on if on is not None else obj.node
    yield node_hit(where, "no `concurrency:` group")


def setup_without_cache(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """setup-python/-node/-java without `cache:`; setup-go before v4 (v4+ caches by default)."""
    uses = obj.get("uses")
    if not isinstance(uses, y.ScalarNode) or is_release_workflow(obj):
        return  # a release should build from scratch (GHA-026)
    action, ref = action_of(str(uses.value))
    with_node = obj.get("with")
    cache = y.get(with_node, "cache")
    if action == "actions/setup-go":
        major = _major(obj, uses, ref)
        if cache is None and major is not None and major < 4:
            yield node_hit(uses, "setup-go before v4 does not cache modules")
        return
    if (
        action in ("actions/setup-python", "actions/setup-node", "actions/setup-java")
        and cache is None
    ):
        if action == "actions/setup-node" and y.get(with_node, "package-manager-cache") is not None:
            return
        yield node_hit(uses, "dependencies are downloaded again on every run")


_CRITICAL = re.compile(
    r"(?i)test|check|lint|security|scan|codeql|audit|sast|trivy|snyk|semgrep|zizmor"
)


def continue_on_error_critical(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    node = obj.get("continue-on-error")
    if node is None or not truthy(y.to_python(node)):
        return
    names = [obj.name, y.text(obj.get("name")) or "", y.text(obj.get("uses")) or ""]
    if obj.kind == "step" and obj.parent is not None:
        names.append(obj.parent.name)
    if any(_CRITICAL.search(n) for n in names):
        yield node_hit(node, "a failing check is reported as a success")


# --------------------------------------------------------------------------- identity and publishing

# `github.actor == 'dependabot[bot]'` (either side): whoever acted last, not who wrote the change
_BOT_CHECK = re.compile(
    r"(?P<left>\bgithub\.(?:triggering_actor|actor|event\.sender\.login)\b)\s*==\s*'[^']*\[bot\]'"
    r"|'[^']*\[bot\]'\s*==\s*(?P<right>\bgithub\.(?:triggering_actor|actor|event\.sender\.login)\b)"
)


def spoofable_bot_condition(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """An `if:` that trusts a bot by the last actor, on triggers an outsider can act on."""
    condition = obj.get("if")
    if not isinstance(condition, y.ScalarNode):
        return
    triggers = obj.document.triggers()
    risky = triggers & set(ctx.params.get("triggers", ()))
    if not risky:
        return
    values = {"trigger": min(risky)}
    # Only where every trigger is a pull request does the author's login exist on every run.
    if triggers <= set(PR_TRIGGERS):
        values["author"] = "github.event.pull_request.user.login"
    for start, _, match in find_all(obj, condition, _BOT_CHECK):
        group = "left" if match.group("left") else "right"
        at = start - match.start() + match.start(group)
        yield Hit(at, at + len(match.group(group)), "the last actor, not the author", dict(values))


# a stored secret in an expression, not the run's own short-lived token (names ignore case)
_STORED_SECRET = re.compile(r"\$\{\{[^}]*?\bsecrets\.(?!(?i:github_token)\b)[A-Za-z_]\w*")


def _env_value(obj: PipelineObject | None, name: str) -> y.Node | None:
    """The node that sets an environment variable for a step: its own env, its job's, the
    workflow's (the nearest wins, as on the runner)."""
    while obj is not None:
        value = y.get(obj.get("env"), name)
        if value is not None:
            return value
        obj = obj.parent
    return None


def _steps(job: PipelineObject) -> list[y.Node]:
    steps = job.get("steps")
    return list(steps.value) if isinstance(steps, y.SequenceNode) else []


def _from_secret(obj: PipelineObject, node: y.Node | None) -> bool:
    return isinstance(node, y.ScalarNode) and bool(_STORED_SECRET.search(raw(obj, node)[1]))


def _public_index(text: str, hosts: list[str]) -> bool:
    return any(host in text for host in hosts)


def _elsewhere(obj: PipelineObject, tool: dict[str, Any], line: str, hosts: list[str]) -> bool:
    """Whether a publish command is pointed at an index other than the public one: by a flag on
    its command line, a variable of its environment, or (npm) the job's setup-node registry."""
    if any(re.search(str(f), line) for f in tool.get("index_flags", ())):
        return not _public_index(line, hosts)
    for name in tool.get("index_env", ()):
        value = _env_value(obj, str(name))
        if value is not None:
            return not _public_index(raw(obj, value)[1], hosts)
    job = _job(obj)
    steps = _steps(job) if job is not None else []
    for action, name in tool.get("index_setup", {}).items():
        for step in steps:
            if action_of(y.text(y.get(step, "uses")) or "")[0] == action:
                registry = y.text(y.get(y.get(step, "with"), str(name)))
                if registry is not None and not _public_index(registry, hosts):
                    return True
    return False


def publish_with_token(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """A package published to a public index with a stored token, where the index accepts the
    workflow's own OIDC identity (trusted publishing) instead."""
    hosts = [str(h) for h in ctx.params.get("public_indexes", ())]
    if obj.get("uses") is not None:
        spec = ctx.params.get("actions", {}).get(obj.type)
        if spec is None:
            return
        with_node = obj.get("with")
        for name in spec.get("index_inputs", ()):
            index = y.text(y.get(with_node, str(name)))
            if index is not None and not _public_index(index, hosts):
                return  # a private index: it may have no trusted publishing
        for name in spec.get("token_inputs", ()):
            value = y.get(with_node, str(name))
            if value is not None and _from_secret(obj, value):
                how = f"`{name}` from a stored secret, for {spec['registry']}"
                yield node_hit(value, "a long-lived token", how=how)
        return
    run = obj.get("run")
    if not isinstance(run, y.ScalarNode):
        return
    start, script = raw(obj, run)
    for tool, match, line in tool_commands(script, ctx.params.get("commands", ())):
        if _elsewhere(obj, tool, line, hosts):
            continue  # published to a private index: it may have no trusted publishing
        token = _STORED_SECRET.search(line)
        names = [n for n in tool.get("env", ()) if _from_secret(obj, _env_value(obj, str(n)))]
        if token is None and not names:
            continue
        how = f"`{names[0]}`" if token is None else "a token on the command line"
        how += f" from a stored secret, for {tool['registry']}"
        own = y.get(obj.get("env"), names[0]) if names else None
        if own is not None and token is None:
            yield node_hit(own, "a long-lived token", how=how)
        else:
            yield Hit(start + match.start(), start + match.end(), "", {"how": how})


# --------------------------------------------------------------------------- caches


def is_release_workflow(obj: PipelineObject) -> bool:
    """Triggered to publish: by a release, or by pushing a tag."""
    root = obj.document.root
    triggers = obj.document.triggers()
    if "release" in triggers:
        return True
    on = y.get(root, "on") or y.get(root, "true")
    push = y.get(on, "push") if isinstance(on, y.MappingNode) else None
    return y.get(push, "tags") is not None


_RUN_CONDITION = re.compile(r"\bgithub\.(ref|ref_type|ref_name|event_name)\b")


def _caches(obj: PipelineObject, uses: y.ScalarNode, spec: dict[str, Any]) -> bool:
    """Whether a cache-aware action restores a cache here, by its inputs and its defaults."""
    with_node = obj.get("with")
    for name in spec.get("enabled_by") or ():  # opt-in inputs: any value but false turns caching on
        given = y.get(with_node, str(name))
        if given is None:
            return False
        if "${{" in raw(obj, given)[1]:
            return False  # decided at run time: the author made it conditional
        if str(y.to_python(given)).strip().lower() in ("", "false", "none"):
            return False
    for name, value in (spec.get("disabled_by") or {}).items():
        given = y.get(with_node, str(name))
        if given is not None:
            if "${{" in raw(obj, given)[1]:
                return False
            if str(y.to_python(given)).lower() == str(value).lower():
                return False
    since = spec.get("since")
    if since is not None:
        major = _major(obj, uses, action_of(str(uses.value))[1])
        if major is None or major < int(since):
            return False
    return True


def cache_in_release(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """A release workflow that restores a cache: a cache written by any workflow of the
    repository flows into what is published."""
    uses = obj.get("uses")
    if not isinstance(uses, y.ScalarNode) or not is_release_workflow(obj):
        return
    spec = ctx.params.get("actions", {}).get(obj.type)
    if spec is None:
        return
    condition = y.text(obj.get("if"))
    if condition is not None and _RUN_CONDITION.search(condition):
        return  # run only for some refs or events: the author chose when it restores
    if _caches(obj, uses, spec):
        yield node_hit(uses, "restores a cache into a release")


# --------------------------------------------------------------------------- environment files

# `>> $GITHUB_ENV`, `>> "${GITHUB_PATH}"`, `tee -a $GITHUB_ENV`, PowerShell's `$env:GITHUB_ENV`
_ENV_FILE_WRITE = re.compile(
    r"(?:>>?|\btee\b(?:\s+-a|\s+--append)?|\b(?:Out-File|Add-Content|Set-Content)\b[^\n;|]*?)"
    r"\s*[\"']?\$(?:\{(GITHUB_ENV|GITHUB_PATH)\}|(GITHUB_ENV|GITHUB_PATH)\b|env:(GITHUB_ENV|GITHUB_PATH)\b)",
    re.IGNORECASE,
)


def _writes_a_literal(script: str, start: int, end: int) -> bool:
    """Whether the line that writes the file writes only text typed into the script: nothing
    expanded (`$`, a backquote) and nothing read from a here-document or a file."""
    line_start = script.rfind("\n", 0, start) + 1
    line_end = script.find("\n", end)
    line = script[line_start : line_end if line_end != -1 else len(script)]
    rest = script[end : line_end if line_end != -1 else len(script)]
    return "<" not in rest and not re.search(r"[$`]", line.replace(script[start:end], ""))


def env_file_on_untrusted_trigger(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """A script that writes GITHUB_ENV or GITHUB_PATH in a workflow that runs for outsiders with
    the repository's privileges: what it writes decides what every later step executes."""
    triggers = obj.document.triggers() & set(ctx.params.get("triggers", ()))
    if not triggers:
        return
    run = obj.get("run")
    if not isinstance(run, y.ScalarNode):
        return
    offset, script = raw(obj, run)
    for start, end, match in find_all(obj, run, _ENV_FILE_WRITE):
        if _writes_a_literal(script, start - offset, end - offset):
            continue
        name = next(group for group in match.groups() if group)
        yield Hit(
            start, end, f"writes {name.upper()}", {"file": name.upper(), "trigger": min(triggers)}
        )


# --------------------------------------------------------------------------- conditions

_FENCE = re.compile(r"\$\{\{.*?\}\}", re.DOTALL)


def always_true_condition(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """An `if:` the runner reads as a non-empty string, so always true: a fenced expression with
    text around it, such as the newline a `|` block keeps, or two fences joined by `&&`."""
    condition = obj.get("if")
    if not isinstance(condition, y.ScalarNode) or "${{" not in str(condition.value):
        return
    value = str(condition.value)
    fences = list(_FENCE.finditer(value))
    if len(fences) == 1 and fences[0].group(0) == value:
        return  # exactly one expression: evaluated as written
    outside = _FENCE.sub("", value)
    if len(fences) == 1 and condition.style in ("|", ">") and outside.strip() == "":
        # only the block's final newline is outside: keep the block, strip the newline
        start, text = raw(obj, condition)
        header = text.split("\n", 1)[0].rstrip()
        fixed = header[0] + "-" + "".join(c for c in header[1:] if c.isdigit())
        yield Hit(start, start + len(header), "keeps its final newline", {"header": fixed})
        return
    yield node_hit(condition, "text outside `${{ }}` makes a non-empty string")


# --------------------------------------------------------------------------- credentials


def container_credentials(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """A registry password written into the workflow for a job's container or services."""
    places = [obj.get("container")]
    places += [value for _, value in y.items(obj.get("services"))]
    for place in places:
        password = y.get(y.get(place, "credentials"), "password")
        if not isinstance(password, y.ScalarNode) or "${{" in str(password.value):
            continue
        if not str(password.value).strip():
            continue
        hit = node_hit(password, "a registry password in the repository")
        yield Hit(hit.start, hit.end, hit.label, hit.values, ((hit.start, hit.end),))


# --------------------------------------------------------------------------- local actions


def workspace_action(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """A step that runs `./path`: the action is read from the workspace when the step starts,
    so a previous step that checked out or wrote other code there decides what runs."""
    uses = obj.get("uses")
    if not isinstance(uses, y.ScalarNode) or not str(uses.value).startswith("./"):
        return
    value = str(uses.value)
    yield node_hit(uses, "read from the workspace at run time", pinned="$/" + value[2:])


# `contains('main develop', github.ref)`: a string searched for a value, not a list of values
_CONTAINS_IN_STRING = re.compile(
    r"\bcontains\(\s*(?P<haystack>'(?:[^']|'')*')\s*,\s*(?P<needle>[A-Za-z_][\w.\-\[\]*]*)\s*\)",
    re.IGNORECASE,
)


def substring_condition(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """An `if:` that asks whether a context is one of several values by searching a string for
    it, so any substring of the listed values passes too."""
    condition = obj.get("if")
    if not isinstance(condition, y.ScalarNode):
        return
    for start, _, match in find_all(obj, condition, _CONTAINS_IN_STRING):
        haystack = match.group("haystack")
        at = start - match.start() + match.start("haystack")
        values = {"needle": match.group("needle")}
        items = [v for v in re.split(r"[\s,]+", haystack[1:-1]) if v]
        if items and "'" not in haystack[1:-1] and '"' not in haystack:
            listed = ", ".join(f'"{item}"' for item in items)
            values["as_list"] = f"fromJSON('[{listed}]')"
        yield Hit(at, at + len(haystack), "a string, not a list", values)


def obfuscated_uses(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    for uses in _uses_nodes(obj):
        value = str(uses.value)
        plain = plain_uses(value)
        if plain != value:
            yield node_hit(uses, "another spelling of the same action", plain=plain)


def archived_action(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """An action (or reusable workflow) whose repository is archived: read-only, no fixes."""
    archived: dict[str, str] = ctx.params.get("archived", {})  # keys in lower case
    for uses, action, _ in _uses(obj):
        repository = "/".join(action.split("/")[:2])
        if repository not in archived:
            continue
        successor = str(archived[repository] or "")
        instead = f" Use {successor} instead." if successor else ""
        yield node_hit(uses, "archived", repository=repository, instead=instead)


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether `b` is `a` with one character left out, added or changed, or two neighbours
    swapped."""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, z) in enumerate(zip(a, b, strict=True)) if x != z]
        if len(diff) != 2:
            return len(diff) == 1
        first, second = diff
        return second == first + 1 and a[first] == b[second] and a[second] == b[first]
    if abs(len(a) - len(b)) != 1:
        return False
    short, long = sorted((a, b), key=len)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


@cache
def _typo_of(slug: str, popular: tuple[str, ...]) -> str | None:
    """The popular action `slug` is one typo away from under another owner, if any (asked once
    per distinct name: workflows repeat the same few actions)."""
    if slug in (p.lower() for p in popular):
        return None
    owner = slug.partition("/")[0]
    for known in popular:
        lowered = known.lower()
        if owner != lowered.partition("/")[0] and _one_edit_apart(lowered, slug):
            return known
    return None


def typosquatted_action(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """`owner/repo` one typo away from a popular action, under another owner."""
    popular = tuple(ctx.params.get("popular", ()))
    for uses, action, _ in _uses(obj):
        if action.startswith(("./", "$/", "docker://")):
            continue
        intended = _typo_of("/".join(action.split("/")[:2]), popular)
        if intended is not None:
            yield node_hit(uses, f"one typo from {intended}", intended=intended)


# --------------------------------------------------------------------------- tools and tokens

_VERSION_INPUT = re.compile(r"(?:^|[-_])version$", re.IGNORECASE)


def latest_tool(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """A setup action told to fetch the `latest` tool, or left to its default of latest."""
    uses = obj.get("uses")
    if not isinstance(uses, y.ScalarNode):
        return
    with_node = obj.get("with")
    for key, value in y.items(with_node):
        text = y.text(value)
        if _VERSION_INPUT.search(str(key.value)) and text and text.strip().lower() == "latest":
            yield node_hit(value, "whatever was released last", input=str(key.value))
    defaults: dict[str, str] = ctx.params.get("default_latest", {})  # keys in lower case
    name = defaults.get(obj.type)
    if name is not None and y.get(with_node, name) is None:
        yield node_hit(uses, f"no `{name}`: the latest release", input=name)


def broad_app_token(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """A GitHub App installation token asked for with more reach or life than a step needs."""
    uses = obj.get("uses")
    if not isinstance(uses, y.ScalarNode):
        return
    if obj.type not in ctx.params.get("actions", ()):
        return
    with_node = obj.get("with")
    revoke = y.get(with_node, "skip-token-revoke")
    if revoke is not None and (
        truthy(y.to_python(revoke)) or "${{" in str(getattr(revoke, "value", ""))
    ):
        yield node_hit(
            revoke, "the token may outlive the job", reach="is not revoked when the job ends"
        )
    permissions = [
        str(k.value).removeprefix("permission-")
        for k, _ in y.items(with_node)
        if str(k.value).startswith("permission-")
    ]
    organization = {str(p) for p in ctx.params.get("organization_permissions", ())}
    only_organization = bool(permissions) and all(
        p in organization or p.startswith("organization-") for p in permissions
    )
    owner = y.key_node(with_node, "owner")
    if owner is not None and y.get(with_node, "repositories") is None and not only_organization:
        yield node_hit(
            owner, "every repository of the owner", reach="reaches every repository of the owner"
        )
    if not permissions:
        yield node_hit(
            uses, "every permission of the app", reach="carries every permission the app has"
        )
