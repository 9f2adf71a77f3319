#!/usr/bin/env python
"""Derive, from a pinned chart's templates, the labels and container ports of the pods we scrape.

The tests never read the charts (a user's clone has none): `tests/test_scrape.py` reads what
this script writes into `chart-pods.json` beside it. Unpack each chart at its pinned version
(flyteorg/flyte `charts/flyte-core` and `charts/flyte-binary` at v1.16.8, nginx/kubernetes-ingress
`charts/nginx-ingress` at v5.5.4 = chart 2.6.4, cert-manager/cert-manager
`deploy/charts/cert-manager` at v1.21.1, codecentric/helm-charts `charts/keycloakx` at
keycloakx-7.1.11), then:

    python tests/data/derive_pod_data.py <chart> <chart dir> <version>

For each pod it reads the workload template's pod `labels:` block and the first container's
`ports:` block, expands `include`/`template` from `_helpers.tpl`, and records every line with
the `if`/`with` conditions around it (`.Values` paths, `!` for an `else` branch):

- labels: `{"key": value}` with `<release>` for `.Release.Name`, kept when their conditions
  hold with the chart's default values (the conditions are written beside them);
- ports: `{"name", "containerPort", "when"}`; a port taken from a value is `{"values": path,
  "default": n}`, so a test can apply the release's own values;
- condition_defaults: the chart's default for every value a condition reads.
Only the branch the chart's defaults take is rendered.

It understands only what these templates use; anything else stops it with the line it met.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
OUT = HERE / "chart-pods.json"
# pod -> (workload template, the text after which its pod `labels:` block starts)
PODS = {
    "flyte-core": {
        "flyteadmin": "templates/admin/deployment.yaml",
        # the `else` branch of `if .Values.flytepropeller.manager` (false by default)
        "flytepropeller": ("templates/propeller/deployment.yaml", "{{- else }}\n      labels:"),
        "datacatalog": "templates/datacatalog/deployment.yaml",
        "flytescheduler": "templates/flytescheduler/deployment.yaml",
    },
    "flyte-binary": {"flyte-binary": "templates/deployment.yaml"},
    "nginx-ingress": {"controller": "templates/controller-deployment.yaml"},
    "cert-manager": {"controller": "templates/deployment.yaml"},
    "keycloakx": {"keycloak": "templates/statefulset.yaml"},
}
ACTION = re.compile(r"\{\{(-?)\s*(.*?)\s*(-?)\}\}", re.S)
BLOCK_OPEN = re.compile(r"^(if|with|range|define)\b")


def defines(helpers: str) -> dict[str, str]:
    """`define` bodies of a helpers file, nesting-aware."""
    out, pos = {}, 0
    while (m := re.search(r'\{\{-?\s*define\s+"([^"]+)"\s*-?\}\}', helpers[pos:])) is not None:
        start = pos + m.end()
        depth, i = 1, start
        for a in ACTION.finditer(helpers, start):
            word = a.group(2).split(" ")[0]
            depth += 1 if BLOCK_OPEN.match(word) else -1 if word == "end" else 0
            if depth == 0:
                body = helpers[start : a.start()]
                body = body.lstrip() if m.group(0).endswith("-}}") else body
                out[m.group(1)] = body.rstrip() if a.group(1) else body
                i = a.end()
                break
        pos = i
    return out


def lookup(values: dict[str, Any], path: str) -> Any:
    value: Any = values
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


class Renderer:
    """Renders a snippet into (line, conditions) pairs."""

    def __init__(self, chart: str, helpers: dict[str, str], values: dict[str, Any]) -> None:
        self.chart, self.helpers, self.values = chart, helpers, values

    def scalar(self, expr: str) -> str:
        expr = expr.strip()
        first = expr.split("|")[0].strip()
        if m := re.fullmatch(r'(?:include|template)\s+"([^"]+)"\s+\$?\.?', first):
            return "".join(line for line, _ in self.render(self.helpers[m.group(1)], [])).strip()
        if first == ".Release.Name":
            return "<release>"
        if first == ".Release.Service":
            return "Helm"
        if ".Chart.Version" in first or ".Chart.AppVersion" in first:
            return "<chart version>"
        if first.startswith("default .Chart.Name .Values.nameOverride"):
            return self.chart
        if m := re.fullmatch(r"\.Values\.([\w.]+)", first):
            return "$values:" + m.group(1)
        if m := re.fullmatch(r"tpl \.Values\.([\w.]+) \$", first):
            return "$values:" + m.group(1)
        if m := re.fullmatch(r'index \.Values\.([\w.]+) "([\w-]+)"', first):
            return f"$values:{m.group(1)}.{m.group(2)}"
        raise ValueError(f"cannot evaluate {{{{ {expr} }}}}")

    def render(self, text: str, when: list[str]) -> list[tuple[str, list[str]]]:
        out: list[tuple[str, list[str]]] = []
        pos, trim_after = 0, False
        for a in list(ACTION.finditer(text)):
            if a.start() < pos:
                continue
            if trim_after:
                skipped = len(text[pos:a.start()]) - len(text[pos:a.start()].lstrip())
                pos += skipped
            before = text[pos : a.start()]
            out.append((before.rstrip() if a.group(1) else before, list(when)))
            trim_after = bool(a.group(3))
            body = a.group(2)
            word = body.split(" ")[0]
            if word in ("if", "with", "range"):
                inner, rest_at, branches = self._block(text, a.end())
                cond = body.split(" ", 1)[1]
                if word == "range":
                    out += self._range(cond, branches[0], when)
                elif holds(self.values, cond):  # only the branch the defaults take is rendered
                    out += self.render(branches[0], [*when, cond])
                elif len(branches) > 1:
                    out += self.render(branches[1], [*when, "!" + cond])
                pos = rest_at
                continue
            if word.startswith("/*"):
                pos = a.end()
                continue
            if m := re.match(r'(?:include|template)\s+"([^"]+)"\s+\$?\.?\s*(\|\s*nindent\s+\d+)?\s*$', body):
                # inline, so the included lines keep the conditions around them
                out += [("\n", list(when))] if m.group(2) else []
                out += self.render(self.helpers[m.group(1)], when)
                pos = a.end()
                continue
            if "toYaml" in body or "nindent" in body and "include" not in body:
                raise ValueError(f"cannot evaluate {{{{ {body} }}}}")
            out.append((self.scalar(body), list(when)))
            pos = a.end()
        out.append((text[pos:].lstrip() if trim_after else text[pos:], list(when)))
        return out

    def _range(self, cond: str, body: str, when: list[str]) -> list[tuple[str, list[str]]]:
        """`range $key, $value := .Values.x` over a map: the body once per entry."""
        names, _, source = cond.partition(":=")
        items = lookup(self.values, source.strip().removeprefix(".Values.")) or {}
        key_var, value_var = (n.strip() for n in names.split(","))
        out = []
        for k, v in items.items():
            text = re.sub(r"\{\{-?\s*\%s\s*-?\}\}" % key_var, str(k), body)
            text = re.sub(r"\{\{-?\s*\%s\s*-?\}\}" % value_var, str(v), text)
            out += self.render(re.sub(r"\%s\b" % key_var, f'"{k}"', text), when)
        return out

    def _block(self, text: str, start: int) -> tuple[str, int, list[str]]:
        depth, branches, branch_start = 1, [], start
        for a in ACTION.finditer(text, start):
            word = a.group(2).split(" ")[0]
            if BLOCK_OPEN.match(word):
                depth += 1
            elif word == "end":
                depth -= 1
                if depth == 0:
                    branches.append(text[branch_start : a.start()])
                    return text[start : a.start()], a.end(), branches
            elif word == "else" and depth == 1:
                branches.append(text[branch_start : a.start()])
                branch_start = a.end()
        raise ValueError("unclosed block")


def _split(expr: str) -> list[str]:
    """Top-level words of a template expression (parentheses and quotes kept together)."""
    words, depth, current, quoted = [], 0, "", False
    for ch in expr.strip():
        if ch == '"':
            quoted = not quoted
        depth += (ch == "(") - (ch == ")") if not quoted else 0
        if ch == " " and depth == 0 and not quoted:
            words.append(current) if current else None
            current = ""
        else:
            current += ch
    return [*words, current] if current else words


def evaluate(values: dict[str, Any], expr: str) -> Any:
    """The subset of template expressions these charts' conditions use."""
    expr = expr.strip()
    if "|" in _split(expr):
        words = _split(expr)
        head, pipe = " ".join(words[: words.index("|")]), " ".join(words[words.index("|") + 1 :])
        fn = _split(pipe)
        if fn[0] != "default":
            raise ValueError(f"cannot evaluate {expr!r}")
        return evaluate(values, head) or evaluate(values, fn[1])
    words = _split(expr)
    if len(words) == 1:
        word = words[0]
        if word.startswith("("):
            return evaluate(values, word[1:-1])
        if word.startswith('"'):
            return word[1:-1]
        if word.lstrip("$").startswith(".Values."):
            return lookup(values, word.lstrip("$").removeprefix(".Values."))
        raise ValueError(f"cannot evaluate {expr!r}")
    fn, args = words[0], [evaluate(values, w) for w in words[1:]]
    if fn == "index":
        return (args[0] or {}).get(args[1])
    ops = {"and": lambda a: all(a), "or": lambda a: any(a), "not": lambda a: not a[0], "eq": lambda a: a[0] == a[1], "ne": lambda a: a[0] != a[1]}
    if fn not in ops:
        raise ValueError(f"cannot evaluate {expr!r}")
    return ops[fn](args)


