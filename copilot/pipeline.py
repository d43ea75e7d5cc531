"""The review pipeline: discover -> load -> rules -> findings (suppressions, baseline)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from copilot.config import Config
from copilot.findings.model import Finding, Location, Severity
from copilot.findings.suppress import apply_suppressions
from copilot.parse.discover import discover, display_path
from copilot.parse.pipeline import (
    GITLAB_CI,
    Document,
    GitlabPipeline,
    gitlab_local_includes,
    load_document,
)
from copilot.parse.pipeline import objects_of as pipeline_objects_of
from copilot.parse.source import SourceError, SourceFile
from copilot.parse.terraform import (
    LoadError,
    Overlay,
    Project,
    read_source,
    terraform_files,
)
from copilot.rules.engine import active_rules, load_error_finding, review_objects, review_project
from copilot.rules.model import Rule


@dataclass
class ReviewResult:
    findings: list[Finding]  # not suppressed, not baselined
    suppressed: list[Finding] = field(default_factory=list)
    baselined: int = 0
    files: int = 0
    sources: dict[str, SourceFile] = field(default_factory=dict)
    missing_paths: list[str] = field(default_factory=list)


def _load_pipelines(
    files: dict[Path, bool],
    errors: list[LoadError],
    overlay: Overlay | None = None,
    on_file: Callable[[str], None] | None = None,
) -> tuple[list[Document], dict[str, SourceFile]]:
    """Read each pipeline file once; a GitLab pipeline brings in its local includes."""
    documents: list[Document] = []
    sources: dict[str, SourceFile] = {}
    seen: set[Path] = set()

    def read(path: Path, family: str | None) -> Document | None:
        key = Path(os.path.abspath(path))
        if key in seen:
            return None
        seen.add(key)
        display = display_path(path)
        if on_file is not None:
            on_file(display)
        try:
            source = read_source(path, display, overlay)
            document = load_document(source, family)
        except SourceError as exc:
            errors.append(LoadError(display, exc.line, exc.column, str(exc)))
            return None
        sources[display] = source
        if document is not None:
            documents.append(document)
        return document

    for path in files:
        document = read(path, None)
        if document is None or document.family != GITLAB_CI:
            continue
        pipeline = GitlabPipeline([document])
        document.pipeline = pipeline
        root = path.parent
        for include in gitlab_local_includes(document):
            target = (root / include.lstrip("/")).resolve()
            if not target.is_relative_to(root.resolve()) or not target.is_file():
                continue  # never read outside the repository
            included = read(target, GITLAB_CI)
            if included is not None:
                included.pipeline = pipeline
                pipeline.documents.append(included)
    return documents, sources


def _pipeline_objects(documents: list[Document]) -> Iterator[Any]:
    for document in documents:
        yield from pipeline_objects_of(document)


class Progress(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, path: str) -> None: ...


def _warm(directories: Iterable[Path]) -> None:
    """Parse many new files on every core before the (sequential) review reads them."""
    from copilot.parse import hclcache
    from copilot.parse.terraform import prime

    sources = []
    for path in hclcache.paths_to_warm(directories):
        try:
            sources.append(SourceFile.read(path, display_path(path)))
        except SourceError:
            continue  # reported with its line when the review reads it
    prime(hclcache.warm(sources))


def run_review(
    paths: list[Path],
    rules: list[Rule],
    config: Config,
    overlay: Overlay | None = None,
    progress: Progress | None = None,
) -> ReviewResult:
    """Review `paths`. `overlay` maps absolute paths to text to use instead of the files' (how
    the fix loop checks an edit, and `--staged` reads the index, before anything is written)."""
    found = discover(paths, config.skip_paths)
    on_file = progress.advance if progress is not None else None
    if progress is not None:
        total = sum(len(terraform_files(d)) for d in found.terraform_dirs) + len(
            found.pipeline_files
        )
        progress.start(total)
    if not overlay and found.terraform_dirs:
        _warm(found.terraform_dirs)
    project = Project(display_path, overlay, on_file)
    dirs = list(found.terraform_dirs)
    for directory in project.root_dirs(dirs):
        project.add_root(directory)
    for directory in dirs:  # a called folder reached from no root (a call cycle) still counts
        project.module_at(directory)
    only = (
        {display_path(p) for p in found.explicit_files}
        if found.explicit_files and not any(p.is_dir() for p in paths)
        else None
    )
    active = active_rules(rules, config)
    findings = review_project(project, active, only)
    pipeline_errors: list[LoadError] = []
    documents, sources = _load_pipelines(found.pipeline_files, pipeline_errors, overlay, on_file)
    findings += review_objects(_pipeline_objects(documents), active, None, only)
    findings += [load_error_finding(e) for e in pipeline_errors]
    files = len(sources) + sum(1 for e in pipeline_errors if e.path not in sources)
    for module in project.modules:
        files += len(module.files) + len(module.errors)
        for hcl in module.files:
            sources[hcl.source.path] = hcl.source
        for error in module.errors:
            if only is None or error.path in only:
                findings.append(load_error_finding(error))
    for path, message in found.problems:
        findings.append(_problem(path, message))
    checkov = {r.id: r.checkov_ids for r in rules}
    marked = apply_suppressions(sorted(findings, key=lambda f: f.sort_key), sources, checkov)
    return ReviewResult(
        findings=[f for f in marked if not f.suppressed_by],
        suppressed=[f for f in marked if f.suppressed_by],
        files=files,
        sources=sources,
        missing_paths=found.missing,
    )


def _problem(path: str, message: str) -> Finding:
    from copilot.findings.model import PARSE_ERROR_ID, Category

    return Finding(
        rule_id=PARSE_ERROR_ID,
        title="File could not be read",
        message=message,
        severity=Severity.HIGH,
        category=Category.RELIABILITY,
        location=Location(path, 0, 0, 1, 1, 1, 1),
        subject=path,
    )
