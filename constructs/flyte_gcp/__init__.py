"""flyte-gcp: Flyte on Google Cloud, synthesized by CDK for Terraform.

The folders are the architecture (README "Architecture"); imports run one way:
facts and cdk (nothing of ours) <- config <- values, policy <- gcp, k8s <- layers <- stack.
"""
