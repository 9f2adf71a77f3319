"""The stack's layers, one module each: Config in, constructs created on the stack, typed attributes out.

Each layer is a function ``build(stack, config, ...)`` that maps the validated Config onto
construct props and returns a small frozen dataclass of what the next layers need. Layers
create their constructs directly on the stack (never inside a wrapper construct): construct
paths are part of every resource's Terraform address, and wrapping would rename them all.
"""
