"""Domain events: a service says what happened, and the apps above it react, in the same transaction.

A lower app (cases, people, orders, the ledger) must not import a higher one (the worklist), yet a case
opened or a collection posted starts a federal clock that the worklist tracks. So the lower app publishes
a small frozen dataclass (its own events module: `cases.events`, `ledger.events`, ...) and the higher app
subscribes to that type in its `AppConfig.ready()`. The hub is deliberately small:

- synchronous: `publish` calls every subscriber before it returns, inside the publisher's transaction, so
  the reaction commits or rolls back with the change that caused it (no queue, no "at least once");
- typed: a subscriber is registered for one event class and receives instances of exactly that class;
- inside a transaction only: `publish` outside `transaction.atomic` is a programming error (asserted);
- bounded: an event carrying many items (a posting batch) is one publish; the subscriber works set-based.

Subscribers must not publish events of their own (no cascades) and must not swallow errors: a failing
subscriber fails the publisher's transaction, as any other write of that service would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import transaction

E = TypeVar("E")
SUBSCRIBERS_PER_EVENT_MAXIMUM = 16  # a bound (style.md: a limit on everything); a handful is the norm

_subscribers: dict[type, list[Callable[[Any], None]]] = {}
_publishing = threading.local()  # per thread: a subscriber that publishes is a cascade, refused


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Call `handler` with every published `event_type`. Registering the same handler twice is a no-op
    (an app's `ready()` may run more than once in tests)."""
    handlers = _subscribers.setdefault(event_type, [])
    if handler in handlers:
        return
    assert len(handlers) < SUBSCRIBERS_PER_EVENT_MAXIMUM, (event_type, handlers)
    handlers.append(handler)


def unsubscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Stop calling `handler` for `event_type` (tests)."""
    handlers = _subscribers.get(event_type, [])
    if handler in handlers:
        handlers.remove(handler)


def subscribers(event_type: type) -> tuple[Callable[[Any], None], ...]:
    return tuple(_subscribers.get(event_type, ()))


def publish(event: object) -> None:
    """Hand `event` to each subscriber of its exact class, in registration order, now."""
    assert transaction.get_connection().in_atomic_block, f"publish {type(event).__name__} inside the transaction"
    assert not getattr(_publishing, "active", False), f"{type(event).__name__} published by a subscriber"
    _publishing.active = True
    try:
        for handler in _subscribers.get(type(event), ()):
            handler(event)
    finally:
        _publishing.active = False


@contextmanager
def subscribed(event_type: type[E], handler: Callable[[E], None]) -> Iterator[None]:
    """Subscribe `handler` for the duration of a `with` block (tests)."""
    subscribe(event_type, handler)
    try:
        yield
    finally:
        unsubscribe(event_type, handler)
