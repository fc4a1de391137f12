"""The benchmarks and the fault-injection run still import: they run outside `make test`, so
a renamed helper they use would otherwise go unnoticed until someone measures."""

import importlib
import pkgutil

import pytest

import bench

# Not `__main__`: importing it is running it.
MODULES = sorted(
    module.name
    for module in pkgutil.walk_packages(bench.__path__, prefix="bench.")
    if not module.name.endswith(".__main__")
)


def test_every_benchmark_module_is_found() -> None:
    assert {"bench.bench_booking", "bench.bench_reminders", "bench.chaos.run"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_benchmark_module_imports(name: str) -> None:
    importlib.import_module(name)
