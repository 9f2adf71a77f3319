"""What a Helm chart does with a value before Flyte reads it: a small model, for the invariants.

`helm_tpl` models Helm's `tpl` on one string: a Go-template action whose whole content is a
string literal (`{{ "{{" }}`, `` {{ `x` }} ``) renders as the literal; any other action is
evaluated against the chart's context, where Flyte's placeholders (`.namespace`, `.podName`)
do not exist, so it is consumed. The scanner reads quoted strings inside actions as Go's
lexer does, so `{{ "}}" }}` is one action.

`TPL_EXEMPT` lists, per chart, the value paths its templates emit WITHOUT `tpl` (read from the
v1.16.8 templates named beside each). Every other value is treated as passed through `tpl`:
most of both charts' configuration is (`tpl (toYaml .) $` in flyte-core's configmaps,
`tpl ( .Values.configuration.inline | toYaml )` in flyte-binary's), so this errs on the safe side.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

TPL_EXEMPT = {
    # clusterresourcesync/cluster_resource_configmap.yaml: `{{ .value | nindent 4 }}`, no tpl;
    # its `{{ namespace }}` placeholders are flyteadmin's own template syntax.
    "flyte-core": ("cluster_resource_manager.templates",),
    # cluster-resource-templates.yaml: `toYaml .Values.clusterResourceTemplates.inline`, no tpl;
    # configmap.yaml: logging plugins via `include "flyte-binary.configuration.logging.plugins"`, no tpl.
    "flyte-binary": ("clusterResourceTemplates.inline", "configuration.logging"),
}


class TemplateActions(Exception):
    """A value holds actions that `tpl` would evaluate (and Flyte's placeholders would be lost)."""


def _scan_action(text: str, start: int) -> tuple[str, int]:
    """The content of the action opening at `start` (`{{`), and the index after its `}}`."""
    i = start + 2
    content = []
    while i < len(text):
        if text.startswith("}}", i):
            return "".join(content), i + 2
        ch = text[i]
        if ch in "\"`":
            end = i + 1
            while end < len(text) and text[end] != ch:
                end += 2 if ch == '"' and text[end] == "\\" else 1
            content.append(text[i : end + 1])
            i = end + 1
            continue
        content.append(ch)
        i += 1
    raise TemplateActions(f"unclosed action in {text!r}")


def _literal(content: str) -> str | None:
    content = content.strip().removeprefix("-").removesuffix("-").strip()
    if len(content) >= 2 and content[0] == content[-1] and content[0] in "\"`":
        body = content[1:-1]
        return body.encode().decode("unicode_escape") if content[0] == '"' else body
    return None


def helm_tpl(text: str) -> str:
    """`text` as `tpl` renders it; raises TemplateActions naming any action that is not a literal."""
    out, i, consumed = [], 0, []
    while (start := text.find("{{", i)) != -1:
        out.append(text[i:start])
        content, i = _scan_action(text, start)
        literal = _literal(content)
        if literal is None:
            consumed.append("{{" + content + "}}")
        else:
            out.append(literal)
    out.append(text[i:])
    if consumed:
        raise TemplateActions(f"tpl would evaluate {consumed} in {text!r}")
    return "".join(out)


def string_leaves(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, v in value.items():
            yield from string_leaves(v, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from string_leaves(v, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value


def tpl_traps(chart: str, chart_values: dict[str, Any]) -> list[str]:
    """Every value the chart passes through `tpl` that `tpl` would change other than by unescaping."""
    traps = []
    for path, text in string_leaves(chart_values):
        if path.startswith(TPL_EXEMPT[chart]):
            continue
        try:
            helm_tpl(text)
        except TemplateActions as err:
            traps.append(f"{path}: {err}")
    return traps
