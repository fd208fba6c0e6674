"""Document numbering: the next value of a named counter, safe under concurrency."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from portal.core.models import NumberSequence


def next_number(key: str) -> int:
    """Increment and return counter ``key`` (row-locked; call inside the caller's transaction)."""
    with transaction.atomic():
        updated = NumberSequence.objects.filter(key=key).update(last=F("last") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    NumberSequence.objects.create(key=key, last=1)
                    return 1
            except IntegrityError:
                NumberSequence.objects.filter(key=key).update(last=F("last") + 1)
        return NumberSequence.objects.get(key=key).last
