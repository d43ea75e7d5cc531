"""GitHub Actions workflows and actions, and GitLab CI pipelines, as rule objects.

A document is read once as YAML nodes (see yamlsafe). Rules look at objects: a GitHub workflow,
each of its jobs and steps, an action (and its composite steps), a GitLab pipeline and each of its
jobs. Each object knows its mapping node, so findings point at the exact key or value.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from copilot.parse import yamlsafe as y
from copilot.parse.source import SourceError, SourceFile
from copilot.parse.terraform import Match

GITHUB_WORKFLOW = "github-workflow"
GITHUB_ACTION = "github-action"
GITLAB_CI = "gitlab-ci"
FAMILIES = (GITHUB_WORKFLOW, GITHUB_ACTION, GITLAB_CI)

GITLAB_RESERVED = frozenset(
    {
        "default",
        "include",
        "stages",
        "variables",
        "workflow",
        "image",
        "services",
        "cache",
        "before_script",
        "after_script",
        "types",
        "spec",
    }
)
# Keywords a GitLab job inherits from `default:` (and, deprecated, from the top level).
_TOP_LEVEL_GLOBALS = frozenset({"image", "services", "cache", "before_script", "after_script"})
GITLAB_DEFAULTABLE = frozenset(
    {
        "after_script",
        "artifacts",
        "before_script",
        "cache",
        "hooks",
        "id_tokens",
        "image",
        "interruptible",
        "retry",
        "services",
        "tags",
        "timeout",
    }
)


def family_of(path: str, root: y.Node | None = None) -> str | None:
    """Which kind of pipeline file `path` is, from its name, or from its content if given."""
    posix = PurePosixPath(path.replace("\\", "/"))
    name = posix.name
    if name in ("action.yml", "action.yaml"):
        return GITHUB_ACTION
    parts = posix.parts
    if (
        posix.suffix in (".yml", ".yaml")
        and len(parts) >= 3
        and parts[-3:-1] == (".github", "workflows")
    ):
        return GITHUB_WORKFLOW
    if name in (".gitlab-ci.yml", ".gitlab-ci.yaml"):
        return GITLAB_CI
    if root is None or not isinstance(root, y.MappingNode):
        return None
    keys = {k.value for k, _ in y.items(root)}
    if "jobs" in keys and ("on" in keys or "true" in keys):
        return GITHUB_WORKFLOW
    if "runs" in keys and ("name" in keys or "description" in keys):
        return GITHUB_ACTION
    if keys & {"stages", "include", "workflow"} or any(
        isinstance(v, y.MappingNode)
        and ({"script", "trigger", "extends"} & {k.value for k, _ in y.items(v)})
        for _, v in y.items(root)
    ):
        return GITLAB_CI
    return None


@dataclass(frozen=True)
class Span:
    """Where an object is written: `start`-`header_end` is its key, `end` the end of its value."""

    start: int
    end: int
    header_end: int
    type: str = ""


@dataclass
class Document:
    family: str
    source: SourceFile
    root: y.Node
    pipeline: GitlabPipeline | None = None
    _triggers: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)

    def triggers(self) -> frozenset[str]:
        """Event names of a workflow's `on:` (a string, a list or a mapping); read once, as
        many rules ask for every step."""
        if self._triggers is None:
            on = y.get(self.root, "on") or y.get(self.root, "true")
            if isinstance(on, y.ScalarNode):
                names = {str(on.value)}
            elif isinstance(on, y.SequenceNode):
                names = {str(v.value) for v in on.value if isinstance(v, y.ScalarNode)}
            else:
                names = {str(k.value) for k, _ in y.items(on)}
            self._triggers = frozenset(names)
        return self._triggers


@dataclass
class GitlabPipeline:
    """What GitLab merges across a pipeline's files: templates for `extends`, and `default`."""

    documents: list[Document] = field(default_factory=list)
    _owner: dict[int, Document] = field(default_factory=dict, repr=False)

    def document_of(self, node: y.Node) -> Document | None:
        """The file a node was read from (templates and defaults may come from includes)."""
        if not self._owner:
            for document in self.documents:
                stack = [document.root]
                while stack:
                    current = stack.pop()
                    if id(current) in self._owner:
                        continue
                    self._owner[id(current)] = document
                    if isinstance(current, y.MappingNode):
                        for key, value in current.value:
                            stack.extend((key, value))
                    elif isinstance(current, y.SequenceNode):
                        stack.extend(current.value)
        return self._owner.get(id(node))

    def job_nodes(self) -> dict[str, y.Node]:
        out: dict[str, y.Node] = {}
        for document in self.documents:
            for key, value in y.items(document.root):
                out.setdefault(str(key.value), value)
        return out

    def default(self) -> y.Node | None:
        for document in self.documents:
            node = y.get(document.root, "default")
            if node is not None:
                return node
        return None

    def top(self, key: str) -> y.Node | None:
        for document in self.documents:
            node = y.get(document.root, key)
            if node is not None:
                return node
        return None

    def templates_of(self, job: y.Node) -> list[y.Node]:
        """The jobs or templates `job` extends, the one whose keys win first (the last named)."""
        extends = y.get(job, "extends")
        if isinstance(extends, y.ScalarNode):
            names: list[y.Node] = [extends]
        elif isinstance(extends, y.SequenceNode):
            names = list(extends.value)
        else:
            names = []
        templates = self.job_nodes()
        found = (templates.get(str(getattr(name, "value", ""))) for name in reversed(names))
        return [template for template in found if template is not None]

    def resolve_path(self, job: y.Node, path: list[str], depth: int = 0) -> y.Node | None:
        """A nested key the way `extends` deep-merges mappings: the job's own
        `artifacts.expire_in`, else the one in the templates it extends."""
        node: y.Node | None = job
        for segment in path:
            node = y.get(node, segment)
            if node is None:
                break
        if node is not None or depth > 10:
            return node
        for template in self.templates_of(job):
            found = self.resolve_path(template, path, depth + 1)
            if found is not None:
                return found
        if depth == 0 and y.get(job, path[0]) is None and path[0] in GITLAB_DEFAULTABLE:
            return self.resolve_path_in(self.default(), path)
        return None

    @staticmethod
    def resolve_path_in(node: y.Node | None, path: list[str]) -> y.Node | None:
        for segment in path:
            node = y.get(node, segment)
        return node

    def resolve(self, job: y.Node, key: str) -> y.Node | None:
        found = self.resolve_item(job, key)
        return found[1] if found else None

    def resolve_item(self, job: y.Node, key: str, depth: int = 0) -> tuple[y.Node, y.Node] | None:
        """(key node, value node) of a job's `key`: its own, else from what it `extends`
        (the last template wins, as in GitLab), else from `default:` or the old top level."""
        own = _item(job, key)
        if own is not None or depth > 10:
            return own
        for template in self.templates_of(job):
            found = self.resolve_item(template, key, depth + 1)
            if found is not None:
                return found
        if depth > 0 or key not in GITLAB_DEFAULTABLE:
            return None
        from_default = _item(self.default(), key)
        if from_default is not None or key not in _TOP_LEVEL_GLOBALS:
            return from_default
        for document in self.documents:
            found = _item(document.root, key)
            if found is not None:
                return found
        return None


