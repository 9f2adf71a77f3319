"""The `auth` section: who logs users in to Flyte (issue 11), and the rule that no secret is written here."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, model_validator

from flyte_gcp.config.types import Email, Section, matches

_LITERAL_SECRET_KEYS = ("client_secret", "secret", "password")
_SECRET_MANAGER_ID = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
_CLIENT_ID = re.compile(r"^\S{1,255}$")


def _issuer(value: str) -> str:
    parsed = urlsplit(value)
    if parsed.scheme != "https" or not parsed.hostname or parsed.query or parsed.fragment:
        raise ValueError(f"{value!r} is not an https:// issuer URL (the identity provider's OpenID issuer, no query)")
    return value


class OidcConfig(Section):
    issuer: Annotated[str, AfterValidator(_issuer)]
    """Your identity provider's OpenID issuer URL (https only); Flyte reads its discovery document."""
    client_id: Annotated[str, matches(_CLIENT_ID, "an OAuth client id (1-255 characters, no spaces)")]
    """The confidential client registered at your identity provider (redirect https://<hostname>/callback)."""
    client_secret_secret: Annotated[str, matches(_SECRET_MANAGER_ID, "a Secret Manager secret id (1-255 letters, digits, hyphens, underscores)")]
    """A Secret Manager secret id in `project_id` holding that client's secret (latest version is read)."""

    @model_validator(mode="before")
    @classmethod
    def _no_literal_secret(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in _LITERAL_SECRET_KEYS:
                if key in data:
                    raise ValueError(
                        f"{key}: a literal secret does not belong in the config file; store it in Secret Manager "
                        "in project_id and name that secret in auth.oidc.client_secret_secret"
                    )
        return data


class AuthConfig(Section):
    mode: Literal["keycloak", "oidc", "none"] = "keycloak"
    """keycloak: Keycloak in the cluster, created by the apply. oidc: your own identity provider. none: no login."""
    users: Annotated[list[Email], Field(min_length=1)] | None = None
    """Keycloak mode: initial accounts (temporary passwords). Default: [email]."""
    oidc: OidcConfig | None = None
    """Required with mode oidc; not allowed otherwise."""

    @model_validator(mode="after")
    def _oidc_iff_mode_oidc(self) -> "AuthConfig":
        if self.mode == "oidc" and self.oidc is None:
            raise ValueError("oidc: required with mode oidc (issuer, client_id, client_secret_secret)")
        if self.mode != "oidc" and self.oidc is not None:
            raise ValueError(f"oidc: only used with mode oidc (mode is {self.mode!r})")
        if self.users is not None and self.mode != "keycloak":
            raise ValueError(f"users: only used with mode keycloak (mode is {self.mode!r}; manage users at your identity provider)")
        if self.users is not None and len({u.lower() for u in self.users}) != len(self.users):
            seen: set[str] = set()
            twice = [u for u in self.users if u.lower() in seen or seen.add(u.lower())]
            raise ValueError(
                f"users: contains duplicates ({', '.join(map(repr, twice))}; Keycloak stores usernames and e-mails in lower case)"
            )
        return self
