"""`review --diff` and `review --fix`: show fixes, ask about them, apply the accepted ones."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from copilot.config import Config
from copilot.findings.model import Finding
from copilot.fixes.apply import Outcome, fix_review, key_of
from copilot.fixes.diff import colour, unified
from copilot.fixes.model import Applicability, Fix, apply_edits
from copilot.fixes.write import StaleFileError, write_atomic
from copilot.pipeline import run_review
from copilot.rules.model import Rule

HELP = """\
y - apply this fix
n - do not apply this fix
a - apply this fix and all remaining safe fixes
q - quit; apply nothing more
? - print help
"""


def _level(unsafe: bool) -> Applicability:
    return Applicability.UNSAFE if unsafe else Applicability.SAFE


def show_diff(
    paths: list[Path], rules: list[Rule], config: Config, unsafe: bool, color: bool
) -> int:
    outcome = fix_review(paths, rules, config, _level(unsafe))
    for path in sorted(outcome.texts):
        diff = unified(path, outcome.originals[path].text, outcome.texts[path])
        sys.stdout.write(colour(diff) if color else diff)
    _summary(outcome, written=None, unsafe=unsafe)
    return 1 if outcome.texts else 0


def apply_all(
    paths: list[Path], rules: list[Rule], config: Config, unsafe: bool
) -> tuple[int, Outcome]:
    outcome = fix_review(paths, rules, config, _level(unsafe))
    written = _write(outcome)
    _summary(outcome, written, unsafe)
    return (2 if written < len(outcome.texts) else 0), outcome


def interactive(
    paths: list[Path], rules: list[Rule], config: Config, unsafe: bool, color: bool
) -> int:
    """Ask about each fix like `git add -p`, then apply what was accepted."""
    first = run_review(paths, rules, config)
    candidates = [
        f
        for f in first.findings
        if f.fix is not None and f.fix.applicability >= Applicability.UNSAFE
    ]
    accepted: set[tuple[tuple[str, str, str], str]] = set()
    accept_safe = False
    for index, finding in enumerate(candidates, start=1):
        fix = finding.fix
        assert fix is not None
        identity = (key_of(finding), fix.title)
        if accept_safe:
            if fix.applicability == Applicability.SAFE:
                accepted.add(identity)
            continue
        _present(
            finding, fix, first.sources[finding.location.path].text, index, len(candidates), color
        )
        answer = _ask()
        if answer == "y":
            accepted.add(identity)
        elif answer == "a":
            accepted.add(identity)
            accept_safe = True
        elif answer == "q":
            break
    if not accepted:
        print("Nothing applied.")
        return 0
    outcome = fix_review(
        paths,
        rules,
        config,
        Applicability.UNSAFE,
        accept=lambda f, x: (key_of(f), x.title) in accepted,
    )
    written = _write(outcome)
    _summary(outcome, written, unsafe=True, asked=len(candidates), accepted=len(accepted))
    return 2 if written < len(outcome.texts) else 0


def _present(finding: Finding, fix: Fix, text: str, index: int, total: int, color: bool) -> None:
    loc = finding.location
    print(
        f"\n({index}/{total}) {loc.path}:{loc.line}:{loc.column} {finding.rule_id} {finding.title}"
    )
    print(f"  {finding.message}")
    print(
        f"  fix ({fix.applicability.label}): {fix.title}" + (f" - {fix.note}" if fix.note else "")
    )
    diff = unified(loc.path, text, apply_edits(text, list(fix.edits)))
    sys.stdout.write(colour(diff) if color else diff)


def _ask() -> str:
    while True:
        try:
            answer = input("Apply this fix [y,n,a,q,?]? ").strip().lower()[:1]
        except EOFError:
            return "q"
        if answer in ("y", "n", "a", "q"):
            return answer
        print(HELP, end="")


def _write(outcome: Outcome) -> int:
    written = 0
    for path, text in sorted(outcome.texts.items()):
        try:
            write_atomic(Path(os.path.abspath(path)), outcome.originals[path], text)
            written += 1
        except StaleFileError as exc:
            print(f"devops-copilot: {exc}", file=sys.stderr)
        except OSError as exc:
            print(f"devops-copilot: {path}: cannot write: {exc.strerror or exc}", file=sys.stderr)
    return written


def _summary(
    outcome: Outcome,
    written: int | None,
    unsafe: bool,
    asked: int | None = None,
    accepted: int | None = None,
) -> None:
    out = sys.stderr
    files = len(outcome.texts)
    verb = "would change" if written is None else "changed"
    count = files if written is None else written
    print(
        f"{len(outcome.applied)} fix{'es' if len(outcome.applied) != 1 else ''} applied; {verb} {count} file{'s' if count != 1 else ''}.",
        file=out,
    )
    if asked is not None:
        print(f"{accepted} of {asked} offered fixes accepted.", file=out)
    for finding, fix, reason in outcome.dropped:
        loc = finding.location
        print(f"dropped: {loc.path}:{loc.line} {finding.rule_id} ({fix.title}): {reason}", file=out)
    unsafe_held = [f for f, x in outcome.held_back if x.applicability == Applicability.UNSAFE]
    suggestions = [f for f, x in outcome.held_back if x.applicability == Applicability.SUGGESTION]
    if unsafe_held and not unsafe:
        print(
            f"{len(unsafe_held)} unsafe fix{'es' if len(unsafe_held) != 1 else ''} held back; --unsafe-fixes applies them.",
            file=out,
        )
    if suggestions:
        print(
            f"{len(suggestions)} suggestion{'s' if len(suggestions) != 1 else ''} left for a person: "
            "see `fix (suggestion)` in the review; they are never applied.",
            file=out,
        )
