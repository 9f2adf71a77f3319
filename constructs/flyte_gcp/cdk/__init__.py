"""The CDK toolchain: which framework and provider packages are in use (`toolchain`), which Node.js the jsii runtime uses, how the prebuilt provider packages are loaded. Imports nothing of the package."""


class ToolchainError(ImportError):
    """The toolchain asked for (FLYTE_GCP_TOOLCHAIN, or the one installed) cannot be loaded.

    Defined here, not in `toolchain`, so that `main.py` can catch it without loading anything.
    """
