"""Idempotent posting: a retried or double-submitted manual or API posting is posted once.

The client sends a key with the posting (the API's `Idempotency-Key` header; the web form's hidden
one-time key, made when the form is shown). The key is stored on the collection under a unique
constraint, within the poster's namespace (one user's keys never meet another's), with a SHA-256
digest of what was asked. A request with a known key and the same digest gets the collection(s) first
posted, unchanged; the same key with a different payment is refused (409) and nothing is posted.
A concurrent duplicate waits on the case's row lock (or meets the unique constraint) and then finds
the first posting. A posting across an obligor's cases stores `<key>#<case id>` on each share.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from django.db.models import Q

from opencse.errors import Conflict, InvalidInput
from opencse.ledger.models import Collection

KEY_LENGTH_MAXIMUM = 100
KEY_PATTERN = re.compile(rf"[A-Za-z0-9._:~+/=-]{{1,{KEY_LENGTH_MAXIMUM}}}")
SHARE_SEPARATOR = "#"  # not allowed in a client's key


@dataclass(frozen=True, slots=True)
class Idempotency:
    """The stored key (namespaced) and the digest of the request it was first sent with."""

    key: str
    digest: str

    def for_share(self, case_id: int) -> Idempotency:
        return Idempotency(key=f"{self.key}{SHARE_SEPARATOR}{case_id}", digest=self.digest)


def idempotency_for(*, actor_id: int | None, key: str, request: dict[str, object]) -> Idempotency:
    """Check the client's key and bind it to the poster and to what is asked (`request`)."""
    if not KEY_PATTERN.fullmatch(key):
        raise InvalidInput(
            f"must be 1 to {KEY_LENGTH_MAXIMUM} letters, digits or . _ : ~ + / = - (a UUID will do)",
            field="idempotency_key",
        )
    canonical = json.dumps({name: str(value) for name, value in request.items()}, sort_keys=True)
    return Idempotency(
        key=f"{actor_id or 'system'}:{key}", digest=hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    )


def earlier_postings(idempotency: Idempotency) -> list[Collection]:
    """The collections first posted under this key (empty if none). Refuses a key reused for another payment."""
    earlier = list(
        Collection.objects.filter(
            Q(idempotency_key=idempotency.key) | Q(idempotency_key__startswith=idempotency.key + SHARE_SEPARATOR)
        ).order_by("pk")
    )
    if any(collection.idempotency_digest != idempotency.digest for collection in earlier):
        raise Conflict(
            "This idempotency key was already used for a different payment; nothing was posted. "
            "Send a new key for a new payment.",
            field="idempotency_key",
        )
    return earlier
