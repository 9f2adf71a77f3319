"""FG9: stateful resources keep their protection against deletion unless the environment asks.

`deletion_protection: false` in an environment file is the consent to tear it down (README
"Tearing down"); without it, a lifted protection on the database, a bucket or the cluster is
a slip. A force-destroyed bucket is refused either way: emptying a bucket is a deliberate step.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Attributes = Mapping[str, Any]


def unprotected_state(*, teardown: bool) -> Callable[[str, Attributes], "str | None"]:
    """The rule; `teardown`: the environment set `deletion_protection: false`."""

    def rule(resource_type: str, attrs: Attributes) -> str | None:
        if resource_type == "google_storage_bucket" and attrs.get("force_destroy") is True:
            return "bucket with force_destroy (destroy would delete every object; export or empty it deliberately)"
        if teardown:
            return None
        lifted = {
            "google_storage_bucket": (attrs.get("lifecycle") or {}).get("prevent_destroy") is not True,
            "google_sql_database_instance": attrs.get("deletion_protection") is False
            or (attrs.get("settings") or {}).get("deletion_protection_enabled") is not True,
            "google_container_cluster": attrs.get("deletion_protection") is False,
        }.get(resource_type, False)
        if lifted:
            return (
                f"{resource_type} without its deletion protection while the environment keeps "
                "deletion_protection: true (set deletion_protection: false to tear it down)"
            )
        return None

    return rule
