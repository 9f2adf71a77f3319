"""Configuration: the environment file's schema, its loading and hints, and what it derives (resource names, node pool capacity). No CDKTF here: a config mistake costs a second."""
