"""An event type of the outbox tests' own: the n-th event of its key."""

from apptremind.events import Event


class Sequenced(Event):
    event_type = "test.sequenced"

    n: int
