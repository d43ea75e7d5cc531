"""Fit the risk model with scikit-learn and export it as plain JSON (see model.py)."""

from __future__ import annotations

import math
import statistics
from datetime import UTC, datetime
from typing import Any

from copilot.risk.dataset import Dataset, HistoryError, Row
from copilot.risk.evaluate import MIN_BAD, MIN_COMMITS, enough, metrics, split_by_date
from copilot.risk.features import FEATURES, LOGGED
from copilot.risk.model import SCHEMA, VERSION


def _matrix(rows: list[Row], log: bool = True) -> list[list[float]]:
    out = []
    for row in rows:
        vector = []
        for name, value in zip(FEATURES, row.vector(), strict=True):
            vector.append(math.log1p(max(value, 0.0)) if log and name in LOGGED else value)
        out.append(vector)
    return out


def _fit(kind: str, x: list[list[float]], y: list[int]) -> Any:
    import numpy as np
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.utils.class_weight import compute_sample_weight

    weights = compute_sample_weight("balanced", y)
    if kind == "logistic":
        model = LogisticRegression(max_iter=2000, C=0.5)
    else:
        model = GradientBoostingClassifier(
            n_estimators=120, max_depth=3, learning_rate=0.08, subsample=0.8, random_state=0
        )
    model.fit(np.asarray(x), np.asarray(y), sample_weight=weights)
    return model


def _standardise(x: list[list[float]]) -> tuple[list[float], list[float]]:
    columns = list(zip(*x, strict=True))
    mean = [statistics.fmean(c) for c in columns]
    scale = [statistics.pstdev(c) or 1.0 for c in columns]
    return mean, scale


def _apply(x: list[list[float]], mean: list[float], scale: list[float]) -> list[list[float]]:
    return [[(v - m) / s for v, m, s in zip(row, mean, scale, strict=True)] for row in x]


def _decision(model: Any, x: list[list[float]]) -> list[float]:
    import numpy as np

    return [float(v) for v in model.decision_function(np.asarray(x))]


