"""Checks for GitLab CI pipelines."""

from __future__ import annotations

import re
from collections.abc import Iterator

from copilot.parse import yamlsafe as y
from copilot.parse.pipeline import PipelineObject, gitlab_includes
from copilot.rules.checks.base import COMMIT_SHA, CheckContext, Hit
from copilot.rules.checks.pipeline_common import scripts, truthy


def node_hit(obj: PipelineObject, node: y.Node, label: str = "", **values: str) -> Hit:
    """A hit on a node, in whichever file of the pipeline it was read from."""
    source = obj.source_of(node)
    return Hit(
        node.start_mark.index,
        node.end_mark.index,
        label,
        dict(values),
        source=None if source is obj.source else source,
    )


def only_except(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """`only:`/`except:` on the job or in a template it extends (reported where written)."""
    for key in ("only", "except"):
        item = obj.get_item(key)
        if item is not None:
            yield node_hit(obj, item[0], f"`{key}:` is superseded by `rules:`", keyword=key)


def _images(obj: PipelineObject) -> Iterator[y.ScalarNode]:
    image = obj.get("image")
    name = y.get(image, "name") if isinstance(image, y.MappingNode) else image
    if isinstance(name, y.ScalarNode):
        yield name
    services = obj.get("services")
    for service in services.value if isinstance(services, y.SequenceNode) else []:
        node = y.get(service, "name") if isinstance(service, y.MappingNode) else service
        if isinstance(node, y.ScalarNode):
            yield node


def image_unpinned(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    for node in _images(obj):
        image = str(node.value)
        if "$" in image or "@sha256:" in image:
            continue
        last = image.rsplit("/", 1)[-1]
        if ":" not in last:
            yield node_hit(obj, node, "no tag: whatever `latest` is at run time", image=image)
        elif last.endswith(":latest"):
            yield node_hit(obj, node, "`latest` moves", image=image)


_MR = re.compile(r"merge_request_event|merge_requests")


def _merge_request_pipelines(obj: PipelineObject) -> bool:
    pipeline = obj.document.pipeline
    documents = pipeline.documents if pipeline else [obj.document]
    for document in documents:
        workflow = y.get(document.root, "workflow")
        if workflow is not None and _MR.search(
            document.source.text[workflow.start_mark.index : workflow.end_mark.index]
        ):
            return True
    for key in ("rules", "only"):
        node = obj.get(key)
        if node is not None and _MR.search(
            obj.source.text[node.start_mark.index : node.end_mark.index]
        ):
            return True
    return False


def not_interruptible(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """On merge-request pipelines, a job that a newer push cannot cancel (deploys excepted)."""
    if obj.get("environment") is not None or str(y.text(obj.get("stage")) or "") in (
        "deploy",
        ".post",
    ):
        return
    if not _merge_request_pipelines(obj):
        return
    node = obj.get("interruptible")
    if node is not None and truthy(y.to_python(node)):
        return
    if node is not None and y.get(obj.node, "interruptible") is not None:
        yield node_hit(obj, node, "a newer push cannot cancel it")
    else:
        yield Hit(obj.span.start, obj.span.header_end, "no `interruptible: true`")


def artifacts_without_expiry(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    artifacts = obj.get("artifacts")
    if not isinstance(artifacts, y.MappingNode) or obj.get_path("artifacts.expire_in") is not None:
        return
    if y.get(artifacts, "reports") is not None and len(y.items(artifacts)) == 1:
        return  # reports only: GitLab keeps them with the pipeline
    if obj.get("pages") is not None or obj.name == "pages":
        return
    key = y.key_node(obj.node, "artifacts")
    target = key if key is not None else artifacts
    yield node_hit(obj, target, "kept until the instance default expires them, or forever")


_LONG = re.compile(
    r"(?i)\b(docker (build|buildx)|kaniko|mvn|gradle|npm (ci|install|test|run build)|yarn|pnpm|"
    r"pytest|tox|go test|cargo (build|test)|terraform (plan|apply)|make\b|bundle exec|dotnet (build|test))"
)


def long_job_without_timeout(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    if obj.get("timeout") is not None or obj.get("trigger") is not None:
        return
    for node in scripts(obj, ("script",)):
        if _LONG.search(str(node.value)):
            yield Hit(obj.span.start, obj.span.header_end, "builds or tests with no `timeout:`")
            return


_SECRET_NAME = re.compile(
    r"(?i)(password|passwd|secret|token|api_?key|private_?key|access_?key|credentials)"
)


def secret_variables(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    variables = y.get(obj.node, "variables")
    for key, value in y.items(variables):
        node = y.get(value, "value") if isinstance(value, y.MappingNode) else value
        if not isinstance(node, y.ScalarNode) or not _SECRET_NAME.search(str(key.value)):
            continue
        text = str(node.value)
        if len(text) < 4 or "$" in text:
            continue
        hit = node_hit(obj, node, "secret value in the repository", name=str(key.value))
        yield Hit(hit.start, hit.end, hit.label, hit.values, ((hit.start, hit.end),), hit.source)


_SECURITY = re.compile(
    r"(?i)sast|secret[_-]?detection|dependency[_-]?scanning|container[_-]?scanning|dast|"
    r"security|trivy|grype|snyk|semgrep|gitleaks|checkov|devops-copilot|license[_-]?scanning"
)


def allow_failure_on_security(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    node = obj.get("allow_failure")
    if node is None or not truthy(y.to_python(node)):
        return
    extends = obj.value("extends") or []
    names = [obj.name, *(extends if isinstance(extends, list) else [extends])]
    if any(_SECURITY.search(str(n)) for n in names):
        yield node_hit(obj, node, "a failed security scan passes the pipeline")


# --------------------------------------------------------------------------- includes

_FULL_VERSION = re.compile(r"^v?\d+\.\d+\.\d+$")


def include_unpinned(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """A pipeline that includes configuration from outside the repository that can change
    without a commit here: another project at a branch, a URL, a component at `~latest`."""
    for entry in gitlab_includes(obj.node):
        if isinstance(entry, y.ScalarNode):
            url = str(entry.value)
            if url.startswith(("http://", "https://")):
                yield node_hit(obj, entry, "fetched on every run", how=f"`{url}`")
            continue
        if not isinstance(entry, y.MappingNode):
            continue
        remote = y.get(entry, "remote")
        if remote is not None and y.get(entry, "integrity") is None:
            how = f"`{y.text(remote)}` with no `integrity:` hash"
            yield node_hit(obj, remote, "fetched on every run, unchecked", how=how)
        project = y.get(entry, "project")
        if project is not None:
            ref = y.get(entry, "ref")
            if ref is None:
                how = f"`{y.text(project)}` at its default branch"
                yield node_hit(obj, project, "no `ref`: the default branch", how=how)
            elif not COMMIT_SHA.match(str(getattr(ref, "value", ""))):
                how = f"`{y.text(project)}` at `{y.text(ref)}`"
                yield node_hit(obj, ref, "a branch or tag can be moved", how=how)
        component = y.get(entry, "component")
        if isinstance(component, y.ScalarNode):
            _, at, version = str(component.value).rpartition("@")
            if not at or not (COMMIT_SHA.match(version) or _FULL_VERSION.match(version)):
                how = f"`{component.value}`"
                yield node_hit(obj, component, "resolves to a newer release", how=how)
