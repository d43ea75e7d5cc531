"""Score changes without scikit-learn: features from history mined up to the change, then the
JSON model (the repository's own, or the default one that ships with devops-copilot)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from copilot.resources import data_dir
from copilot.risk.dataset import HistoryError
from copilot.risk.features import compute
from copilot.risk.iac import terraform_deltas
from copilot.risk.mine import Commit, FileChange, _paths, mine
from copilot.risk.model import MODEL_PATH, ModelError, Score, load, score

DEFAULT_MODEL = "_risk/default-model.json"


def find_model(root: Path, explicit: Path | None = None) -> tuple[dict[str, Any], bool]:
    """(model, is_default): the repository's trained model, else the shipped default."""
    if explicit is not None:
        return load(explicit), False
    own = root / MODEL_PATH
    if own.is_file():
        return load(own), False
    shipped = data_dir("rules") / DEFAULT_MODEL
    if not shipped.is_file():
        raise ModelError("no model: run `devops-copilot risk train` first")
    return load(shipped), True


def _staged_commit(repo: Any) -> Commit:
    numstat = repo.git.diff("--cached", "--numstat", "-M")
    files = []
    for line in numstat.splitlines():
        added, deleted, raw = [*line.split("\t"), "", "", ""][:3]
        path, old = _paths(raw)
        binary = added == "-"
        files.append(
            FileChange(
                path, 0 if binary else int(added), 0 if binary else int(deleted), binary, old
            )
        )
    try:
        name = repo.git.config("user.name")
        email = repo.git.config("user.email")
    except Exception:  # noqa: BLE001 - an unset identity is fine for scoring
        name, email = "", ""
    import time

    head = repo.head.commit.hexsha if repo.head.is_valid() else ""
    return Commit(
        "STAGED",
        (head,) if head else (),
        name,
        email,
        int(time.time()),
        int(time.time()),
        "",
        "",
        tuple(files),
    )


def score_revisions(
    repo: Any, spec: str | None, staged: bool, document: dict[str, Any], default: bool
) -> list[tuple[Commit, Score]]:
    import git

    try:
        if staged:
            history = mine(repo) if repo.head.is_valid() else []
            target = _staged_commit(repo)
            values = compute([*history, target])[target.sha]
            return [(target, score(document, values, default))]
        if spec and ".." in spec:
            start, end = spec.split("..", 1)
            end_sha = repo.commit(end or "HEAD").hexsha
            wanted = {
                c.hexsha
                for c in repo.iter_commits(
                    f"{repo.commit(start or 'HEAD').hexsha}..{end_sha}", first_parent=True
                )
            }
        else:
            end_sha = repo.commit(spec or "HEAD").hexsha
            wanted = {end_sha}
    except (git.BadName, ValueError, git.GitCommandError):
        raise HistoryError(f"unknown revision {spec!r}") from None
    history = mine(repo, end_sha)
    table = compute(history, terraform_deltas(repo, end_sha))
    return [(c, score(document, table[c.sha], default)) for c in history if c.sha in wanted]
