"""The one module that knows which CDK framework and prebuilt provider packages are in use.

Two toolchains synthesize the same stacks (README "Choosing a toolchain"):

- ``cdktf``: CDK for Terraform 0.21 and its prebuilt providers (hashicorp/google 6.50.0),
  archived upstream on 2025-12-10; the default (`.venv`);
- ``cdktn``: CDK Terrain 0.24, its community continuation, with maintained prebuilt providers
  (hashicorp/google 8.7.0, kubernetes 3.4.0) (`.venv-cdktn`, `make ... TOOLCHAIN=cdktn`).

The toolchain is the one installed in the running environment; ``FLYTE_GCP_TOOLCHAIN``
(which the Makefile sets) names it explicitly, and naming one that is not installed is an
error saying how to install it. Importing this module pins Node.js for jsii, loads the
framework and registers the provider packages the fast way (`providers.py`). Everything
else imports the framework, the `constructs` library and the providers from here, never by
package name (`tests/test_toolchain.py` scans the repository for that):

    from flyte_gcp.cdk.toolchain import Construct, TerraformStack
    from flyte_gcp.cdk.toolchain.google.storage_bucket import StorageBucket

``flyte_gcp.cdk.toolchain.<provider>`` is an alias of the toolchain's provider package: its
submodules are the package's own module objects (imported once, only those used).

The one API difference the stacks meet is isolated here too: kubernetes 3.x (cdktn) moved
``kubernetes_namespace_v1`` to the plugin framework, where ``metadata`` is a list
(`namespace_metadata`, `namespace_name`).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

from flyte_gcp.cdk import ToolchainError, providers
from flyte_gcp.cdk.node import use_pinned_node

DEFAULT = "cdktf"
FRAMEWORKS = {"cdktf": "cdktf", "cdktn": "cdktn"}
"""Toolchain name -> the framework's Python package."""
PROVIDER_PACKAGES = {
    "cdktf": {
        "google": "cdktf_cdktf_provider_google",
        "kubernetes": "cdktf_cdktf_provider_kubernetes",
        "helm": "cdktf_cdktf_provider_helm",
        "random": "cdktf_cdktf_provider_random",
        "http": "cdktf_cdktf_provider_http",
    },
    "cdktn": {
        "google": "cdktn_provider_google",
        "kubernetes": "cdktn_provider_kubernetes",
        "helm": "cdktn_provider_helm",
        "random": "cdktn_provider_random",
        "http": "cdktn_provider_http",
    },
}
"""Toolchain name -> {alias under flyte_gcp.cdk.toolchain: the prebuilt provider package}."""
INSTALL = {"cdktf": "make install", "cdktn": "make install TOOLCHAIN=cdktn (then use .venv-cdktn/bin/python)"}


def _installed(package: str) -> bool:
    return importlib.util.find_spec(package) is not None


def choose(environ: Mapping[str, str] = os.environ, installed: Callable[[str], bool] = _installed) -> str:
    """The toolchain to use: FLYTE_GCP_TOOLCHAIN if set, else the one installed (cdktf if both are)."""
    asked = environ.get("FLYTE_GCP_TOOLCHAIN", "")
    if asked:
        if asked not in FRAMEWORKS:
            raise ToolchainError(f"FLYTE_GCP_TOOLCHAIN={asked}: unknown toolchain (one of: {', '.join(FRAMEWORKS)})")
        if not installed(FRAMEWORKS[asked]):
            raise ToolchainError(
                f"FLYTE_GCP_TOOLCHAIN={asked}, but its package {FRAMEWORKS[asked]} is not installed for {sys.executable}: "
                f"run `{INSTALL[asked]}`"
            )
        return asked
    present = [name for name, package in FRAMEWORKS.items() if installed(package)]
    if not present:
        raise ToolchainError(f"no CDK toolchain is installed for {sys.executable}: run `{INSTALL[DEFAULT]}`")
    return DEFAULT if DEFAULT in present else present[0]


NAME = choose()
"""The toolchain in use: 'cdktf' or 'cdktn'."""
_PROVIDERS = PROVIDER_PACKAGES[NAME]

use_pinned_node()  # before the first `import jsii`
_framework = importlib.import_module(FRAMEWORKS[NAME])
_constructs = importlib.import_module("constructs")
_RESERVED = {name for name in globals() if not name.startswith("__")}
for _library in (_framework, _constructs):
    _names = {n for n in _library.__all__ if n[:1].isupper()}  # classes, not subpackages (testing_matchers)
    if _names & _RESERVED:
        raise ToolchainError(f"{_library.__name__} exports names this module defines: {sorted(_names & _RESERVED)}")
    globals().update({n: getattr(_library, n) for n in _names})
providers.load(_PROVIDERS.values())


class _ProviderAliases(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports ``flyte_gcp.cdk.toolchain.<alias>[.<submodule>...]`` as the real provider module.

    The module object is the provider's own (one copy, so jsii sees each class once); only
    the spec the import system stamps on it is put back afterwards.
    """

    PREFIX = f"{__name__}."

    def __init__(self) -> None:
        self._specs: dict[str, Any] = {}

    def real_name(self, fullname: str) -> str | None:
        if not fullname.startswith(self.PREFIX):
            return None
        alias, _, rest = fullname.removeprefix(self.PREFIX).partition(".")
        package = _PROVIDERS.get(alias)
        return None if package is None else f"{package}.{rest}" if rest else package

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        real = self.real_name(fullname)
        if real is None:
            return None
        module = importlib.import_module(real)
        self._specs[fullname] = module.__spec__
        return importlib.machinery.ModuleSpec(fullname, self, is_package=hasattr(module, "__path__"))

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return sys.modules[self.real_name(spec.name)]

    def exec_module(self, module: ModuleType) -> None:
        module.__spec__ = self._specs.pop(module.__spec__.name)  # the alias spec the import system just set


__path__: list[str] = []  # a package for the import system, so `toolchain.google...` resolves (through the finder)
sys.meta_path.insert(0, _ProviderAliases())


def namespace_metadata(**fields: Any) -> Any:
    """``metadata=`` for ``NamespaceV1``: a block object on kubernetes 2.x (cdktf), a list of one on 3.x (cdktn)."""
    from flyte_gcp.cdk.toolchain.kubernetes.namespace_v1 import NamespaceV1Metadata

    metadata = NamespaceV1Metadata(**fields)
    return [metadata] if NAME == "cdktn" else metadata


def namespace_name(namespace: Any) -> str:
    """The name of a ``NamespaceV1`` as a reference (``metadata[0].name`` on both)."""
    metadata = namespace.metadata
    return metadata.get(0).name if NAME == "cdktn" else metadata.name
