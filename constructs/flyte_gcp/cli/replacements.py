"""Replacements announced before they happen: a stack's previous and new `cdk.tf.json` compared on
the ForceNew attributes of its stateful and slow resources (`facts/force_new.py`).

A resource is replaced when one of those attributes changes, or when one of them follows a
resource that is replaced (a node pool's `cluster` is its cluster's id, unknown until the new
cluster exists). A resource of those types that the new stack no longer holds is destroyed.
Lifecycle `ignore_changes` is honoured. The comparison reads expressions as written, so a
replacement caused through a resource outside the table (the network, a service account) is not
traced. Light: no CDKTF import.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flyte_gcp.cli.tfjson import single, value_at
from flyte_gcp.facts.force_new import FORCE_NEW, ForceNew

CONSEQUENCES = {
    "google_container_cluster": "the cluster and everything running on it are recreated",
    "google_container_node_pool": "its nodes are recreated",
    "google_sql_database_instance": "data loss: the instance, its databases and its automated backups are deleted",
    "google_sql_database": "data loss: the database and its tables are dropped",
    "google_sql_user": "the user is dropped and created again (PostgreSQL refuses while it owns tables)",
    "google_storage_bucket": "data loss: every object in the bucket is deleted",
    "google_compute_address": "the ingress IP address changes, and with it the DNS record",
}
REFERENCE = re.compile(r"\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)")
# Deleting an instance keeps its name reserved; the random suffix changes only with a new random_id.
SAME_NAME = (
    "the new instance would keep its name, which Cloud SQL reserves for about a week after the "
    "deletion: the create fails"
)
ROWS: dict[str, list[ForceNew]] = {}
for _row in FORCE_NEW:
    ROWS.setdefault(_row.resource_type, []).append(_row)


@dataclass(frozen=True)
class Replacement:
    address: str
    reasons: tuple[str, ...]
    """Why, e.g. `location us-central1-a -> us-central1-b`; empty when the resource is destroyed."""
    protected: bool
    """Deletion protection or prevent_destroy stops the apply before the deletion."""

    def line(self, stack: str) -> str:
        verb, why = ("REPLACES", "; ".join(self.reasons)) if self.reasons else ("DESTROYS", "no longer in the stack")
        guard = " (blocked while its deletion protection is on)" if self.protected else ""
        return f"{stack}: {verb} {self.address} ({why}): {CONSEQUENCES[self.address.split('.')[0]]}{guard}"


def previous(outdir: Path, stacks: list[str]) -> dict[str, dict[str, Any]]:
    """The stacks' synthesized JSON as it is before a synth overwrites it (absent: a first synth)."""
    found = {}
    for stack in stacks:
        try:
            found[stack] = json.loads((outdir / "stacks" / stack / "cdk.tf.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return found


def announce(outdir: Path, before: dict[str, dict[str, Any]]) -> list[str]:
    """One line per resource each stack's new JSON would replace or destroy; nothing when none."""
    lines = []
    for stack, old in before.items():
        new = json.loads((outdir / "stacks" / stack / "cdk.tf.json").read_text(encoding="utf-8"))
        lines += [r.line(stack) for r in compare(old, new)]
    return lines


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Replacement]:
    old_bodies, new_bodies = _bodies(old), _bodies(new)
    reasons: dict[str, list[str]] = {}
    for address, body in new_bodies.items():
        if address in old_bodies:
            found = [_reason(row, old_bodies[address], body) for row in _rows_of(address, body)]
            if any(found):
                reasons[address] = [r for r in found if r]
    changed = True
    while changed:  # follow references to replaced resources until nothing new is replaced
        changed = False
        for address, body in new_bodies.items():
            if address in reasons or address not in old_bodies:
                continue
            for row in _rows_of(address, body):
                target = _follows_replaced(value_at(body, row.path), reasons, old_bodies, new_bodies)
                if target and value_at(old_bodies[address], row.path) == value_at(body, row.path):
                    reasons[address] = [f"{row.path} follows {target}, which is replaced"]
                    changed = True
                    break
    for address, found in reasons.items():
        if address.startswith("google_sql_database_instance.") and value_at(old_bodies[address], "name") == value_at(
            new_bodies[address], "name"
        ):
            found.append(SAME_NAME)
    out = [Replacement(a, tuple(r), _protected(new_bodies[a])) for a, r in reasons.items()]
    out += [Replacement(a, (), _protected(b)) for a, b in old_bodies.items() if a not in new_bodies]
    return sorted(out, key=lambda r: r.address)


def _bodies(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{resource_type}.{name}": body
        for resource_type, instances in (doc.get("resource") or {}).items()
        if resource_type in ROWS
        for name, body in instances.items()
    }


def _rows_of(address: str, body: dict[str, Any]) -> list[ForceNew]:
    ignored = [re.sub(r"\[\d+\]", "", p) for p in (single(body.get("lifecycle")) or {}).get("ignore_changes") or []]
    if "all" in ignored:
        return []
    return [r for r in ROWS[address.split(".")[0]] if not any(r.path == i or r.path.startswith(i + ".") for i in ignored)]


def _reason(row: ForceNew, old: dict[str, Any], new: dict[str, Any]) -> str | None:
    before, after = value_at(old, row.path), value_at(new, row.path)
    if row.unordered:
        before, after = (sorted(v) if isinstance(v, list) else v for v in (before, after))
    if before == after or (row.when == "removed" and after is not None):
        return None
    return f"{row.path} {_show(before)} -> {_show(after)}"


def _follows_replaced(value: Any, replaced: dict, old_bodies: dict, new_bodies: dict) -> str | None:
    """The replaced resource whose new attribute `value` refers to, when that attribute may differ."""
    for resource_type, name, attribute in REFERENCE.findall(json.dumps(value)):
        target = f"{resource_type}.{name}"
        if target not in replaced:
            continue
        was, will = value_at(old_bodies.get(target, {}), attribute), value_at(new_bodies.get(target, {}), attribute)
        if will is None or was != will:  # computed (unknown until the new one exists) or changed
            return target
    return None


def _protected(body: dict[str, Any]) -> bool:
    lifecycle = single(body.get("lifecycle")) or {}
    if lifecycle.get("prevent_destroy") is True:
        return True
    return "deletion_protection" in body and body["deletion_protection"] is not False


def _show(value: Any) -> str:
    """A value for the line: references shortened to `${type.attribute}`, long values cut."""
    if value is None:
        return "unset"
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, separators=(",", ":"))
    text = REFERENCE.sub(lambda m: "${" + m.group(1) + "." + m.group(3), text)
    return text if len(text) <= 60 else text[:57] + "..."
