"""`apptremind api` with argon2 computed on the event loop: the login-burst bench's baseline.

The way every API process hashed before hashing moved into threads beside the loop.
"""

from collections.abc import Callable
from typing import TypeVar

from apptremind import cli
from apptremind.auth import passwords

T = TypeVar("T")


async def _on_the_loop(work: Callable[[], T]) -> T:
    return work()


if __name__ == "__main__":
    passwords._off_the_loop = _on_the_loop
    cli.main(["api"])
