"""Read a scaffold's manifest and render its project files in memory.

A scaffold is a folder `templates/scaffold/<name>/` holding `scaffold.yaml` (its options and which
files each choice keeps) and `project/` (the files, rendered with jinja2). Rendering is pure: it
returns the files to write and touches nothing; `scaffold/write.py` writes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from copilot import __version__
from copilot.resources import data_dir

# Lower-case letters, digits and single hyphens, 3 to 24 characters: a name that is valid at once
# as a folder, a Python distribution, a Docker image, and the cloud resource names derived from it
# (a GCP service account id is at most 30 characters, and we add a suffix).
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_NAME_LENGTH = (3, 24)
_PACKAGE_TOKEN = "__package__"


class ScaffoldError(Exception):
    """A scaffold or a choice that cannot be used; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    help: str
    choices: tuple[str, ...]
    default: str


@dataclass(frozen=True, slots=True)
class Scaffold:
    name: str
    description: str
    options: tuple[Option, ...]
    only: dict[str, dict[str, str]]
    rename: dict[str, str]
    root: Path  # the project/ folder of templates

    def option(self, name: str) -> Option:
        for option in self.options:
            if option.name == name:
                return option
        raise ScaffoldError(f"scaffold {self.name!r} has no option {name!r}")


@dataclass(frozen=True, slots=True)
class RenderedFile:
    path: PurePosixPath  # relative to the project folder
    text: str


def scaffold_root() -> Path:
    return data_dir("templates") / "scaffold"


def available() -> list[Scaffold]:
    root = scaffold_root()
    return [load(p.name) for p in sorted(root.iterdir()) if (p / "scaffold.yaml").is_file()]


def load(name: str) -> Scaffold:
    folder = scaffold_root() / name
    manifest = folder / "scaffold.yaml"
    if not manifest.is_file():
        raise ScaffoldError(f"no scaffold named {name!r}")
    raw: dict[str, Any] = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    options = tuple(
        Option(o["name"], o["help"], tuple(o["choices"]), o["default"]) for o in raw["options"]
    )
    return Scaffold(
        name=raw["name"],
        description=" ".join(raw["description"].split()),
        options=options,
        only={k: {str(a): str(b) for a, b in v.items()} for k, v in raw.get("only", {}).items()},
        rename=dict(raw.get("rename", {})),
        root=folder / "project",
    )


def check_name(name: str) -> str:
    low, high = _NAME_LENGTH
    if not (low <= len(name) <= high and _NAME.match(name)):
        raise ScaffoldError(
            f"invalid project name {name!r}: use {low} to {high} lower-case letters, digits and "
            "single hyphens, starting with a letter (for example churn-model)"
        )
    return name


def check_choices(scaffold: Scaffold, choices: dict[str, str]) -> dict[str, str]:
    """Every option with a value, defaults filled in; an unknown value is an error."""
    resolved = {}
    for option in scaffold.options:
        value = choices.get(option.name) or option.default
        if value not in option.choices:
            raise ScaffoldError(
                f"--{option.name}: expected one of {', '.join(option.choices)}, got {value!r}"
            )
        resolved[option.name] = value
    unknown = set(choices) - set(resolved)
    if unknown:
        raise ScaffoldError(f"unknown option(s) for {scaffold.name}: {', '.join(sorted(unknown))}")
    return resolved


def context(name: str, choices: dict[str, str]) -> dict[str, str]:
    """What templates can use: the choices and the names derived from the project name."""
    return {
        **choices,
        "name": name,
        "package": name.replace("-", "_"),
        "compact": name.replace("-", ""),  # for resources that allow letters and digits only
        "copilot_version": __version__,
    }


def render(scaffold: Scaffold, name: str, choices: dict[str, str]) -> list[RenderedFile]:
    import jinja2  # only the scaffold command needs it

    values = context(check_name(name), check_choices(scaffold, choices))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([scaffold.root, scaffold.root.parent / "partials"]),
        # GitHub's ${{ }}, GitLab's ${VAR} and Terraform's ${} pass through untouched.
        variable_start_string="<<",
        variable_end_string=">>",
        block_start_string="<%",
        block_end_string="%>",
        comment_start_string="<#",
        comment_end_string="#>",
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # the output is source code and configuration, not HTML
    )
    files = []
    for source in sorted(p for p in scaffold.root.rglob("*") if p.is_file()):
        relative = source.relative_to(scaffold.root).as_posix()
        if not _kept(scaffold, relative, values):
            continue
        text = env.get_template(relative).render(values)
        files.append(RenderedFile(_output_path(scaffold, relative, values["package"]), text))
    return files


def _kept(scaffold: Scaffold, relative: str, values: dict[str, str]) -> bool:
    for prefix, condition in scaffold.only.items():
        if _matches(relative, prefix) and any(values[k] != v for k, v in condition.items()):
            return False
    return True


def _output_path(scaffold: Scaffold, relative: str, package: str) -> PurePosixPath:
    for prefix, target in scaffold.rename.items():
        if _matches(relative, prefix):
            relative = target + relative[len(prefix) :] if prefix.endswith("/") else target
            break
    relative = relative.removesuffix(".j2").replace(_PACKAGE_TOKEN, package)
    return PurePosixPath(relative)


def _matches(relative: str, prefix: str) -> bool:
    return relative.startswith(prefix) if prefix.endswith("/") else relative == prefix
