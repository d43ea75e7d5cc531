"""Apply fixes: splice, check by re-reviewing in memory, loop until stable, never break a file.

Each round takes, per file, the eligible fixes in order, skips any that overlaps one already taken
(it is picked up in the next round, against the new text), and splices them. The result is
reviewed again from memory (an overlay; nothing is written). A batch that breaks parsing, leaves
one of its findings in place, or brings a new finding is split: its fixes are tried one at a time
and any that fails is dropped with the reason. Rounds stop when nothing applies, at MAX_ROUNDS, or
when a file returns to a state already seen.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from copilot.config import Config
from copilot.findings.model import PARSE_ERROR_ID, Finding
from copilot.fixes.model import Applicability, Fix, apply_edits
from copilot.parse.source import SourceFile
from copilot.pipeline import ReviewResult, run_review
from copilot.rules.model import Rule

MAX_ROUNDS = 10
Key = tuple[str, str, str]  # rule, path, subject


def key_of(finding: Finding) -> Key:
    return (finding.rule_id, finding.location.path, finding.subject)


@dataclass
class Outcome:
    """What happened to the fixes of one review."""

    texts: dict[str, str] = field(default_factory=dict)  # path -> new text (changed files only)
    originals: dict[str, SourceFile] = field(default_factory=dict)
    applied: list[tuple[Finding, Fix]] = field(default_factory=list)
    dropped: list[tuple[Finding, Fix, str]] = field(default_factory=list)
    held_back: list[tuple[Finding, Fix]] = field(default_factory=list)  # below the level asked
    remaining: list[Finding] = field(default_factory=list)  # findings left after fixing


@dataclass
class _Context:
    paths: list[Path]
    rules: list[Rule]
    config: Config
    absolute: dict[str, Path]


def _counts(result: ReviewResult, path: str) -> Counter[Key]:
    return Counter(key_of(f) for f in result.findings if f.location.path == path)


def _parses(result: ReviewResult, path: str) -> bool:
    return not any(f.rule_id == PARSE_ERROR_ID and f.location.path == path for f in result.findings)


def _review(ctx: _Context, texts: dict[str, str]) -> ReviewResult:
    overlay = {ctx.absolute[path]: text for path, text in texts.items()}
    return run_review(ctx.paths, ctx.rules, ctx.config, overlay)


def _verdict(
    before: ReviewResult, after: ReviewResult, path: str, batch: list[tuple[Finding, Fix]]
) -> str:
    """Why a batch of fixes to `path` must not stand, or "" when it may."""
    if _parses(before, path) and not _parses(after, path):
        return "the result does not parse"
    old, new = _counts(before, path), _counts(after, path)
    fixed = {key_of(f) for f, _ in batch}
    for key in fixed:
        if new[key] >= old[key]:
            return f"{key[0]} still reports `{key[2]}`"
    for key, count in new.items():
        if count > old[key] and key not in fixed:
            return f"it would bring a new {key[0]} finding"
    return ""


def _non_overlapping(candidates: list[tuple[Finding, Fix]]) -> list[tuple[Finding, Fix]]:
    taken: list[tuple[Finding, Fix]] = []
    last_end = -1
    seen_edits: set[tuple[int, int, str]] = set()
    for finding, fix in sorted(candidates, key=lambda pair: (pair[1].start, pair[1].end)):
        edits = {(e.start, e.end, e.text) for e in fix.edits}
        if edits <= seen_edits:
            continue  # the same change for another finding: already taken
        if fix.start < last_end and not edits & seen_edits:
            continue  # overlaps: next round
        taken.append((finding, fix))
        seen_edits |= edits
        last_end = max(last_end, fix.end)
    return taken


def _identity(finding: Finding, fix: Fix) -> tuple[Key, str, tuple[str, ...]]:
    """A fix as the same change across rounds, whatever offsets earlier fixes moved it to."""
    return (key_of(finding), fix.title, tuple(e.text for e in fix.edits))


def fix_review(
    paths: list[Path],
    rules: list[Rule],
    config: Config,
    level: Applicability,
    accept: Callable[[Finding, Fix], bool] | None = None,
) -> Outcome:
    """Apply every fix at or above `level` (and accepted, when `accept` is given)."""
    first = run_review(paths, rules, config)
    outcome = Outcome(originals=dict(first.sources))
    ctx = _Context(paths, rules, config, {p: Path(os.path.abspath(p)) for p in first.sources})
    for finding in first.findings:
        if finding.fix is not None and (
            finding.fix.applicability < level
            or finding.fix.applicability == Applicability.SUGGESTION
        ):
            outcome.held_back.append((finding, finding.fix))
    current = first
    texts: dict[str, str] = {}
    attempted: set[tuple[Key, str, tuple[str, ...]]] = set()
    seen_states: set[tuple[tuple[str, str], ...]] = set()
    for _round in range(MAX_ROUNDS):
        eligible = [
            (f, f.fix)
            for f in current.findings
            if f.fix is not None
            and f.fix.applicability >= max(level, Applicability.UNSAFE)
            and (accept is None or accept(f, f.fix))
            and _identity(f, f.fix) not in attempted
        ]
        if not eligible:
            break
        by_path: dict[str, list[tuple[Finding, Fix]]] = {}
        for finding, fix in eligible:
            by_path.setdefault(finding.location.path, []).append((finding, fix))
        progressed = False
        for path, candidates in sorted(by_path.items()):
            batch = _non_overlapping(candidates)
            for finding, fix in batch:
                attempted.add(_identity(finding, fix))
            base = texts.get(path, current.sources[path].text)
            new_text = apply_edits(base, [e for _, fix in batch for e in fix.edits])
            after = _review(ctx, {**texts, path: new_text})
            reason = _verdict(current, after, path, batch)
            if not reason:
                texts[path], current = new_text, after
                outcome.applied.extend(batch)
                progressed = True
                continue
            # One at a time against the same text, to keep the good ones. Offsets are only
            # valid for the text they were computed on, so after the first success the rest
            # wait for the next round, recomputed against the new text.
            base = texts.get(path, current.sources[path].text)
            for index, (finding, fix) in enumerate(batch):
                single = apply_edits(base, list(fix.edits))
                after = _review(ctx, {**texts, path: single})
                reason = _verdict(current, after, path, [(finding, fix)])
                if reason:
                    outcome.dropped.append((finding, fix, reason))
                    continue
                texts[path], current = single, after
                outcome.applied.append((finding, fix))
                progressed = True
                for waiting, waiting_fix in batch[index + 1 :]:
                    attempted.discard(_identity(waiting, waiting_fix))
                break
        state = tuple(sorted(texts.items()))
        if not progressed or state in seen_states:
            break
        seen_states.add(state)
    outcome.texts = {p: t for p, t in texts.items() if t != outcome.originals[p].text}
    outcome.remaining = current.findings
    return outcome
