"""The package's folders are the architecture, and imports run one way between them.

Ranks (README "Architecture"): a module imports only from its own folder or from a folder
of a lower rank, and no two modules import each other, even through others (a circle), even
under `TYPE_CHECKING` or inside a function. The expected ranks are written here, not read
from the package, so moving a module into the wrong folder fails.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "constructs" / "flyte_gcp"
README = Path(__file__).resolve().parent.parent / "README.md"
RANKS = {"facts": 0, "cdk": 0, "config": 1, "values": 2, "policy": 2, "cli": 2, "gcp": 3, "k8s": 3, "layers": 4, "": 5}
MAX_MODULES_PER_FOLDER = 12


def module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def folder(module: str) -> str:
    """The module's folder under flyte_gcp ('' for the top: the package itself and stack.py)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in RANKS and parts[1] != "stack") else ""


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Every flyte_gcp module a file imports, anywhere in it (`from flyte_gcp.x import y`: y when it is a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("flyte_gcp")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("flyte_gcp"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in known else node.module)
    return found & known


def graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    files = {module_name(p, package): p for p in package.rglob("*.py")}
    return {m: imports_of(p, set(files)) - {m} for m, p in files.items()}


def rank_violations(edges: dict[str, set[str]]) -> list[str]:
    bad = []
    for module, targets in edges.items():
        for target in targets:
            a, b = folder(module), folder(target)
            if a != b and (target == "flyte_gcp" or RANKS[b] >= RANKS[a]):
                bad.append(f"{module} -> {target} ({a or 'top'} rank {RANKS[a]} may not import {b or 'top'} rank {RANKS[b]})")
    return sorted(bad)


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_import_circle():
    assert circles(graph()) == []


def test_imports_run_one_way_between_folders():
    assert rank_violations(graph()) == []


def test_every_folder_has_a_rank_and_at_most_a_dozen_modules():
    folders = {p.name: p for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert set(folders) == set(RANKS) - {""}
    for name, path in folders.items():
        modules = [p for p in path.glob("*.py") if p.name != "__init__.py"]
        assert len(modules) <= MAX_MODULES_PER_FOLDER, f"{name}/ holds {len(modules)} modules: split it"
        assert (path / "__init__.py").read_text().startswith('"""'), f"{name}/__init__.py says what the folder is for"


def test_the_readme_architecture_table_lists_the_folders_in_rank_order():
    section = README.read_text().split("## Architecture", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `flyte_gcp/(\w*)/?` \| (\d) \|", section, flags=re.M)
    assert {name: int(rank) for name, rank in rows} == RANKS


def test_a_circle_and_an_upward_import_are_found(tmp_path):
    pkg = tmp_path / "flyte_gcp"
    for sub, body in {
        "config/model.py": "from flyte_gcp.config import names\n",
        "config/names.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from flyte_gcp.config.model import Config\n",
        "facts/versions.py": "def f():\n    from flyte_gcp.gcp import sql\n",
        "gcp/sql.py": "",
    }.items():
        (pkg / sub).parent.mkdir(parents=True, exist_ok=True)
        (pkg / sub).write_text(body)
    edges = graph(pkg)
    assert circles(edges) == [["flyte_gcp.config.model", "flyte_gcp.config.names"]]
    assert rank_violations(edges) == ["flyte_gcp.facts.versions -> flyte_gcp.gcp.sql (facts rank 0 may not import gcp rank 3)"]
