"""Events another domain module applies in-process: the relay's third delivery path.

The relay runs the handler in its own transaction, in a savepoint, and marks the event
dispatched in that same transaction, so a handler's change commits exactly once. Handlers
are idempotent anyway (the event may be redelivered after a crash between runs). A handler
here may later move to a Kafka consumer without its domain code changing.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from apptremind import events
from apptremind.business.service import apply_subscription_tier

DomainHandler = Callable[[AsyncSession, dict[str, Any]], Awaitable[object]]

_HANDLERS: dict[str, DomainHandler] = {
    # The business tier follows billing only through this event, never by a shared write.
    events.SUBSCRIPTION_UPGRADED: apply_subscription_tier,
}


def has_domain_handler(event_type: str) -> bool:
    return event_type in _HANDLERS


def domain_handler_for(event_type: str) -> DomainHandler | None:
    return _HANDLERS.get(event_type)
