"""Nothing deployed moves: every variant's Terraform addresses, pinned in a committed list.

A resource's address (`<type>.<name>`, the name derived from its construct path) is its
identity in Terraform state: a changed address destroys the resource and creates a new one,
a database or a bucket included. The snapshots would show such a change among thousands of
lines; this list shows only addresses, one per line, so an added, removed or renamed one
is the whole diff. Regenerate it only on purpose (`make addresses`), and say in
CHANGELOG.md what a deployed environment will see.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import BOOTSTRAP_VARIANTS, VARIANTS

PINNED = Path(__file__).resolve().parent / "data" / "addresses"
PINNED_BOOTSTRAP = PINNED / "bootstrap"  # the bootstrap stacks (`main.py --bootstrap`)
REWRITE = os.environ.get("FLYTE_GCP_PIN_ADDRESSES") == "1"


def addresses(doc: dict) -> list[str]:
    found = [f"{kind}.{name}" for kind, of_kind in doc.get("resource", {}).items() for name in of_kind]
    found += [f"data.{kind}.{name}" for kind, of_kind in doc.get("data", {}).items() for name in of_kind]
    return sorted(found)


def moved(pinned: list[str], current: list[str]) -> list[str]:
    """The difference in words: `- address` gone (destroyed), `+ address` new."""
    return [f"- {a}" for a in sorted(set(pinned) - set(current))] + [f"+ {a}" for a in sorted(set(current) - set(pinned))]


@pytest.mark.parametrize("name", list(VARIANTS))
def test_addresses_are_the_pinned_ones(synthesized, name):
    check_pinned(PINNED / f"{name}.txt", name, addresses(synthesized[name]))


@pytest.mark.parametrize("name", list(BOOTSTRAP_VARIANTS))
def test_bootstrap_addresses_are_the_pinned_ones(bootstrap_synthesized, name):
    check_pinned(PINNED_BOOTSTRAP / f"{name}.txt", name, addresses(bootstrap_synthesized[name]))


def check_pinned(path: Path, name: str, current: list[str]) -> None:
    if REWRITE:
        path.write_text("".join(f"{a}\n" for a in current))
    assert path.exists(), f"{path.name} missing: run `make addresses` and commit it"
    pinned = path.read_text().split()
    assert not moved(pinned, current), f"{name}: addresses changed (make addresses, on purpose):\n" + "\n".join(moved(pinned, current))


def test_every_pinned_list_belongs_to_a_variant():
    assert sorted(p.stem for p in PINNED.glob("*.txt")) == sorted(VARIANTS)
    assert sorted(p.stem for p in PINNED_BOOTSTRAP.glob("*.txt")) == sorted(BOOTSTRAP_VARIANTS)


def test_a_renamed_construct_is_reported_as_destroy_and_create():
    doc = {"resource": {"google_sql_database_instance": {"db_1234": {}}}, "data": {"google_client_config": {"current": {}}}}
    renamed = {"resource": {"google_sql_database_instance": {"database_db_99": {}}}, "data": {"google_client_config": {"current": {}}}}
    assert addresses(doc) == ["data.google_client_config.current", "google_sql_database_instance.db_1234"]
    assert moved(addresses(doc), addresses(renamed)) == [
        "- google_sql_database_instance.db_1234",
        "+ google_sql_database_instance.database_db_99",
    ]
