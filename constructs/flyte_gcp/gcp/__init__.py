"""GCP constructs, one module per concern: APIs, network, buckets, database, cluster, node pools, IAM, registry, DNS. Each takes (scope, id, *, props) and never sees the Config."""
