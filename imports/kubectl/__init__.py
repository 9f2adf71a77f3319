"""Hand-written CDKTF bindings for the `alekc/kubectl` provider (no prebuilt package exists).

Only what flyte-gcp uses: the provider, `kubectl_manifest` and the
`kubectl_file_documents` data source. Each is a thin typed wrapper over CDKTF's
`TerraformProvider` / `TerraformResource` / `TerraformDataSource`, in the place where
`cdktf get` would put generated bindings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flyte_gcp.cdk.toolchain import (
    ITerraformDependable,
    ITerraformIterator,
    TerraformDataSource,
    TerraformProvider,
    TerraformProviderGeneratorMetadata,
    TerraformResource,
    TerraformResourceLifecycle,
    Token,
    Construct,
)

PROVIDER_SOURCE = "alekc/kubectl"
PROVIDER_VERSION = "2.1.3"
_METADATA = TerraformProviderGeneratorMetadata(
    provider_name="kubectl", provider_version=PROVIDER_VERSION, provider_version_constraint=PROVIDER_VERSION
)


class KubectlProvider(TerraformProvider):
    """`provider "kubectl"`: credentials of the cluster it applies manifests to.

    `cluster_ca_certificate`: PEM to verify the server with. Default: none (the system's
    roots, for an endpoint with a publicly trusted certificate such as GKE's DNS endpoint).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        host: str,
        token: str,
        cluster_ca_certificate: str | None = None,
        load_config_file: bool = False,
        alias: str | None = None,
    ) -> None:
        super().__init__(
            scope,
            id,
            terraform_resource_type="kubectl",
            terraform_generator_metadata=_METADATA,
            terraform_provider_source=PROVIDER_SOURCE,
        )
        self._attributes: dict[str, Any] = {
            "host": host,
            "token": token,
            "load_config_file": load_config_file,
        }
        if cluster_ca_certificate is not None:
            self._attributes["cluster_ca_certificate"] = cluster_ca_certificate
        if alias is not None:
            self._attributes["alias"] = alias

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        return dict(self._attributes)


class Manifest(TerraformResource):
    """`kubectl_manifest`: one Kubernetes object from YAML, applied server-side.

    Props:
      yaml_body: the object's YAML (may hold `${...}` references or an iterator's value).
      server_side_apply: use server-side apply. Default: True.
      wait: wait for deletion to complete on destroy. Default: True.
      for_each / depends_on / lifecycle: the Terraform meta-arguments. Default: none.
    """

    TF_RESOURCE_TYPE = "kubectl_manifest"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        yaml_body: str,
        server_side_apply: bool = True,
        wait: bool = True,
        for_each: ITerraformIterator | None = None,
        depends_on: Sequence[ITerraformDependable] | None = None,
        lifecycle: TerraformResourceLifecycle | None = None,
        provider: TerraformProvider | None = None,
    ) -> None:
        super().__init__(
            scope,
            id,
            terraform_resource_type=self.TF_RESOURCE_TYPE,
            terraform_generator_metadata=_METADATA,
            for_each=for_each,
            depends_on=list(depends_on) if depends_on else None,
            lifecycle=lifecycle,
            provider=provider,
        )
        self._attributes = {"yaml_body": yaml_body, "server_side_apply": server_side_apply, "wait": wait}

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        return dict(self._attributes)


class FileDocuments(TerraformDataSource):
    """`data "kubectl_file_documents"`: splits a multi-document YAML string.

    Props:
      content: the multi-document YAML (for example an `http` data source's body).
    """

    TF_RESOURCE_TYPE = "kubectl_file_documents"

    def __init__(self, scope: Construct, id: str, *, content: str, provider: TerraformProvider | None = None) -> None:
        super().__init__(
            scope,
            id,
            terraform_resource_type=self.TF_RESOURCE_TYPE,
            terraform_generator_metadata=_METADATA,
            provider=provider,
        )
        self._attributes = {"content": content}

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        return dict(self._attributes)

    @property
    def manifests(self) -> Mapping[str, str]:
        """Each document keyed by its self link, as a map for `for_each`."""
        return Token.as_string_map(self.interpolation_for_attribute("manifests"))
