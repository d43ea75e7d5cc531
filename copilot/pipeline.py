"""The review pipeline: discover -> load -> rules -> findings (suppressions, baseline)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from copilot.config import Config
from copilot.findings.model import Finding, Location, Severity
from copilot.findings.suppress import apply_suppressions
from copilot.parse.discover import discover, display_path
from copilot.parse.source import SourceFile
from copilot.parse.terraform import Project, local_module_dir
from copilot.rules.engine import active_rules, load_error_finding, review_project
from copilot.rules.model import Rule


@dataclass
class ReviewResult:
    findings: list[Finding]  # not suppressed, not baselined
    suppressed: list[Finding] = field(default_factory=list)
    baselined: int = 0
    files: int = 0
    sources: dict[str, SourceFile] = field(default_factory=dict)
    missing_paths: list[str] = field(default_factory=list)


def _roots(project: Project, dirs: list[Path]) -> list[Path]:
    """Scanned folders that no other scanned folder calls as a local module."""
    called: set[Path] = set()
    for directory in dirs:
        module = project.module_at(directory)
        for call in module.blocks("module"):
            target = local_module_dir(module.directory, call)
            if target is not None:
                called.add(target.resolve())
    roots = [d for d in dirs if d.resolve() not in called]
    return roots or dirs


def run_review(paths: list[Path], rules: list[Rule], config: Config) -> ReviewResult:
    found = discover(paths, config.skip_paths)
    project = Project(display_path)
    dirs = list(found.terraform_dirs)
    for directory in _roots(project, dirs):
        project.add_root(directory)
    for directory in dirs:  # a called folder reached from no root (a call cycle) still counts
        project.module_at(directory)
    only = (
        {display_path(p) for p in found.explicit_files}
        if found.explicit_files and not any(p.is_dir() for p in paths)
        else None
    )
    findings = review_project(project, active_rules(rules, config), only)
    sources: dict[str, SourceFile] = {}
    files = 0
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
