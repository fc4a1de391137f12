"""Benchmarks and the fault-injection run: each starts a local stack of its own, with the
built-in development secrets."""

import os

os.environ.setdefault("ENVIRONMENT", "local")
