"""Derive tests/data/provider-v6.50.0.json from the google provider's source (run by hand).

    git clone --bare https://github.com/hashicorp/terraform-provider-google provider.git
    .venv/bin/python tests/data/derive_provider_data.py provider.git

Writes, for the schema files of the resources `facts/force_new.py` covers, every attribute
declared with `ForceNew: true` (path of nested blocks joined with dots, the attribute's line,
the ForceNew line), and the text of every line `facts/drift.py` and `facts/force_new.py` cite,
so the tests can hold the tables against the source without reading outside the repository.
The extraction follows the schema literals by indentation (gofmt tabs); it is checked in
tests/test_day2.py against rows written by hand.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

TAG = "v6.50.0"
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "constructs"))

from flyte_gcp.facts import drift, force_new  # noqa: E402

SCHEMA_FILES = sorted({row.source.split(":")[0] for row in force_new.FORCE_NEW + force_new.IN_PLACE})
ATTRIBUTE = re.compile(r'^(\t+)"([a-z0-9_]+)":\s*(\{|.*\(\),\s*$)')


def show(git_dir: str, path: str) -> list[str]:
    return subprocess.run(["git", "-C", git_dir, "show", f"{TAG}:{path}"], capture_output=True, text=True, check=True).stdout.split("\n")


def force_new_attributes(lines: list[str]) -> list[list]:
    """[path, attribute line, ForceNew line] for each `"name": {` block holding `ForceNew: true`."""
    stack: list[tuple[int, str, int]] = []  # (indent, name, line) of the open attribute blocks
    found = []
    for number, line in enumerate(lines, 1):
        match = ATTRIBUTE.match(line)
        indent = len(line) - len(line.lstrip("\t"))
        closing = line.strip().startswith("}")
        while stack and stack[-1][0] >= indent and (match or closing):
            if stack[-1][0] > indent:
                stack.pop()
                continue
            stack.pop()  # a sibling attribute, or the block's own closing brace
            break
        if match and match.group(3) == "{":
            stack.append((indent, match.group(2), number))
        if re.match(r"^\s*ForceNew:\s*true", line) and stack:
            found.append([".".join(name for _, name, _ in stack), stack[-1][2], number])
    return found


def cited_lines() -> dict[str, set[int]]:
    """Every `file:12, 34-36, 7@9` line cited by the tables."""
    cited: dict[str, set[int]] = {}
    sources = [row.source for row in drift.DRIFT + drift.REVIEWED + force_new.FORCE_NEW + force_new.IN_PLACE]
    for source in sources:
        for path, numbers in re.findall(r"(google/[\w/.]+\.go):([\d@\-, ]+)", source):
            for a, b in re.findall(r"(\d+)(?:[-@](\d+))?", numbers):
                first, last = int(a), int(b or a)
                # a short range whole, a long one (a block reviewed) by its first and last line
                cited.setdefault(path, set()).update(range(first, last + 1) if last - first <= 30 else (first, last))
    return cited


def main(git_dir: str) -> None:
    cited = cited_lines()
    data = {"tag": TAG, "force_new": {}, "lines": {}}
    for path in sorted(set(SCHEMA_FILES) | set(cited)):
        lines = show(git_dir, path)
        if path in SCHEMA_FILES:
            data["force_new"][path] = force_new_attributes(lines)
        data["lines"][path] = {str(n): lines[n - 1] for n in sorted(cited.get(path, ()))}
    out = Path(__file__).with_name(f"provider-{TAG}.json")
    out.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1])
