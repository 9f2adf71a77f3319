"""In-cluster constructs (Helm releases, manifests, Kubernetes secrets): the edge (controller, cert-manager, certificate), Keycloak, Flyte and its auth secrets."""
