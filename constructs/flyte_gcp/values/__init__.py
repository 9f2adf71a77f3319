"""Helm chart values as pure functions: plain strings (Terraform references) in, plain dicts and one YAML document out. No CDKTF, no Config."""
