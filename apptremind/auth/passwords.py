"""Password hashing (argon2) in a few threads beside the event loop.

One hash takes tens of milliseconds of CPU and 64 MiB: computed on the event loop, a burst of
sign-ins stalled every other request of the process. argon2 releases the GIL while it works,
so hashes run in a small pool of threads of their own (`PASSWORD_HASH_THREADS`), which also
bounds how many run at once and so the memory they take; further ones wait their turn.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from apptremind.settings import default_hash_threads

_hasher = PasswordHasher()
# Verified against when the email is unknown, so a login takes as long either way.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
_pool: ThreadPoolExecutor | None = None

T = TypeVar("T")


def use_hash_threads(threads: int) -> None:
    """Sizes the pool of hashing threads (at start-up, before any request)."""
    global _pool
    previous, _pool = _pool, _new_pool(threads)
    if previous is not None:
        previous.shutdown(wait=False)


def _new_pool(threads: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=threads, thread_name_prefix="password-hash")


async def _off_the_loop(work: Callable[[], T]) -> T:
    global _pool
    if _pool is None:
        _pool = _new_pool(default_hash_threads())
    return await asyncio.get_running_loop().run_in_executor(_pool, work)


async def hash_password(password: str) -> str:
    return await _off_the_loop(lambda: _hasher.hash(password))


async def verify_password(password_hash: str | None, password: str) -> bool:
    return await _off_the_loop(lambda: _verify(password_hash, password))


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
