#!/usr/bin/env python
"""flyte-gcp: synthesize one Terraform stack per environment file.

    python main.py                                  # every environments/*.yaml
    FLYTE_GCP_CONFIG=environments/prod.yaml python main.py   # just that file

Every file is validated before the CDKTF toolchain loads, so a config mistake is
reported in about a second, and nothing is written: an earlier `cdktf.out` stays as
it was. The output directory follows `CDKTF_OUTDIR`, as CDKTF does (default cdktf.out).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT / "constructs"), str(ROOT)]

from flyte_gcp.config import Config, ConfigError, load_config  # noqa: E402  (light: no CDKTF)

ENVIRONMENTS = ROOT / "environments"


def config_paths() -> list[Path]:
    single = os.environ.get("FLYTE_GCP_CONFIG")
    if single:
        return [Path(single)]
    paths = sorted(ENVIRONMENTS.glob("*.yaml"))
    if not paths:
        raise ConfigError(f"{ENVIRONMENTS}: no environment files (*.yaml)")
    return paths


def load_all() -> dict[str, Config]:
    """Validate every file; report every bad one, not just the first."""
    configs: dict[str, Config] = {}
    errors: list[str] = []
    for path in config_paths():
        try:
            configs[path.stem] = load_config(path)
        except ConfigError as err:
            errors.append(str(err))
    if errors:
        raise ConfigError("\n".join(errors))
    return configs


def synth(configs: dict[str, Config], outdir: Path) -> None:
    """Synthesize every stack into a staging directory, then publish it into `outdir`.

    CDKTF writes each stack as it goes and stops at the first stack with a policy error;
    staging keeps a failed synth from leaving `outdir` half-updated.
    """
    from flyte_gcp.toolchain import use_pinned_node

    use_pinned_node()
    from cdktf import App

    from flyte_gcp.stack import FlyteGcpStack

    outdir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{outdir.name}-", dir=outdir.parent))
    try:
        app = App(outdir=str(staging))
        for name, config in configs.items():
            state = os.path.relpath(ROOT / f"terraform.{name}.tfstate", outdir / "stacks" / name)
            FlyteGcpStack(app, name, config=config, local_state_path=state)
        app.synth()
        publish(staging, outdir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def publish(staging: Path, outdir: Path) -> None:
    """Move each synthesized file into place, leaving everything else in `outdir` alone
    (a stack directory's `.terraform/` after `terraform init`, for one)."""
    for source in sorted(p for p in staging.rglob("*") if p.is_file()):
        target = outdir / source.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)


def main() -> int:
    try:
        configs = load_all()
    except ConfigError as err:
        print(f"flyte-gcp: invalid configuration\n{err}", file=sys.stderr)
        return 2
    synth(configs, Path(os.environ.get("CDKTF_OUTDIR", "cdktf.out")).resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
