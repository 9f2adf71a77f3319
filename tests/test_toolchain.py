"""One module knows the toolchain (issue 22): `flyte_gcp/cdk/toolchain.py`, and nothing else names its packages.

The scan reads every Python file of the repository (the package, the tests, the kubectl
bindings, the scripts, main.py) and reports each import of the framework (`cdktf`, `cdktn`),
of the `constructs` library, of a prebuilt provider package (`cdktf_cdktf_provider_*`,
`cdktn_provider_*`) or of the loader behind the toolchain module, and each
`importlib.import_module("...")` / `__import__` / `find_spec` naming one; only the toolchain
module may. `/work/wt/toolchain_rewrite.py`-style rewriting turns such imports into
`from flyte_gcp.cdk.toolchain import ...` and `from flyte_gcp.cdk.toolchain.<provider>.<module> import ...`.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import EXAMPLE, ROOT, resources

from flyte_gcp.cdk import ToolchainError, toolchain

ALLOWED = Path("constructs/flyte_gcp/cdk/toolchain.py")
_NAMED = re.compile(r"^(cdktf|cdktn|constructs|cdktf_cdktf_provider_\w+|cdktn_provider_\w+|flyte_gcp\.cdk\.providers)(\.|$)")
_SKIPPED_DIRS = {"cdktf.out", "__pycache__", "node_modules"}


def python_files(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("*.py")
        if not any(part.startswith(".") or part in _SKIPPED_DIRS for part in p.relative_to(root).parts[:-1])
    )


def toolchain_names(path: Path, root: Path) -> list[str]:
    """`file:line: what` for every place a file names a toolchain package."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + ([f"{node.module}.{a.name}" for a in node.names] if node.module == "flyte_gcp.cdk" else [])
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("import_module", "__import__", "find_spec"):
                names = [node.args[0].value]
        found += [f"{path.relative_to(root)}:{node.lineno}: {name}" for name in names if _NAMED.match(name)]
    return found


def violations(root: Path) -> list[str]:
    return [v for p in python_files(root) if p.relative_to(root) != ALLOWED for v in toolchain_names(p, root)]


def test_only_the_toolchain_module_names_the_toolchain_packages():
    assert len(python_files(ROOT)) > 80  # the scan sees the repository, not an empty directory
    assert violations(ROOT) == []


def test_a_file_naming_the_toolchain_is_found(tmp_path):
    planted = tmp_path / "constructs" / "flyte_gcp" / "gcp" / "planted.py"
    planted.parent.mkdir(parents=True)
    planted.write_text(
        "import importlib\n"
        "import flyte_gcp.cdk.providers  # noqa: F401\n"
        "from cdktf import TerraformStack\n"
        "from constructs import Construct\n"
        "from cdktf_cdktf_provider_google.storage_bucket import StorageBucket\n"
        "import cdktn_provider_helm.release as helm\n"
        "from flyte_gcp.cdk import providers\n"
        "def f():\n"
        "    import cdktn\n"
        "    return importlib.import_module('cdktf_cdktf_provider_random')\n"
        "from flyte_gcp.cdk.toolchain import TerraformStack as Fine\n"
        "from flyte_gcp.cdk.toolchain.google.storage_bucket import StorageBucket as AlsoFine\n"
    )
    (tmp_path / ALLOWED).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / ALLOWED).write_text("import cdktf\nimport cdktn_provider_google\n")
    hidden = tmp_path / ".venv" / "lib" / "site.py"
    hidden.parent.mkdir(parents=True)
    hidden.write_text("import cdktf\n")
    where = "constructs/flyte_gcp/gcp/planted.py"
    assert violations(tmp_path) == [
        f"{where}:2: flyte_gcp.cdk.providers",
        f"{where}:3: cdktf",
        f"{where}:4: constructs",
        f"{where}:5: cdktf_cdktf_provider_google.storage_bucket",
        f"{where}:6: cdktn_provider_helm.release",
        f"{where}:7: flyte_gcp.cdk.providers",
        f"{where}:9: cdktn",
        f"{where}:10: cdktf_cdktf_provider_random",
    ]


