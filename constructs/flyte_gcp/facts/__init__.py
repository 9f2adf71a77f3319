"""Facts the stack relies on, each with its source: pinned versions, machines and GPUs, the API table, admission webhook ports, list prices. Imports nothing of the package."""
