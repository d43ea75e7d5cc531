"""Parsed Terraform files, kept as JSON under the user cache folder by content hash, and parsed on
every core when many are new.

An unchanged file is not parsed again: its model is read back from JSON (never a pickle). Cold,
a tree of many files is parsed by a process pool; workers send the same JSON back.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from copilot import cache
from copilot.parse import hcl
from copilot.parse.source import SourceError, SourceFile

_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        hcl.Literal,
        hcl.Template,
        hcl.Ref,
        hcl.Call,
        hcl.TupleExpr,
        hcl.ObjectItem,
        hcl.ObjectExpr,
        hcl.Conditional,
        hcl.Operation,
        hcl.Opaque,
        hcl.Attribute,
    )
}
NAMESPACE = "parsed-hcl"
FORMAT = 1  # bump whenever the model in hcl.py changes shape: old entries are then never read
POOL_MIN_FILES = 64


def encode(value: Any) -> Any:
    if isinstance(value, hcl.Block):
        return {
            "@": "Block",
            "type": value.type,
            "labels": list(value.labels),
            "attributes": {k: encode(v) for k, v in value.attributes.items()},
            "blocks": [encode(b) for b in value.blocks],
            "start": value.start,
            "end": value.end,
            "header_end": value.header_end,
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {"@": type(value).__name__}
        for f in dataclasses.fields(value):
            out[f.name] = encode(getattr(value, f.name))
        return out
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"@dict": {k: encode(v) for k, v in value.items()}}
    return value


def decode(value: Any, source: SourceFile) -> Any:
    if isinstance(value, list):
        return tuple(decode(v, source) for v in value)
    if not isinstance(value, dict):
        return value
    if "@dict" in value:
        return {k: decode(v, source) for k, v in value["@dict"].items()}
    kind = value["@"]
    if kind == "Block":
        return hcl.Block(
            value["type"],
            tuple(value["labels"]),
            {k: decode(v, source) for k, v in value["attributes"].items()},
            tuple(decode(b, source) for b in value["blocks"]),
            value["start"],
            value["end"],
            value["header_end"],
            source,
        )
    cls = _TYPES[kind]
    return cls(**{k: decode(v, source) for k, v in value.items() if k != "@"})


def encode_file(parsed: hcl.HclFile) -> dict[str, Any]:
    return {
        "blocks": [encode(b) for b in parsed.blocks],
        "attributes": {k: encode(v) for k, v in parsed.attributes.items()},
    }


def decode_file(data: dict[str, Any], source: SourceFile) -> hcl.HclFile:
    return hcl.HclFile(
        source,
        tuple(decode(b, source) for b in data["blocks"]),
        {k: decode(v, source) for k, v in data["attributes"].items()},
    )


def _key(source: SourceFile) -> str:
    return cache.digest("hcl", FORMAT, source.digest)


def cached(source: SourceFile) -> hcl.HclFile | None:
    data = cache.read(NAMESPACE, _key(source))
    if not isinstance(data, dict):
        return None
    try:
        return decode_file(data, source)
    except (KeyError, TypeError, ValueError):
        return None


def store(source: SourceFile, parsed: hcl.HclFile) -> None:
    cache.write(NAMESPACE, _key(source), encode_file(parsed))


def _parse_in_worker(item: tuple[str, str]) -> tuple[str, dict[str, Any] | None]:
    display, text = item
    try:
        return display, encode_file(hcl.parse_hcl(SourceFile.from_text(display, text)))
    except SourceError:
        return display, None  # the parent parses it again to report the error with its line


def warm(sources: Iterable[SourceFile]) -> dict[str, hcl.HclFile]:
    """Parse the sources not in the cache, on every core when there are many; store them."""
    missing = [
        s for s in sources if not s.path.endswith(".json") and not cache.exists(NAMESPACE, _key(s))
    ]
    if len(missing) < POOL_MIN_FILES or (os.cpu_count() or 1) < 2:
        return {}
    import multiprocessing

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return {}
    out: dict[str, hcl.HclFile] = {}
    by_path = {s.path: s for s in missing}
    with ProcessPoolExecutor(max_workers=os.cpu_count(), mp_context=context) as pool:
        for display, data in pool.map(
            _parse_in_worker, [(s.path, s.text) for s in missing], chunksize=16
        ):
            if data is None:
                continue
            source = by_path[display]
            parsed = decode_file(data, source)
            store(source, parsed)
            out[display] = parsed
    return out


def paths_to_warm(directories: Iterable[Path]) -> list[Path]:
    from copilot.parse.terraform import terraform_files

    return [p for d in directories for p in terraform_files(d)]
