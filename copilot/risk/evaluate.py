"""How well a model ranks risky changes, measured the way a reviewer would use it.

Train on the oldest 70% of eligible commits (by date) with only the labels known at the cutoff;
test on the newest 30% with labels from the whole history. Report ROC AUC with a bootstrap
interval, average precision next to the bad rate (what a random ranking scores), and the share of
bad commits caught when the riskiest 10% and 20% are flagged; for the model and, side by side,
for LApredict (logistic regression on lines added only; Zeng et al., ISSTA 2021).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

MIN_COMMITS = 50
MIN_BAD = 5


@dataclass
class Metrics:
    auc: float
    auc_low: float
    auc_high: float
    average_precision: float
    recall_10: float
    recall_20: float

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 3) for k, v in self.__dict__.items()}


def _auc(y: list[int], s: list[float]) -> float:
    pos = [v for v, t in zip(s, y, strict=True) if t]
    neg = [v for v, t in zip(s, y, strict=True) if not t]
    if not pos or not neg:
        return float("nan")
    order = sorted(range(len(s)), key=lambda i: s[i])
    ranks = [0.0] * len(s)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and s[order[j + 1]] == s[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    rank_sum = sum(r for r, t in zip(ranks, y, strict=True) if t)
    return (rank_sum - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def _average_precision(y: list[int], s: list[float]) -> float:
    order = sorted(range(len(s)), key=lambda i: -s[i])
    hits, total, positives = 0, 0.0, sum(y)
    if not positives:
        return float("nan")
    for rank, i in enumerate(order, start=1):
        if y[i]:
            hits += 1
            total += hits / rank
    return total / positives


def _recall_at(y: list[int], s: list[float], share: float) -> float:
    positives = sum(y)
    if not positives:
        return float("nan")
    k = max(1, math.ceil(len(s) * share))
    top = sorted(range(len(s)), key=lambda i: -s[i])[:k]
    return sum(y[i] for i in top) / positives


def metrics(y: list[int], s: list[float], rounds: int = 200, seed: int = 0) -> Metrics:
    rng = random.Random(seed)
    samples = []
    n = len(y)
    for _ in range(rounds):
        idx = [rng.randrange(n) for _ in range(n)]
        value = _auc([y[i] for i in idx], [s[i] for i in idx])
        if not math.isnan(value):
            samples.append(value)
    samples.sort()
    low = samples[int(0.025 * len(samples))] if samples else float("nan")
    high = samples[int(0.975 * len(samples)) - 1] if samples else float("nan")
    return Metrics(
        _auc(y, s),
        low,
        high,
        _average_precision(y, s),
        _recall_at(y, s, 0.1),
        _recall_at(y, s, 0.2),
    )


def split_by_date(rows: list[Any], share: float = 0.7) -> tuple[list[Any], list[Any], int]:
    ordered = sorted(rows, key=lambda r: r.commit.authored)
    cut = int(len(ordered) * share)
    cutoff = ordered[cut - 1].commit.authored if cut else 0
    return ordered[:cut], ordered[cut:], cutoff


def enough(rows: list[Any]) -> str:
    """Why the history is too thin to learn from, with the numbers; "" when it is not."""
    bad = sum(1 for r in rows if r.bad_at(None))
    if len(rows) < MIN_COMMITS:
        return f"only {len(rows)} eligible commits (at least {MIN_COMMITS} are needed)"
    if bad < MIN_BAD:
        return f"only {bad} of {len(rows)} eligible commits are known to have gone wrong (at least {MIN_BAD} are needed)"
    return ""


def table(result: dict[str, Any]) -> str:
    m, b = result["model"], result["baseline"]
    lines = [
        (
            f"test: {result['test_commits']} commits, {result['test_bad']} bad "
            f"(bad rate {result['bad_rate']:.3f}); trained on {result['train_commits']} commits, "
            f"{result['train_bad']} bad known at the cutoff"
            + (
                f" ({result['train_too_recent']} too recent to be known clean left out)"
                if result.get("train_too_recent")
                else ""
            )
        ),
        f"{'':22}{'model (' + result['kind'] + ')':>22}{'LApredict':>14}",
        f"{'ROC AUC':22}{m['auc']:>10.3f} [{m['auc_low']:.2f}-{m['auc_high']:.2f}]{b['auc']:>14.3f}",
        f"{'average precision':22}{m['average_precision']:>22.3f}{b['average_precision']:>14.3f}",
        f"{'bad caught in top 10%':22}{m['recall_10']:>22.3f}{b['recall_10']:>14.3f}",
        f"{'bad caught in top 20%':22}{m['recall_20']:>22.3f}{b['recall_20']:>14.3f}",
        "verdict: "
        + (
            "beats the lines-added baseline"
            if m["auc"] > b["auc"]
            else "does NOT beat the lines-added baseline: do not rely on it"
        ),
    ]
    return "\n".join(lines)