def _item(node: y.Node | None, key: str) -> tuple[y.Node, y.Node] | None:
    return y.pair(node, key)


@dataclass(frozen=True)
class PipelineObject:
    family: str
    kind: str  # workflow | job | step | action | pipeline
    type: str  # step: the action it uses (without ref) or "run"; job: its id
    name: str
    node: y.Node
    document: Document
    address: str
    span: Span
    parent: PipelineObject | None = None

    @property
    def source(self) -> SourceFile:
        return self.document.source

    @property
    def block(self) -> Span:
        return self.span

    def exists(self) -> bool:
        return True

    def get(self, key: str) -> y.Node | None:
        item = self.get_item(key) if self.family == GITLAB_CI else y.pair(self.node, key)
        return item[1] if item else None

    def get_item(self, key: str) -> tuple[y.Node, y.Node] | None:
        """(key node, value node), following GitLab's `extends` and `default:` for jobs."""
        if self.family == GITLAB_CI and self.kind == "job" and self.document.pipeline is not None:
            return self.document.pipeline.resolve_item(self.node, key)
        return _item(self.node, key)

    def get_path(self, dotted: str) -> y.Node | None:
        """A nested key; for GitLab jobs, merged through `extends` as GitLab merges mappings."""
        path = dotted.split(".")
        if self.family == GITLAB_CI and self.kind == "job" and self.document.pipeline is not None:
            return self.document.pipeline.resolve_path(self.node, path)
        return GitlabPipeline.resolve_path_in(self.node, path)

    def source_of(self, node: y.Node) -> SourceFile:
        pipeline = self.document.pipeline
        owner = pipeline.document_of(node) if pipeline is not None else None
        return owner.source if owner is not None else self.document.source

    def value(self, key: str, default: Any = None) -> Any:
        node = self.get(key)
        return default if node is None else y.to_python(node)

    def lookup(self, path: str) -> list[Match]:
        segments = path.split(".")
        first = self.get(segments[0])
        if first is None:
            return []
        return _descend(first, segments[1:])

    def missing_anchor(self, path: str) -> Span:
        """The innermost existing mapping on `path`: a missing key belongs there."""
        node: y.Node | None = self.node
        anchor = self.span
        for segment in path.split(".")[:-1]:
            key = y.key_node(node, segment)
            child = y.get(node, segment)
            if key is None or not isinstance(child, y.MappingNode):
                break
            anchor = Span(key.start_mark.index, child.end_mark.index, key.end_mark.index, segment)
            node = child
        return anchor


