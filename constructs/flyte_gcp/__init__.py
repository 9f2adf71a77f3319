"""flyte-gcp: Flyte on Google Cloud, synthesized by CDK for Terraform.

The folders are the architecture (README "Architecture"); imports run one way:
facts and cdk (nothing of ours) <- config <- values, policy <- gcp, k8s <- layers <- stack.
"""

__version__ = "0.3.0"
"""This release; CHANGELOG.md has its section and upgrade notes (`main.py --version` prints it)."""
