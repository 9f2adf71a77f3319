"""How prebuilt provider packages are loaded: the fast path (which packages: `toolchain`).

Each prebuilt cdktf provider's top-level ``__init__`` imports every one of its submodules
(about 1,470 for google), which is most of the cost of a synth (cdktn's packages import
them lazily, but their ``__init__`` is still thousands of lines). Each submodule is
self-contained: it needs only the package's ``_jsii`` assembly module. So the fast path
registers each package without running its ``__init__`` and loads the assembly; the
construct modules then import just the submodules they use
(``from flyte_gcp.cdk.toolchain.google.storage_bucket import StorageBucket``).

``FLYTE_GCP_PROVIDER_IMPORT=ordinary`` takes the ordinary import path instead; the tests
prove both paths synthesize the same bytes, and the benchmark times the ordinary one.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Iterable


def _register_without_init(name: str) -> None:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError(f"provider package {name} is not installed (run `make install`)")
    sys.modules[name] = importlib.util.module_from_spec(spec)
    importlib.import_module(f"{name}._jsii")  # loads the jsii assembly into the Node kernel


def load(packages: Iterable[str]) -> None:
    """Make each provider package importable, the fast way unless FLYTE_GCP_PROVIDER_IMPORT=ordinary."""
    ordinary = os.environ.get("FLYTE_GCP_PROVIDER_IMPORT", "fast") == "ordinary"
    for name in packages:
        if name in sys.modules:
            continue
        if ordinary:
            importlib.import_module(name)
        else:
            _register_without_init(name)
