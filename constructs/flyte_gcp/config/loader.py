"""Loading one environment file: YAML in, a validated ``Config`` out, or every problem in words.

The model (`model`) checks each field and section; the rules that span sections
(`checks`) run once it holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from flyte_gcp.config import checks
from flyte_gcp.config import hints as yaml_hints
from flyte_gcp.config.model import Config


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file, the field and the reason."""


def _location(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item in ("local", "gcs", "cloud") and parts and parts[-1] == "backend":
            continue  # the discriminator's branch name, not a key the user wrote
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def _describe(err: dict[str, Any]) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown key (check the spelling; see the configuration reference in README.md)"
    if err["type"] == "missing":
        return "required key is missing"
    message = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message


def load_config(path: str | Path) -> Config:
    """Read and validate one environment file, or raise ConfigError naming file, field and reason."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot read ({err.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ConfigError(f"{path}:{where}: invalid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top level")
    lines = [f"{path}: {problem}" for problem in yaml_hints.duplicate_keys(text)]
    try:
        config = Config.model_validate(data)
    except ValidationError as err:
        sources = yaml_hints.scalars(text)
        for e in err.errors():
            where = _location(e["loc"])
            hint = yaml_hints.hint(where, e["type"], e.get("input"), sources)
            for reason in _describe(e).split("\n"):  # a model check reports one problem per line
                lines.append(f"{path}: {where + ': ' if where else ''}{reason}{f' ({hint})' if hint else ''}")
    else:
        lines += [f"{path}: {problem}" for problem in checks.problems(config)]
    if lines:
        raise ConfigError("\n".join(lines))
    return config
