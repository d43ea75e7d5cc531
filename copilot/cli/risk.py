"""`devops-copilot risk train|backtest|score`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from copilot.cli.common import EXIT_OK, RepoOption, error, exits

app = typer.Typer(
    help="Deploy risk learned from the repository's own history.", no_args_is_help=True
)


class _Progress:
    """A bar over the fixes SZZ traces (the slow part), in a real terminal only."""

    def __init__(self) -> None:
        from copilot.cli.progress import Bar, wanted

        self.bar = Bar("tracing fixes", minimum=1) if wanted(False) else None

    def __call__(self, step: str, count: int) -> None:
        if self.bar is None:
            return
        if step == "fixes to trace":
            self.bar.start(count)
        elif step == "traced":
            self.bar.advance()
        elif step == "labelled":
            self.bar.stop()


# What `train` and `backtest` learn from.
MaxCommitsOption = Annotated[
    int | None, typer.Option("--max-commits", help="Only the newest N commits.")
]
LabelsOption = Annotated[
    Path | None, typer.Option("--labels", help="CSV of commit,outcome (e.g. build_passed).")
]
UntilOption = Annotated[
    str | None, typer.Option("--until", help="Use only history up to REV (commits and labels).")
]


@app.command("train")
@exits
def train_command(
    repo: RepoOption = Path(),
    max_commits: MaxCommitsOption = None,
    labels: LabelsOption = None,
    until: UntilOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Model file (default .devops-copilot/risk-model.json)."
        ),
    ] = None,
    with_findings: Annotated[
        bool,
        typer.Option(
            "--with-findings",
            help="Also count the review findings each commit introduced (slower).",
        ),
    ] = False,
) -> int:
    """Learn which changes went wrong here, evaluate it honestly, and save it as JSON."""
    from copilot.risk.dataset import HistoryError, build, open_repository
    from copilot.risk.evaluate import table
    from copilot.risk.model import MODEL_PATH, save
    from copilot.risk.train import train

    try:
        repository = open_repository(repo)
        dataset = build(
            repository,
            until or "HEAD",
            max_commits,
            labels,
            progress=_Progress(),
            with_findings=with_findings,
        )
        document = train(dataset)
    except HistoryError as exc:
        return error(str(exc))
    target = output or Path(repository.working_tree_dir or repo) / MODEL_PATH
    save(document, target)
    print(table(document["evaluation"]))
    print(
        f"\nSaved the model ({document['kind']}, {document['trained']['commits']} commits) to {target}."
    )
    return EXIT_OK


@app.command("backtest")
@exits
def backtest_command(
    repo: RepoOption = Path(),
    max_commits: MaxCommitsOption = None,
    labels: LabelsOption = None,
    until: UntilOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> int:
    """Train on the oldest 70% and test on the newest 30%, against the lines-added baseline."""
    from copilot.risk.dataset import HistoryError, build, open_repository
    from copilot.risk.evaluate import table
    from copilot.risk.train import backtest

    try:
        result = backtest(build(open_repository(repo), until or "HEAD", max_commits, labels))
    except HistoryError as exc:
        return error(str(exc))
    print(json.dumps(result, indent=2) if format == "json" else table(result))
    return EXIT_OK


@app.command("score")
@exits
def score_command(
    rev: Annotated[str | None, typer.Argument(help="REV or REV1..REV2 (default HEAD).")] = None,
    staged: Annotated[bool, typer.Option("--staged", help="Score the staged change.")] = False,
    each: Annotated[
        bool, typer.Option("--each", help="With a range: one score per commit.")
    ] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="text, json or csv.")] = "text",
    model: Annotated[Path | None, typer.Option("--model", help="A model file to use.")] = None,
    repo: RepoOption = Path(),
    hook: Annotated[
        bool, typer.Option("--hook", help="Print only; always exit 0 (for pre-commit).")
    ] = False,
) -> int:
    """Score a change: probability, band and the factors behind it. Needs no scikit-learn."""
    from copilot.risk.dataset import HistoryError, open_repository
    from copilot.risk.model import ModelError
    from copilot.risk.score import find_model, score_revisions

    try:
        repository = open_repository(repo) if not staged else _repo_for_staged(repo)
        root = Path(repository.working_tree_dir or repo)
        document, default = find_model(root, model)
        document["bands"] = {**document.get("bands", {}), **_configured_bands(root)}
        results = score_revisions(repository, rev, staged, document, default)
    except (HistoryError, ModelError) as exc:
        if hook:
            print(f"devops-copilot risk: {exc}", file=sys.stderr)
            return EXIT_OK
        return error(str(exc))
    if not each and len(results) > 1:
        results = results[-1:]
    if format == "csv":
        print("sha,score")
        for commit, result in results:
            print(f"{commit.sha},{result.probability:.4f}")
    elif format == "json":
        print(
            json.dumps(
                [
                    {
                        "sha": c.sha,
                        "score": round(r.probability, 4),
                        "band": r.band,
                        "reasons": r.reasons,
                        "default_model": r.default_model,
                    }
                    for c, r in results
                ],
                indent=2,
            )
        )
    else:
        for commit, result in results:
            where = (
                "staged change" if commit.sha == "STAGED" else f"{commit.sha[:12]} {commit.subject}"
            )
            source = (
                " (default model: train one on this repository with `devops-copilot risk train`)"
                if result.default_model
                else ""
            )
            print(f"deploy risk of {where}: {result.probability:.2f} ({result.band}){source}")
            for reason in result.reasons:
                print(f"  - {reason}")
            if result.band == "high":
                print(
                    "  a rollback plan is worth reading first: devops-copilot rollback plan"
                    + (" --staged" if commit.sha == "STAGED" else f" {commit.sha[:12]}")
                )
    return EXIT_OK


def _configured_bands(root: Path) -> dict[str, float]:
    from copilot.config import ConfigError, find_config, load_config

    try:
        return load_config(find_config(root)).risk_bands
    except ConfigError:
        return {}


def _repo_for_staged(path: Path):  # type: ignore[no-untyped-def]
    import git

    from copilot.risk.dataset import HistoryError

    try:
        return git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise HistoryError(f"{path}: not inside a git repository") from None