def _platt(z: list[float], y: list[int]) -> tuple[float, float]:
    """Calibration of raw scores into probabilities (balanced weights distort them)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    if len(set(y)) < 2:
        return 1.0, 0.0
    lr = LogisticRegression(C=1e6, max_iter=1000).fit(np.asarray(z).reshape(-1, 1), np.asarray(y))
    return float(lr.coef_[0][0]), float(lr.intercept_[0])


def _export(kind: str, model: Any) -> dict[str, Any]:
    if kind == "logistic":
        return {"coef": [float(c) for c in model.coef_[0]], "intercept": float(model.intercept_[0])}
    trees = []
    for estimator in model.estimators_[:, 0]:
        t = estimator.tree_
        trees.append(
            {
                "feature": [int(f) for f in t.feature],
                "threshold": [float(v) for v in t.threshold],
                "left": [int(v) for v in t.children_left],
                "right": [int(v) for v in t.children_right],
                "value": [float(v[0][0]) for v in t.value],
            }
        )
    prior = model.init_.class_prior_[1] if hasattr(model.init_, "class_prior_") else 0.5
    prior = min(max(prior, 1e-6), 1 - 1e-6)
    return {
        "init": math.log(prior / (1 - prior)),
        "learning_rate": float(model.learning_rate),
        "trees": trees,
    }


def mature(rows: list[Row], cutoff: int | None) -> list[Row]:
    """The rows whose labels can be trusted at `cutoff` (None: now). A change newer than the
    time it usually takes here for a bad change to be found out (the median of that delay) is
    left out: it is not yet known to be clean, and learning it as clean teaches the
    model that recent changes are safe. All rows when too few would remain."""
    delays = sorted(
        label.known_at - row.commit.authored
        for row in rows
        for label in row.labels
        if cutoff is None or label.known_at <= cutoff
    )
    if not delays:
        return rows
    latency = delays[(len(delays) - 1) // 2]
    horizon = cutoff if cutoff is not None else max(r.commit.authored for r in rows)
    kept = [r for r in rows if r.commit.authored <= horizon - latency]
    bad = sum(1 for r in kept if r.bad_at(cutoff))
    if len(kept) < MIN_COMMITS or bad < MIN_BAD or bad == len(kept):
        return rows
    return kept


def fit_document(train: list[Row], cutoff: int | None) -> dict[str, Any]:
    """Choose logistic regression or gradient boosting on a time-ordered validation split of the
    mature training rows, refit the winner on all of them, calibrate, and export."""
    given = len(train)
    train = mature(sorted(train, key=lambda r: r.commit.authored), cutoff)
    y = [1 if r.bad_at(cutoff) else 0 for r in train]
    if len(set(y)) < 2:
        raise HistoryError(
            f"no commit in the training window is known to have gone wrong ({len(train)} commits)"
        )
    x = _matrix(train)
    mean, scale = _standardise(x)
    xs = _apply(x, mean, scale)
    split = int(len(train) * 0.75)
    choice, scores = "logistic", {}
    held_out: dict[str, list[float]] = {}
    if len(set(y[:split])) == 2 and len(set(y[split:])) == 2:
        for kind in ("logistic", "gbdt"):
            model = _fit(kind, xs[:split], y[:split])
            held_out[kind] = _decision(model, xs[split:])
            scores[kind] = metrics(y[split:], held_out[kind], rounds=0).auc
        choice = max(scores, key=lambda k: scores[k] if not math.isnan(scores[k]) else -1)
    model = _fit(choice, xs, y)
    # Calibrated on scores of changes the model had not seen: its scores of its own training
    # rows are far too sure of themselves.
    if choice in held_out:
        a, b = _platt(held_out[choice], y[split:])
    else:
        a, b = _platt(_decision(model, xs), y)
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "version": VERSION,
        "features": list(FEATURES),
        "transform": {"log": list(LOGGED), "mean": mean, "scale": scale},
        "kind": choice,
        choice: _export(choice, model),
        "calibration": {"a": a, "b": b},
        "bands": {"medium": 0.3, "high": 0.6},
        "medians": [
            statistics.median(col) for col in zip(*[r.vector() for r in train], strict=True)
        ],
        "selection": {k: round(v, 3) for k, v in scores.items()},
        "fitted": {"commits": len(train), "bad": sum(y), "too_recent": given - len(train)},
    }
    return document


def _lapredict(train: list[Row], test: list[Row], cutoff: int) -> list[float]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    y = [1 if r.bad_at(cutoff) else 0 for r in train]
    x = [[math.log1p(r.values["la"])] for r in train]
    model = LogisticRegression(class_weight="balanced").fit(np.asarray(x), np.asarray(y))
    return [
        float(v)
        for v in model.decision_function(np.asarray([[math.log1p(r.values["la"])] for r in test]))
    ]


def require_scikit_learn() -> None:
    from importlib.util import find_spec

    if find_spec("sklearn") is None:
        raise HistoryError(
            "training needs scikit-learn: pip install 'devops-copilot[risk]' "
            "(scoring with `risk score` does not)"
        )


def backtest(dataset: Dataset) -> dict[str, Any]:
    from copilot.risk.model import raw_score, transform

    require_scikit_learn()
    reason = enough(dataset.rows)
    if reason:
        raise HistoryError(f"too little history to evaluate: {reason}")
    train, test, cutoff = split_by_date(dataset.rows)
    document = fit_document(train, cutoff)
    y = [1 if r.bad_at(None) else 0 for r in test]
    if len(set(y)) < 2:
        raise HistoryError(
            f"the newest {len(test)} commits hold {sum(y)} known-bad ones: nothing to evaluate against"
        )
    scores = [raw_score(document, transform(document, r.values)) for r in test]
    model_metrics = metrics(y, scores)
    baseline = metrics(y, _lapredict(train, test, cutoff))
    return {
        "kind": document["kind"],
        "train_commits": document["fitted"]["commits"],
        "train_bad": document["fitted"]["bad"],
        "train_too_recent": document["fitted"]["too_recent"],
        "test_commits": len(test),
        "test_bad": sum(y),
        "bad_rate": sum(y) / len(y),
        "cutoff": datetime.fromtimestamp(cutoff, UTC).isoformat(),
        "model": model_metrics.as_dict(),
        "baseline": baseline.as_dict(),
    }


def train(dataset: Dataset) -> dict[str, Any]:
    """The model trained on the whole history, with its backtest evaluation attached."""
    reason = enough(dataset.rows)
    if reason:
        raise HistoryError(f"too little history to train on: {reason}")
    evaluation = backtest(dataset)
    document = fit_document(dataset.rows, None)
    document["evaluation"] = evaluation
    document["trained"] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": dataset.head,
        "commits": document["fitted"]["commits"],
        "bad": document["fitted"]["bad"],
        "label_sources": sorted(
            {lbl.source.split(":")[0] for r in dataset.rows for lbl in r.labels}
        ),
    }
    return document