def _installed(*packages: str):
    return lambda package: package in packages


def test_the_toolchain_is_the_installed_one_unless_named():
    cdktf, cdktn = toolchain.FRAMEWORKS["cdktf"], toolchain.FRAMEWORKS["cdktn"]
    assert toolchain.choose({}, _installed(cdktf)) == "cdktf"
    assert toolchain.choose({}, _installed(cdktn)) == "cdktn"
    assert toolchain.choose({}, _installed(cdktf, cdktn)) == "cdktf"  # the default wins when both are there
    assert toolchain.choose({"FLYTE_GCP_TOOLCHAIN": "cdktn"}, _installed(cdktf, cdktn)) == "cdktn"


def test_a_missing_or_unknown_toolchain_is_an_error_that_says_what_to_do():
    with pytest.raises(ToolchainError, match=r"FLYTE_GCP_TOOLCHAIN=cdktn, but its package cdktn is not installed .*make install TOOLCHAIN=cdktn"):
        toolchain.choose({"FLYTE_GCP_TOOLCHAIN": "cdktn"}, _installed("cdktf"))
    with pytest.raises(ToolchainError, match=r"FLYTE_GCP_TOOLCHAIN=cdk: unknown toolchain \(one of: cdktf, cdktn\)"):
        toolchain.choose({"FLYTE_GCP_TOOLCHAIN": "cdk"}, _installed("cdktf"))
    with pytest.raises(ToolchainError, match=r"no CDK toolchain is installed .*make install"):
        toolchain.choose({}, _installed())


def test_main_reports_a_toolchain_it_cannot_load_and_writes_nothing(tmp_path):
    env = {**os.environ, "FLYTE_GCP_TOOLCHAIN": "cdk", "FLYTE_GCP_CONFIG": str(EXAMPLE), "CDKTF_OUTDIR": str(tmp_path / "out")}
    result = subprocess.run([sys.executable, str(ROOT / "main.py")], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 3
    assert result.stderr == "flyte-gcp: FLYTE_GCP_TOOLCHAIN=cdk: unknown toolchain (one of: cdktf, cdktn)\n"
    assert list(tmp_path.iterdir()) == []


def test_a_provider_alias_is_the_provider_module_itself():
    alias = importlib.import_module("flyte_gcp.cdk.toolchain.google.storage_bucket")
    real = importlib.import_module(f"{toolchain.PROVIDER_PACKAGES[toolchain.NAME]['google']}.storage_bucket")
    assert alias is real  # one copy of every jsii class
    assert real.__spec__.name == real.__name__  # the import system's alias spec was put back
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("flyte_gcp.cdk.toolchain.gooogle.storage_bucket")


def test_namespace_metadata_and_its_name_on_either_toolchain():
    from support import synth

    from flyte_gcp.cdk.toolchain import TerraformOutput, TerraformStack, Testing
    from flyte_gcp.cdk.toolchain.kubernetes.namespace_v1 import NamespaceV1
    from flyte_gcp.cdk.toolchain.kubernetes.provider import KubernetesProvider

    stack = TerraformStack(Testing.app(), "ns")
    KubernetesProvider(stack, "kubernetes")
    namespace = NamespaceV1(stack, "team", metadata=toolchain.namespace_metadata(name="team-a"))
    TerraformOutput(stack, "name", value=toolchain.namespace_name(namespace))
    doc = synth(stack)
    (synthesized,) = resources(doc, "kubernetes_namespace_v1").values()
    assert synthesized["metadata"] in ({"name": "team-a"}, [{"name": "team-a"}])  # 2.x: an object; 3.x: a list of one
    assert isinstance(synthesized["metadata"], list) == (toolchain.NAME == "cdktn")
    assert doc["output"]["name"]["value"] == "${kubernetes_namespace_v1.team.metadata[0].name}"
    json.dumps(doc)  # plain JSON, nothing left unresolved
