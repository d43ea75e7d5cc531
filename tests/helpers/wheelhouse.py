"""Repack the distributions installed in this environment into wheels, so that a tool which
installs packages with pip (pre-commit building a hook environment) can do it offline:
PIP_NO_INDEX=1 PIP_FIND_LINKS=<wheelhouse>."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from importlib import metadata
from pathlib import Path


def _tag(dist: metadata.Distribution) -> str | None:
    """The first of the wheel's tags that this interpreter accepts (`py2-none-any` is not one)."""
    from packaging.tags import sys_tags

    supported = {str(t) for t in sys_tags()}
    wheel = dist.read_text("WHEEL") or ""
    tags = [line.split(":", 1)[1].strip() for line in wheel.splitlines() if line.startswith("Tag:")]
    return next((t for t in tags if t in supported), None)


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def repack(dist: metadata.Distribution, target: Path) -> Path | None:
    """A wheel of an installed distribution (files inside site-packages only)."""
    tag = _tag(dist)
    files = dist.files or []
    if (
        tag is None
        or not files
        or (dist.read_text("direct_url.json") or "").find('"editable": true') != -1
    ):
        return None
    name = dist.metadata["Name"].replace("-", "_")
    version = dist.version
    info = f"{name}-{version}.dist-info"
    wheel_path = target / f"{name}-{version}-{tag}.whl"
    records = []
    with zipfile.ZipFile(wheel_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            relative = str(file)
            if relative.startswith("..") or "__pycache__" in relative or relative.endswith(".pyc"):
                continue
            path = Path(str(file.locate()))
            if not path.is_file() or relative.endswith("/RECORD"):
                continue
            data = path.read_bytes()
            arcname = relative
            if ".dist-info/" in arcname:
                arcname = f"{info}/{arcname.split('.dist-info/', 1)[1]}"
            archive.writestr(arcname, data)
            records.append(_record_line(arcname, data))
        records.append(f"{info}/RECORD,,")
        archive.writestr(f"{info}/RECORD", "\n".join(records) + "\n")
    return wheel_path


def build(target: Path) -> int:
    target.mkdir(parents=True, exist_ok=True)
    return sum(1 for dist in metadata.distributions() if repack(dist, target) is not None)
