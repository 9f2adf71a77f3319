"""The one place that decides how prebuilt provider packages are loaded.

Each prebuilt provider's top-level ``__init__`` imports every one of its submodules
(about 1,470 for google), which is most of the cost of a synth. Each submodule is
self-contained: it needs only the package's ``_jsii`` assembly module. So the fast
path registers each package without running its ``__init__`` and loads the assembly;
the construct modules then import just the submodules they use, as usual
(``from cdktf_cdktf_provider_google.storage_bucket import StorageBucket``).

Import this module before any provider submodule (``flyte_gcp.stack`` does). Set
``FLYTE_GCP_PROVIDER_IMPORT=ordinary`` to take the ordinary import path instead; the
tests prove both paths synthesize the same bytes.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

PACKAGES = (
    "cdktf_cdktf_provider_google",
    "cdktf_cdktf_provider_kubernetes",
    "cdktf_cdktf_provider_helm",
    "cdktf_cdktf_provider_random",
    "cdktf_cdktf_provider_http",
)


def _register_without_init(name: str) -> None:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError(f"provider package {name} is not installed (run `make install`)")
    sys.modules[name] = importlib.util.module_from_spec(spec)
    importlib.import_module(f"{name}._jsii")  # loads the jsii assembly into the Node kernel


def load() -> None:
    ordinary = os.environ.get("FLYTE_GCP_PROVIDER_IMPORT", "fast") == "ordinary"
    for name in PACKAGES:
        if name in sys.modules:
            continue
        if ordinary:
            importlib.import_module(name)
        else:
            _register_without_init(name)


load()
