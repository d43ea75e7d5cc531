"""The risk model as plain JSON, and scoring it without scikit-learn.

A model file inside a repository must not be able to run code, so it is never a pickle: it holds
the feature schema, the transform (log and standardisation), either logistic-regression
coefficients or gradient-boosted trees as arrays, a Platt calibration, the bands, and the
evaluation it was chosen by. Loading refuses any other schema.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = "devops-copilot/risk-model"
VERSION = 1
MODEL_PATH = Path(".devops-copilot") / "risk-model.json"


class ModelError(Exception):
    pass


@dataclass(frozen=True)
class Score:
    probability: float
    band: str
    reasons: list[str]
    default_model: bool


def load(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(f"{path}: cannot read the model: {exc.strerror or exc}") from None
    except ValueError:
        raise ModelError(f"{path}: not a devops-copilot risk model (not JSON)") from None
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        raise ModelError(
            f"{path}: not a devops-copilot risk model (schema {document.get('schema')!r})"
            if isinstance(document, dict)
            else f"{path}: not a risk model"
        )
    if document.get("version") != VERSION:
        raise ModelError(
            f"{path}: risk model version {document.get('version')} is not supported (expected {VERSION}); train again"
        )
    return document


def save(document: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)


def transform(document: dict[str, Any], values: dict[str, float]) -> list[float]:
    t = document["transform"]
    out = []
    for i, name in enumerate(document["features"]):
        x = float(values.get(name, 0.0))
        if name in t["log"]:
            x = math.log1p(max(x, 0.0))
        out.append((x - t["mean"][i]) / (t["scale"][i] or 1.0))
    return out


def _tree(tree: dict[str, list[Any]], x: list[float]) -> float:
    node = 0
    while tree["left"][node] != -1:
        node = (
            tree["left"][node]
            if x[tree["feature"][node]] <= tree["threshold"][node]
            else tree["right"][node]
        )
    return float(tree["value"][node])


def raw_score(document: dict[str, Any], x: list[float]) -> float:
    if document["kind"] == "logistic":
        m = document["logistic"]
        return float(m["intercept"] + sum(c * v for c, v in zip(m["coef"], x, strict=True)))
    m = document["gbdt"]
    return float(m["init"] + m["learning_rate"] * sum(_tree(t, x) for t in m["trees"]))


def probability(document: dict[str, Any], values: dict[str, float]) -> float:
    z = raw_score(document, transform(document, values))
    a, b = document["calibration"]["a"], document["calibration"]["b"]
    return 1.0 / (1.0 + math.exp(-(a * z + b)))


def band(document: dict[str, Any], p: float) -> str:
    bands = document.get("bands", {"medium": 0.3, "high": 0.6})
    return "high" if p >= bands["high"] else "medium" if p >= bands["medium"] else "low"


def contributions(document: dict[str, Any], values: dict[str, float]) -> list[tuple[str, float]]:
    """How much each feature pushes this change's score above a typical change's."""
    x = transform(document, values)
    if document["kind"] == "logistic":
        coef = document["logistic"]["coef"]
        parts = [(name, coef[i] * x[i]) for i, name in enumerate(document["features"])]
    else:
        base = raw_score(document, x)
        medians = transform(
            document, dict(zip(document["features"], document["medians"], strict=True))
        )
        parts = []
        for i, name in enumerate(document["features"]):
            changed = list(x)
            changed[i] = medians[i]
            parts.append((name, base - raw_score(document, changed)))
    return sorted(parts, key=lambda p: -p[1])


def score(document: dict[str, Any], values: dict[str, float], default_model: bool = False) -> Score:
    from copilot.risk.explain import reasons

    p = probability(document, values)
    top = [(n, c) for n, c in contributions(document, values) if c > 0.05][:3]
    return Score(p, band(document, p), reasons(top, values), default_model)
