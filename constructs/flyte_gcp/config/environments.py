"""Which environment files one synth reads, and the checks that need all of them at once.

Light like config.py (no CDKTF import): `main.py` runs all of this before the toolchain
loads. Each file is one stack named after the file (`prod.yaml` -> stack `prod`), so the
checks here are about files meeting each other: two files that would be the same stack,
two environments that would create the same resources in one GCP project, and two that
would serve the same hostname (one DNS name points at one load balancer and one certificate).
"""

from __future__ import annotations

import re
from pathlib import Path

from flyte_gcp.config.model import Config
from flyte_gcp.config.loader import ConfigError, load_config
from flyte_gcp.config.types import did_you_mean

SUFFIXES = (".yaml", ".yml")
DEFAULT_EXAMPLE = "example"
"""The example `make synth` falls back to while `environments/` holds no file."""
_STACK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
BOOTSTRAP_SUFFIX = "-bootstrap"


def bootstrap_stack(name: str) -> str:
    """The bootstrap stack of environment `name` (`main.py --bootstrap`): `<name>-bootstrap`."""
    return f"{name}{BOOTSTRAP_SUFFIX}"


def environment_files(directory: Path) -> list[Path]:
    """Every `*.yaml` and `*.yml` in `directory` (none when it does not exist), sorted."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix in SUFFIXES and p.is_file())


def resolve(argument: str, environments: Path, examples: Path) -> Path:
    """A command-line argument: a path to a file (`environments/prod` finds `prod.yaml` or
    `prod.yml` beside it), or a name looked up in `environments/`, then in `examples/` (so
    `python main.py example` works on a fresh clone)."""
    if "/" in argument or argument.endswith(SUFFIXES):
        return _existing_file(Path(argument))
    for directory in (environments, examples):
        for suffix in SUFFIXES:
            candidate = directory / f"{argument}{suffix}"
            if candidate.is_file():
                return candidate
    known = sorted({p.stem for d in (environments, examples) for p in environment_files(d)})
    raise ConfigError(
        f"{argument}: no such environment (looked for {environments.name}/{argument}.yaml or .yml, "
        f"then {examples.name}/{argument}.yaml); known: {', '.join(known) or 'none'}{did_you_mean(argument, known)}"
    )


def _existing_file(path: Path) -> Path:
    if path.is_file():
        return path
    if path.suffix not in SUFFIXES:
        for suffix in SUFFIXES:
            if (candidate := path.with_name(path.name + suffix)).is_file():
                return candidate
    tried = f" (nor {path.name}.yaml or .yml)" if path.suffix not in SUFFIXES else ""
    nearby = [str(p.parent / p.name) if str(path.parent) != "." else p.name for p in environment_files(path.parent)]
    raise ConfigError(f"{path}: file not found{tried}{did_you_mean(str(path), nearby)}")


def load_all(paths: list[Path]) -> dict[str, Config]:
    """Validate every file, then the files together; report every problem, not just the first.

    Returns the configs keyed by stack name, in the order of `paths`.
    """
    errors = _stack_name_problems(paths)
    loaded: dict[Path, Config] = {}
    for path in paths:
        try:
            loaded[path] = load_config(path)
        except ConfigError as err:
            errors.append(str(err))
    errors += collisions(loaded)
    if errors:
        raise ConfigError("\n".join(errors))
    return {path.stem: config for path, config in loaded.items()}


def _stack_name_problems(paths: list[Path]) -> list[str]:
    problems = []
    seen: dict[str, Path] = {}
    for path in paths:
        if not _STACK_NAME.match(path.stem):
            problems.append(
                f"{path}: the file name {path.stem!r} is not a usable stack name "
                "(letters, digits, '-' and '_'; starts with a letter or digit)"
            )
        if path.stem.endswith(BOOTSTRAP_SUFFIX):
            problems.append(
                f"{path}: the file name {path.stem!r} ends in {BOOTSTRAP_SUFFIX!r}, the name of an environment's "
                "bootstrap stack; rename the file"
            )
        if path.stem in seen:
            problems.append(f"{seen[path.stem]} and {path}: both would be the stack {path.stem!r}; rename one")
        seen.setdefault(path.stem, path)
    return problems


def collisions(loaded: dict[Path, Config]) -> list[str]:
    """Two environments in one project with the same `<application>-<environment>` would
    create resources of the same names (buckets, service accounts, roles, cluster): the
    second apply fails, or worse, takes over the first one's resources. Two environments
    serving one hostname would fight over its DNS record and certificate."""
    problems = []
    first: dict[tuple[str, str], Path] = {}
    hosts: dict[str, Path] = {}
    for path, config in loaded.items():
        key = (config.project_id, config.name_prefix)
        if key in first:
            problems.append(
                f"{first[key]} and {path}: both create {config.name_prefix!r} resources in project "
                f"{config.project_id!r}; change application or environment in one of them"
            )
        else:
            first[key] = path
        host = config.flyte_host
        if host in hosts:
            head, _, rest = host.partition(".")
            other = f"{head}-{re.sub(r'[^a-z0-9-]+', '-', path.stem.lower()).strip('-')}.{rest}"
            problems.append(
                f"{hosts[host]} and {path}: both serve the hostname {host!r} (one DNS record, one certificate); "
                f"set hostname: {other} in {path}"
            )
        else:
            hosts[host] = path
    return problems
