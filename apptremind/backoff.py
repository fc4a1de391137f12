"""Waiting between tries, the one way every loop of the platform waits: delays that double up
to a cap, cut short when the process is asked to stop. The relay's delivery loops, the
consumers, their retention loop and the wait for Temporal all use it."""

import asyncio

MAX_DELAY_SECONDS = 10.0


class Backoff:
    """Delays that double from `first` up to `cap`; `reset()` once a try succeeded."""

    def __init__(self, first: float, cap: float = MAX_DELAY_SECONDS) -> None:
        self.first = first
        self.cap = cap
        self._next = first

    def next_delay(self) -> float:
        """The wait before the next try; the one after it is twice as long, up to `cap`."""
        delay = self._next
        self._next = min(delay * 2, self.cap)
        return delay

    def reset(self) -> None:
        self._next = self.first


async def sleep_or_stop(stop: asyncio.Event, seconds: float) -> bool:
    """Waits `seconds` or until `stop` is set; True when stopping."""
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return False
    return True
