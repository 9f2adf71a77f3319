"""Loading one environment file: YAML in, a validated ``Config`` out, or every problem in words.

The model (`model`) checks each field and section; the rules that span sections
(`checks`) run once it holds. Each problem names the field, the value received and, where
one follows from it, the value to write: an unknown key or choice gets the closest known
one, a number written as text gets the number, a tab gets what YAML wants instead.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from flyte_gcp.config import checks
from flyte_gcp.config import hints as yaml_hints
from flyte_gcp.config.model import Config
from flyte_gcp.config.types import did_you_mean

_BACKEND_TAGS = ("local", "gcs", "cloud")


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file, the field and the reason."""


def _location(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item in _BACKEND_TAGS and parts and parts[-1] == "backend":
            continue  # the discriminator's branch name, not a key the user wrote
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation holds: itself, or inside Optional, Union, Annotated, list, dict."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def known_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys the model accepts where `loc`'s last key was written."""
    candidates: list[type[BaseModel]] = [Config]
    for item in loc[:-1]:
        fields = [m.model_fields[item] for m in candidates if isinstance(item, str) and item in m.model_fields]
        if fields:
            candidates = [m for f in fields for m in _models(f.annotation)]
        elif item in _BACKEND_TAGS:  # a discriminated union's branch
            candidates = [m for m in candidates if "type" in m.model_fields and item in typing.get_args(m.model_fields["type"].annotation)]
    return sorted({key for m in candidates for key in m.model_fields})


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if value is None:
        return "an empty value"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else repr(value)


def _number_fix(value: Any) -> str:
    try:
        number = float(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return ""
    return f"; write {int(number)}" if number is not None and number.is_integer() else ""


_BOOLEAN_WORDS = {"true": "true", "yes": "true", "on": "true", "y": "true", "false": "false", "no": "false", "off": "false", "n": "false"}


def _describe(err: dict[str, Any], unknown: dict[tuple[Any, ...], list[str]]) -> str:
    """One problem in words; `unknown`: the unknown keys written under each parent location."""
    kind, value, loc = err["type"], err.get("input"), err["loc"]
    if kind == "extra_forbidden":
        known = known_keys(loc)
        hint = did_you_mean(loc[-1], known) or f"; the keys here are {', '.join(known)}"
        return f"unknown key{hint} (see the configuration reference in README.md)"
    if kind == "missing":
        written = [k for k in unknown.get(loc[:-1], []) if did_you_mean(k, [loc[-1]])]
        return "required key is missing" + (f" (written as {written[0]!r}?)" if written else "")
    message = re.sub(r"^(Value error|Assertion failed), ", "", err["msg"])
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", err["ctx"]["expected"])
        return f"{message}, got {_shown(value)}{did_you_mean(value, choices)}"
    if kind == "string_pattern_mismatch":  # never show a regular expression: the field types say it in words
        return f"{_shown(value)} does not have the form this key takes (see the configuration reference in README.md)"
    if kind in ("int_type", "int_from_float", "int_parsing"):
        return f"{message}, got {_shown(value)}{_number_fix(value)}"
    if kind == "bool_type" and str(value).lower() in _BOOLEAN_WORDS:
        return f"{message}, got {_shown(value)}; write {_BOOLEAN_WORDS[str(value).lower()]} (unquoted)"
    if kind.endswith("_type"):
        return f"{message}, got {_shown(value)}"
    return message


def _yaml_problem(text: str, err: yaml.YAMLError) -> str:
    mark = getattr(err, "problem_mark", None)
    problem = getattr(err, "problem", None) or str(err)
    if mark is not None and "'\\t'" in problem:
        tab = yaml_hints.tab_problem(text, mark.line, mark.column)
        if tab:
            return tab
    where = f" line {mark.line + 1}, column {mark.column + 1}:" if mark else ""
    return f"{where} invalid YAML: {problem}".lstrip()


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
        raise ConfigError(f"{path}: {_yaml_problem(text, err)}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top level")
    lines = [f"{path}: {problem}" for problem in yaml_hints.duplicate_keys(text)]
    try:
        config = Config.model_validate(data)
    except ValidationError as err:
        sources = yaml_hints.scalars(text)
        unknown: dict[tuple[Any, ...], list[str]] = {}
        for e in err.errors():
            if e["type"] == "extra_forbidden":
                unknown.setdefault(e["loc"][:-1], []).append(str(e["loc"][-1]))
        for e in err.errors():
            where = _location(e["loc"])
            hint = yaml_hints.hint(where, e["type"], e.get("input"), sources)
            for reason in _describe(e, unknown).split("\n"):  # a model check reports one problem per line
                lines.append(f"{path}: {where + ': ' if where else ''}{reason}{f' ({hint})' if hint else ''}")
    else:
        lines += [f"{path}: {problem}" for problem in checks.problems(config)]
    if lines:
        raise ConfigError("\n".join(lines))
    return config
