"""The one YAML loader we use: PyYAML's safe loader, the C one when it is built in."""

from __future__ import annotations

import yaml

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
