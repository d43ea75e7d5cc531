#!/usr/bin/env python3
"""Train the default risk model that ships in rules/_risk/default-model.json.

    python bench/train_default_model.py REPO [REPO ...]

Each REPO is a local clone of a public infrastructure repository (with its full history). The
rows of all of them train one model; each is also backtested on its own (oldest 70% / newest
30%) and the table printed here is the one the README quotes. Nothing here is committed but the
resulting JSON: no code from those repositories.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from copilot.risk.dataset import build, open_repository
from copilot.risk.evaluate import table
from copilot.risk.model import save
from copilot.risk.train import backtest, fit_document

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("repos", nargs="+", type=Path)
    parser.add_argument(
        "--output", type=Path, default=ROOT / "rules" / "_risk" / "default-model.json"
    )
    args = parser.parse_args()
    rows, evaluations = [], {}
    for path in args.repos:
        dataset = build(open_repository(path))
        result = backtest(dataset)
        evaluations[path.name] = result
        print(f"== {path.name}: {len(dataset.rows)} eligible commits")
        print(table(result), "\n")
        rows.extend(dataset.rows)
    document = fit_document(sorted(rows, key=lambda r: r.commit.authored), None)
    document["evaluation"] = evaluations
    document["trained"] = {
        "default": True,
        "repositories": [p.name for p in args.repos],
        "commits": document["fitted"]["commits"],
        "bad": document["fitted"]["bad"],
    }
    save(document, args.output)
    print(json.dumps({k: v["model"]["auc"] for k, v in evaluations.items()}))
    print(f"saved {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
