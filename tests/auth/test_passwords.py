import asyncio
import threading

import pytest
from argon2 import PasswordHasher

from api.app import create_app
from apptremind.auth import passwords
from apptremind.auth.passwords import hash_password, use_hash_threads, verify_password
from apptremind.settings import default_hash_threads


@pytest.fixture
def hash_threads():
    yield use_hash_threads
    use_hash_threads(default_hash_threads())


async def test_a_hash_verifies_its_password_only():
    stored = await hash_password("correct horse battery")
    assert await verify_password(stored, "correct horse battery")
    assert not await verify_password(stored, "wrong horse battery")
    assert not await verify_password(None, "correct horse battery")  # unknown email
    assert not await verify_password("not a hash", "correct horse battery")


async def test_the_event_loop_keeps_serving_while_a_password_is_hashed():
    hashing = asyncio.create_task(hash_password("correct horse battery"))
    served = 0
    for _ in range(20):  # other requests' turns on the loop, while the hash runs
        await asyncio.sleep(0)
        served += 1
    assert served == 20
    assert not hashing.done()  # the 20 turns came while hashing was still going on
    assert (await hashing).startswith("$argon2")


class CountingHasher:
    """The real hasher, counting how many of its hashes run at the same time."""

    def __init__(self, hasher: PasswordHasher) -> None:
        self.hasher = hasher
        self.lock = threading.Lock()
        self.running = self.busiest = 0

    def hash(self, password: str) -> str:
        with self.lock:
            self.running += 1
            self.busiest = max(self.busiest, self.running)
        try:
            return self.hasher.hash(password)
        finally:
            with self.lock:
                self.running -= 1


@pytest.mark.parametrize("threads", [1, 2])
async def test_hashes_run_at_most_as_many_at_once_as_there_are_hash_threads(
    hash_threads, monkeypatch, threads
):
    counting = CountingHasher(passwords._hasher)
    monkeypatch.setattr(passwords, "_hasher", counting)
    hash_threads(threads)
    hashes = await asyncio.gather(*(hash_password(f"password {n}") for n in range(6)))
    assert len(set(hashes)) == 6
    assert counting.busiest == threads


async def test_the_api_hashes_in_as_many_threads_as_its_setting_says(
    hash_threads, monkeypatch, settings
):
    counting = CountingHasher(passwords._hasher)
    monkeypatch.setattr(passwords, "_hasher", counting)
    hash_threads(3)
    create_app(settings.model_copy(update={"password_hash_threads": 1}))
    await asyncio.gather(*(hash_password(f"password {n}") for n in range(4)))
    assert counting.busiest == 1
