"""Settings for the XBlock SDK workbench: the only part of the package that knows the SDK exists."""