def holds(values: dict[str, Any], cond: str) -> bool:
    negate = cond.startswith("!")
    return bool(evaluate(values, cond.lstrip("!"))) != negate


def lines_of(rendered: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """Join rendered pieces into lines, each with the conditions of its pieces."""
    out, current, conds = [], "", []
    for piece, when in rendered:
        for i, part in enumerate(piece.split("\n")):
            if i:
                out.append((current, conds))
                current, conds = "", []
            current += part
            if part.strip():
                conds = sorted(set(conds) | set(when))
    out.append((current, conds))
    return [(line.strip(), c) for line, c in out if line.strip()]


def block(template: str, anchor: str, key: str) -> str:
    """The text of the `key:` block after `anchor` (up to the next key at its indentation or less)."""
    start = template.index(anchor)
    m = re.compile(rf"^(\s*){key}:(.*)$", re.M).search(template, start)
    indent = len(m.group(1))
    lines = [m.group(2)]
    for line in template[m.end() + 1 :].split("\n"):
        stripped = line.strip()
        depth_here = len(line) - len(line.lstrip())
        if stripped and not stripped.startswith("{{") and (depth_here < indent or (depth_here == indent and not stripped.startswith("- "))):
            break
        lines.append(line)
    # Actions at the block's end may open the next block's conditions: keep the balanced part.
    depth, balanced = 0, 0
    for i, line in enumerate(lines):
        for a in ACTION.finditer(line):
            word = a.group(2).split(" ")[0]
            depth += 1 if BLOCK_OPEN.match(word) else -1 if word == "end" else 0
        if depth == 0:
            balanced = i + 1
    return "\n".join(lines[:balanced])


def pod(chart_dir: Path, where: str | tuple[str, str], values: dict[str, Any], r: Renderer) -> dict[str, Any]:
    template, anchor = (where, "  template:") if isinstance(where, str) else where
    text = (chart_dir / template).read_text()
    labels, when = {}, {}
    for line, conds in lines_of(r.render(block(text, anchor, "labels"), [])):
        if not all(holds(values, c) for c in conds):
            continue
        key, _, value = line.partition(":")
        labels[key.strip()] = value.strip().strip('"')
        when[key.strip()] = conds
    ports: list[dict[str, Any]] = []
    for line, conds in lines_of(r.render(block(text, "containers:", "ports"), [])):
        if line.startswith("- "):
            ports.append({"name": None, "when": conds})
            line = line[2:].strip()
        key, _, value = line.partition(":")
        value = value.strip().strip("'\"")
        if key in ("name", "containerPort"):
            symbolic = value.startswith("$values:")
            resolved = {"values": value[8:], "default": lookup(values, value[8:])} if symbolic else value
            ports[-1][key] = int(resolved) if key == "containerPort" and not symbolic else resolved
    conditions = [c for cs in [*when.values(), *(p["when"] for p in ports)] for c in cs]
    paths = {m for c in conditions for m in re.findall(r"\.Values\.([\w.-]+)", c)}
    defaults = {path: lookup(values, path) for path in sorted(paths)}
    return {"template": template, "labels": labels, "label_conditions": when, "ports": ports, "condition_defaults": defaults}


def main(chart: str, chart_dir: str, version: str) -> None:
    root = Path(chart_dir)
    values = yaml.safe_load((root / "values.yaml").read_text())
    r = Renderer(chart, defines((root / "templates" / "_helpers.tpl").read_text()), values)
    data = json.loads(OUT.read_text()) if OUT.exists() else {}
    data[chart] = {"version": version, "pods": {name: pod(root, where, values, r) for name, where in PODS[chart].items()}}
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
