#!/usr/bin/env python
"""flyte-gcp: synthesize one Terraform stack per environment file.

    python main.py                       # every environments/*.yaml and *.yml (the example when none)
    python main.py prod staging          # environments/prod.yaml and staging.yaml only
    python main.py path/to/file.yaml     # any file; the stack is named after it
    FLYTE_GCP_CONFIG=path/to/file.yaml python main.py   # not together with names
    python main.py --bootstrap prod      # the stack prod-bootstrap: deployer, state bucket, federation

Every file is validated, and the files are checked against each other, before the CDK
toolchain (cdktf or cdktn: flyte_gcp/cdk/toolchain.py) loads, so a config mistake is
reported in about a second, and nothing is written: an earlier output directory stays as
it was. `--help` loads nothing either.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT / "constructs"), str(ROOT)]

from flyte_gcp import __version__  # noqa: E402  (a constant: loads nothing)
from flyte_gcp.cdk import ToolchainError  # noqa: E402  (light: the toolchain loads in synth)
from flyte_gcp.cli import output, replacements  # noqa: E402  (light: no CDKTF)
from flyte_gcp.config import capacity, environments  # noqa: E402
from flyte_gcp.values import scheduling  # noqa: E402
from flyte_gcp.config.model import Config  # noqa: E402
from flyte_gcp.config.loader import ConfigError  # noqa: E402

ENVIRONMENTS = ROOT / "environments"
EXAMPLES = ROOT / "examples"

EPILOG = """\
A name is looked up as environments/<name>.yaml or .yml, then examples/<name>.yaml.
Without arguments (and without FLYTE_GCP_CONFIG) every file in environments/ is
synthesized, or examples/example.yaml while environments/ holds none; only then are stack
folders that no file produces any more reported as stale (removed when they hold nothing
but synth output). A summary line per stack follows a successful synth, then a line per
stateful or slow resource the new JSON would replace or destroy (compared with the JSON it
overwrote).

--bootstrap ENV synthesizes only <ENV>-bootstrap (local state in terraform.<ENV>-bootstrap.tfstate):
apply it once with Owner (cd cdktf.out/stacks/<ENV>-bootstrap && terraform init && terraform apply)
before the environment's stack runs in Terraform Cloud or CI; README "Running in Terraform Cloud / CI"."""


@dataclass
class Selection:
    """The files one run synthesizes. `complete`: the whole default set, so a stack folder
    no file produced is stale (naming some environments says nothing about the others)."""

    paths: list[Path]
    complete: bool
    notes: list[str] = field(default_factory=list)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="Synthesize Terraform JSON for Flyte on GCP: one stack per environment file.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "environments",
        nargs="*",
        metavar="ENVIRONMENT",
        help="an environment name (prod) or a path to a YAML file; default: every file in environments/",
    )
    parser.add_argument(
        "--bootstrap",
        metavar="ENVIRONMENT",
        help="synthesize only the bootstrap stack <name>-bootstrap of this environment (a name or a file)",
    )
    parser.add_argument(
        "--outdir",
        type=Path,
        default=Path(os.environ.get("CDKTF_OUTDIR", "cdktf.out")),
        help="output directory (default: $CDKTF_OUTDIR, else cdktf.out)",
    )
    parser.add_argument("--version", action="version", version=f"flyte-gcp {__version__}", help="print the version and exit (CHANGELOG.md)")
    args = parser.parse_args(argv)
    if args.bootstrap and args.environments:
        parser.error("--bootstrap takes one environment; name no others")
    return args


def select(names: list[str]) -> Selection:
    single = os.environ.get("FLYTE_GCP_CONFIG")
    if names and single:
        raise ConfigError(
            f"FLYTE_GCP_CONFIG={single} and {' '.join(names)} on the command line: one run takes one or the other; "
            "unset FLYTE_GCP_CONFIG, or name no environment"
        )
    if names:
        return Selection([environments.resolve(n, ENVIRONMENTS, EXAMPLES) for n in names], complete=False)
    if single:
        return Selection([Path(single)], complete=False)
    files = environments.environment_files(ENVIRONMENTS)
    if files:
        return Selection([Path(output.shown(p)) for p in files], complete=True)
    example = EXAMPLES / f"{environments.DEFAULT_EXAMPLE}.yaml"
    note = (
        f"{output.shown(ENVIRONMENTS)}/ holds no *.yaml or *.yml: synthesizing the example "
        f"{output.shown(example)} (copy it to environments/<name>.yaml to make your own)"
    )
    return Selection([Path(output.shown(example))], complete=True, notes=[note])


def synth(configs: dict[str, Config], outdir: Path, *, bootstrap: bool = False) -> list[str]:
    """Synthesize every stack into a staging directory, then publish it into `outdir`.
    With `bootstrap`, each environment's bootstrap stack instead. Returns the stack names.

    CDKTF writes each stack as it goes and stops at the first stack with a policy error;
    staging keeps a failed synth from leaving `outdir` half-updated.
    """
    from flyte_gcp.cdk.toolchain import App  # pins Node.js for jsii, loads the framework and the providers

    from flyte_gcp.bootstrap_stack import BootstrapStack
    from flyte_gcp.stack import FlyteGcpStack

    outdir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{outdir.name}-", dir=outdir.parent))
    stacks = []
    try:
        app = App(outdir=str(staging))
        for name, config in configs.items():
            stack_class, name = (BootstrapStack, environments.bootstrap_stack(name)) if bootstrap else (FlyteGcpStack, name)
            state = os.path.relpath(ROOT / f"terraform.{name}.tfstate", outdir / "stacks" / name)
            stack_class(app, name, config=config, local_state_path=state)
            stacks.append(name)
        app.synth()
        publish(staging, outdir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return stacks


def publish(staging: Path, outdir: Path) -> None:
    """Move each synthesized file into place, leaving everything else in `outdir` alone
    (a stack directory's `.terraform/` after `terraform init`, for one)."""
    for source in sorted(p for p in staging.rglob("*") if p.is_file()):
        target = outdir / source.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        selection = select([args.bootstrap] if args.bootstrap else args.environments)
        configs = environments.load_all(selection.paths)
    except ConfigError as err:
        print(f"flyte-gcp: invalid configuration\n{err}", file=sys.stderr)
        return 2
    outdir = args.outdir.resolve()
    for note in selection.notes:
        print(note)
    names = [environments.bootstrap_stack(n) for n in configs] if args.bootstrap else list(configs)
    before = replacements.previous(outdir, names)  # read before the synth overwrites it
    try:
        stacks = synth(configs, outdir, bootstrap=bool(args.bootstrap))
    except ToolchainError as err:  # FLYTE_GCP_TOOLCHAIN names one this environment does not have
        print(f"flyte-gcp: {err}", file=sys.stderr)
        return 3
    for line in output.summary(outdir, stacks):
        print(line)
    for line in replacements.announce(outdir, before):
        print(line)
    for name, config in configs.items() if not args.bootstrap else ():
        for warning in scheduling.warnings(capacity.pool_traits(config)):
            print(f"{name}: warning: {warning}")
    if selection.complete:
        produced = [*configs, *(environments.bootstrap_stack(name) for name in configs)]
        for line in output.clean_stale(outdir, produced, ROOT):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
