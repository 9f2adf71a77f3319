"""Hints for YAML 1.1's type traps: values that read as text to people but load as something else.

PyYAML implements YAML 1.1, where an unquoted `23:00` is the base-60 integer 1380, `on`,
`off`, `yes` and `no` are booleans, and an empty value is null. Pydantic
then reports "Input should be a valid string", which does not say why. The loader asks
this module for a hint that shows the text as it is written in the file, its line, and
how to quote it (in the form the field wants: `8:00` is written '08:00'). No CDKTF import.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from flyte_gcp.config.types import whole_hour

_KINDS = {
    "tag:yaml.org,2002:int": "the number",
    "tag:yaml.org,2002:float": "the number",
    "tag:yaml.org,2002:bool": "the boolean",
    "tag:yaml.org,2002:null": "null",
}
# Pydantic error types raised when a field wants text (or one of some strings) and got another type.
_WANTS_TEXT = {"string_type", "literal_error"}
# Fields whose text, once quoted, must also take a form: the value to write instead (None: as written).
_WRITE_AS = {"database.backup_start_time": whole_hour}


@dataclass(frozen=True)
class Scalar:
    """One scalar as written in the file: its source text, resolved tag and 1-based line."""

    text: str
    tag: str
    line: int


def scalars(text: str) -> dict[str, Scalar]:
    """Every scalar value of the document, keyed by its location as the loader renders it
    (`database.backup_start_time`, `flyte_projects[0]`)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    found: dict[str, Scalar] = {}

    def walk(node: yaml.Node, where: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    walk(value, f"{where}.{key.value}" if where else str(key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, f"{where}[{index}]")
        elif isinstance(node, yaml.ScalarNode) and where:
            found[where] = Scalar(node.value, node.tag, node.start_mark.line + 1)

    if root is not None:
        walk(root, "")
    return found


def duplicate_keys(text: str) -> list[str]:
    """`where: key written twice (lines a and b)` for every repeated key: PyYAML silently keeps the
    last one, so a second `database:` section would erase the first without a word."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    found: list[str] = []

    def walk(node: yaml.Node, where: str) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    continue
                here = f"{where}.{key.value}" if where else str(key.value)
                line = key.start_mark.line + 1
                if key.value in seen:
                    found.append(f"{here}: key written twice (lines {seen[key.value]} and {line}); YAML keeps only the last")
                seen.setdefault(key.value, line)
                walk(value, here)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, f"{where}[{index}]")

    if root is not None:
        walk(root, "")
    return found


def hint(location: str, error_type: str, value: object, sources: dict[str, Scalar]) -> str | None:
    """Why YAML gave a non-string where text was expected, and how to write it; else None."""
    source = sources.get(location)
    if error_type not in _WANTS_TEXT or source is None or source.tag not in _KINDS:
        return None
    if source.tag == "tag:yaml.org,2002:null":
        return f"line {source.line}: the value is empty, which YAML reads as null; write a value, or remove the key for its default"
    shown = "true" if value is True else "false" if value is False else repr(value)
    text = (_WRITE_AS.get(location) or (lambda t: None))(source.text) or source.text
    fix = f"quote it: '{text}'" if text == source.text else f"write it quoted, as '{text}'"
    return f"line {source.line}: YAML 1.1 reads {source.text} unquoted as {_KINDS[source.tag]} {shown}; {fix}"


def tab_problem(text: str, line: int, column: int) -> str | None:
    """Words for YAML's "found character '\\t'": where the tab is and what to type instead."""
    lines = text.splitlines()
    if not 0 <= line < len(lines) or "\t" not in lines[line]:
        return None
    where = "indents the line" if not lines[line][: column + 1].strip() else "follows a key or a value"
    return (
        f"line {line + 1}, column {column + 1}: a tab character {where}; YAML allows only spaces there: "
        "replace the tab with spaces (two per level of indentation, as in examples/example.yaml)"
    )
