"""The CDK toolchain: which Node.js the jsii runtime uses and how the prebuilt provider packages are loaded. Imports nothing of the package."""
