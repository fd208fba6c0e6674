"""Idempotent writes for the demo loaders: create a row, or update only what differs.

Unlike ``update_or_create`` this saves nothing when the row already matches, so a second
``seed_demo`` run leaves every row (and every ``updated_at``) exactly as it was.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import models


@dataclass
class Tally:
    """What a load did, per model: created / updated / unchanged counts."""

    counts: Counter = field(default_factory=Counter)

    def add(self, model: type[models.Model], outcome: str) -> None:
        self.counts[(model._meta.verbose_name, outcome)] += 1

    def total(self, outcome: str) -> int:
        return sum(n for (_, o), n in self.counts.items() if o == outcome)


def _db_value(model: type[models.Model], name: str, value):
    """The value as stored on the row: model instances become their primary key."""
    f = model._meta.get_field(name)
    if f.is_relation and isinstance(value, models.Model):
        return f.attname, value.pk
    return f.attname, value


def upsert(model: type[models.Model], lookup: dict, values: dict, tally: Tally):
    """Get the row matching ``lookup`` and bring it to ``values``; create it if missing."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        tally.add(model, "created")
        return obj
    changed = []
    for name, value in values.items():
        attname, stored = _db_value(model, name, value)
        if getattr(obj, attname) != stored:
            setattr(obj, attname, stored)
            changed.append(attname)
    if changed:
        auto = [f.attname for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
        obj.save(update_fields=changed + auto)
        tally.add(model, "updated")
    else:
        tally.add(model, "unchanged")
    return obj
