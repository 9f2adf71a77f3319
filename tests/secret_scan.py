"""Secret-looking literals in a synthesized stack: the check behind "no literal secret anywhere".

Walks every string of the document, and inside strings that are YAML or JSON documents (Helm
values, ConfigMap data such as Keycloak's realm, secret data that is a config file) their
contents too. A finding is:
- Kubernetes secret data that is not a Terraform reference (`${...}`);
- a secret-looking key (password, client secret, token, ...) or a password credential or a
  `*PASSWORD*`/`*SECRET*` environment variable whose value is neither a Terraform reference nor
  a Keycloak placeholder (`$${ENV}` in Terraform JSON) nor a file path;
- the charts' public placeholder secret `foobar`, or a bcrypt hash written out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import yaml

SECRET_KEYS = {"password", "passwd", "client_secret", "clientsecret", "secret", "secret_key", "private_key", "token", "secret_data"}
KUBERNETES_SECRETS = ("kubernetes_secret", "kubernetes_secret_v1")
# Keys that name a secret rather than hold one: a Secret Manager data source's `secret` is its id.
NAME_PATHS = re.compile(r"^\$\.data\.google_secret_manager_[a-z_]+\.[^.]+\.secret$")
BCRYPT = re.compile(r"\$2[aby]?\$\d\d\$[./A-Za-z0-9]{53}")


def _allowed(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and ("${" in value or value.startswith("/")))


def _embedded(text: str) -> Any:
    if "\n" not in text and not text.lstrip().startswith(("{", "[")):
        return None
    try:
        parsed = json.loads(text)
    except ValueError:
        try:
            parsed = yaml.safe_load(text)
        except yaml.YAMLError:
            return None
    return parsed if isinstance(parsed, (dict, list)) else None


def _walk(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, dict):
        if str(value.get("type", "")).lower() == "password" and not _allowed(value.get("value")):
            yield f"{path}: literal password credential"
        name = str(value.get("name", ""))
        if "value" in value and re.search(r"PASSWORD|SECRET", name) and not _allowed(value["value"]):
            yield f"{path}: literal value for environment variable {name}"
        for key, v in value.items():
            here = f"{path}.{key}"
            if str(key).lower() in SECRET_KEYS and isinstance(v, str) and not _allowed(v) and not NAME_PATHS.match(here):
                yield f"{here}: literal secret"
            yield from _walk(v, here)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]")
    elif isinstance(value, str):
        if "foobar" in value:
            yield f"{path}: the charts' placeholder secret 'foobar'"
        if BCRYPT.search(value):
            yield f"{path}: a bcrypt hash written out (use random_password.bcrypt_hash)"
        inner = _embedded(value)
        if inner is not None:
            yield from _walk(inner, f"{path}<document>")


def literal_secrets(doc: dict[str, Any]) -> list[str]:
    found = []
    for resource_type in KUBERNETES_SECRETS:
        for name, body in doc.get("resource", {}).get(resource_type, {}).items():
            for field in ("data", "string_data", "binary_data"):
                for key, value in (body.get(field) or {}).items():
                    if not (isinstance(value, str) and "${" in value):
                        found.append(f"{resource_type}.{name}.{field}.{key}: literal secret data")
    found += list(_walk({k: v for k, v in doc.items() if k != "terraform"}, "$"))
    return found