def _descend(node: y.Node, path: list[str]) -> list[Match]:
    if not path:
        return [Match(y.to_python(node), node.start_mark.index, node.end_mark.index)]
    if isinstance(node, y.SequenceNode):
        return [m for item in node.value for m in _descend(item, path)]
    child = y.get(node, path[0])
    return [] if child is None else _descend(child, path[1:])


def _span_of(key: y.Node | None, value: y.Node) -> Span:
    if key is None:
        return Span(value.start_mark.index, value.end_mark.index, value.start_mark.index)
    return Span(key.start_mark.index, value.end_mark.index, key.end_mark.index)


def plain_uses(value: str) -> str:
    """`owner/repo/path@ref` with its path written plainly: no empty, `.` or `..` segments and no
    trailing slash. GitHub resolves the other spellings to the same action, but a reader (and a
    scanner matching names) does not. Local (`./`, `$/`) and `docker://` values are kept."""
    target, at, ref = value.partition("@")
    if target.startswith(("./", "$/", "docker://")) or not at:
        return value
    owner, _, rest = target.partition("/")
    repo, _, path = rest.partition("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join([owner, repo, *parts]) + "@" + ref


def action_of(value: str) -> tuple[str, str]:
    """(action, ref) of a `uses:` value, the action as every rule matches it: its plain path,
    with owner and repository in lower case, as GitHub reads them."""
    target, _, ref = plain_uses(value).partition("@")
    if target.startswith(("./", "$/", "docker://")):
        return target, ref
    owner, slash, rest = target.partition("/")
    repo, slash2, path = rest.partition("/")
    return f"{owner.lower()}{slash}{repo.lower()}{slash2}{path}", ref


def _step_label(step: y.Node, index: int) -> tuple[str, str]:
    """(type, label) of a step: type is the action (see `action_of`) or "run"."""
    uses = y.text(y.get(step, "uses"))
    type_ = action_of(uses)[0] if uses else "run"
    label = y.text(y.get(step, "id")) or y.text(y.get(step, "name")) or uses or f"#{index + 1}"
    return type_, label


def _steps(
    document: Document, job: PipelineObject, steps_node: y.Node | None, prefix: str
) -> Iterator[PipelineObject]:
    if not isinstance(steps_node, y.SequenceNode):
        return
    for index, step in enumerate(steps_node.value):
        if not isinstance(step, y.MappingNode):
            continue
        type_, label = _step_label(step, index)
        yield PipelineObject(
            job.family,
            "step",
            type_,
            label,
            step,
            document,
            f"{prefix}.steps[{label}]",
            Span(
                step.start_mark.index, step.end_mark.index, _first_line_end(document.source, step)
            ),
            job,
        )


def _first_line_end(source: SourceFile, node: y.Node) -> int:
    start = node.start_mark.index
    newline = source.text.find("\n", start, node.end_mark.index)
    return newline if newline != -1 else node.end_mark.index


def objects_of(document: Document) -> Iterator[PipelineObject]:
    root = document.root
    whole = Span(0, len(document.source.text), _first_line_end(document.source, root))
    if document.family == GITHUB_WORKFLOW:
        workflow = PipelineObject(
            GITHUB_WORKFLOW, "workflow", "workflow", "workflow", root, document, "workflow", whole
        )
        yield workflow
        for key, job in y.items(y.get(root, "jobs")):
            if not isinstance(job, y.MappingNode):
                continue
            job_id = str(key.value)
            job_obj = PipelineObject(
                GITHUB_WORKFLOW,
                "job",
                job_id,
                job_id,
                job,
                document,
                f"jobs.{job_id}",
                _span_of(key, job),
                workflow,
            )
            yield job_obj
            yield from _steps(document, job_obj, y.get(job, "steps"), f"jobs.{job_id}")
    elif document.family == GITHUB_ACTION:
        action = PipelineObject(
            GITHUB_ACTION, "action", "action", "action", root, document, "action", whole
        )
        yield action
        runs = y.get(root, "runs")
        yield from _steps(document, action, y.get(runs, "steps"), "runs")
    elif document.family == GITLAB_CI:
        yield PipelineObject(
            GITLAB_CI, "pipeline", "pipeline", "pipeline", root, document, "pipeline", whole
        )
        for key, job in y.items(root):
            name = str(key.value)
            if (
                name in GITLAB_RESERVED
                or name.startswith(".")
                or not isinstance(job, y.MappingNode)
            ):
                continue
            yield PipelineObject(
                GITLAB_CI, "job", name, name, job, document, f"jobs.{name}", _span_of(key, job)
            )


def load_document(source: SourceFile, family: str | None = None) -> Document | None:
    """Parse a pipeline file; None when it is YAML of another kind. Raises SourceError."""
    root = y.compose_bounded(source)
    if root is None:
        return None
    family = family or family_of(source.path, root)
    if family is None:
        return None
    if not isinstance(root, y.MappingNode):
        kind = "a list" if isinstance(root, y.SequenceNode) else "a single value"
        raise SourceError(
            f"a {family} file must be a mapping at the top level, not {kind}",
            root.start_mark.line + 1,
            root.start_mark.column + 1,
        )
    return Document(family, source, root)


def gitlab_includes(root: y.Node) -> list[y.Node]:
    """The entries of a GitLab pipeline's `include:` (one, or a list): strings or mappings."""
    include = y.get(root, "include")
    if isinstance(include, y.SequenceNode):
        return list(include.value)
    return [include] if include is not None else []


def gitlab_local_includes(document: Document) -> list[str]:
    """Local files a GitLab pipeline includes (`include: path`, `- local: path`)."""
    found: list[str] = []
    for entry in gitlab_includes(document.root):
        if isinstance(entry, y.ScalarNode):
            value = str(entry.value)
            if not value.startswith(("http://", "https://")):
                found.append(value)
        elif isinstance(entry, y.MappingNode):
            local = y.text(y.get(entry, "local"))
            if local:
                found.append(local)
    return found
