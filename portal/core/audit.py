"""The audit trail (全过程留痕): append entries to a SHA-256 hash chain and verify it.

Each entry's hash covers its sequence number, time, actor, action, object, before/after
summaries, request id and the previous entry's hash, so a changed, removed or reordered
entry breaks the chain from that point on. Appends are serialised (an advisory lock on
PostgreSQL, the write lock on SQLite) inside the caller's transaction. Verification walks
the table in keyset-paginated chunks, so it runs in constant memory on millions of rows.
The chain cannot show entries cut off the end; record the head (seq and hash) that
``manage.py audit_verify`` prints somewhere else to detect that too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.middleware import current_request_id
from portal.core.models import AuditEntry

GENESIS = "0" * 64
_LOCK_KEY = 7_200_424_001  # pg_advisory_xact_lock key reserved for the audit chain


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)


def _no_floats(value: Any) -> Any:
    """Floats may come back from jsonb in another form (1e20 as an int): store them as text."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {k: _no_floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_floats(v) for v in value]
    return value


def normalise(summary: dict | None) -> dict:
    """JSON-safe copy (dates, decimals, UUIDs, floats as strings): what is hashed is stored."""
    return _no_floats(json.loads(_canonical(summary or {})))


def entry_hash(*, seq: int, created_at: str, actor_id: int | None, actor_label: str,
               action: str, object_type: str, object_id: str, object_repr: str,
               before: dict, after: dict, request_id: str, prev_hash: str) -> str:
    payload = _canonical([seq, created_at, actor_id, actor_label, action, object_type,
                          object_id, object_repr, before, after, request_id, prev_hash])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _fields(entry: AuditEntry) -> dict:
    return {
        "seq": entry.seq, "created_at": entry.created_at.astimezone(dt.UTC).isoformat(),
        "actor_id": entry.actor_id, "actor_label": entry.actor_label, "action": entry.action,
        "object_type": entry.object_type, "object_id": entry.object_id,
        "object_repr": entry.object_repr, "before": entry.before, "after": entry.after,
        "request_id": entry.request_id, "prev_hash": entry.prev_hash,
    }


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def audit_log(*, action: str, actor=None, obj: Model | None = None,
              before: dict | None = None, after: dict | None = None,
              object_type: str = "", object_id: str = "", object_repr: str = "") -> AuditEntry:
    """Append one entry to the chain (inside the caller's transaction, if any)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    with transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
        entry = AuditEntry(
            seq=(last.seq + 1) if last else 1,
            created_at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=getattr(actor, "username", "") or ("system" if actor is None else ""),
            action=action, object_type=object_type, object_id=object_id,
            object_repr=object_repr[:200], before=normalise(before), after=normalise(after),
            request_id=current_request_id(), prev_hash=last.hash if last else GENESIS,
        )
        entry.hash = entry_hash(**_fields(entry))
        entry.save(force_insert=True)
    return entry


@dataclass(frozen=True)
class ChainFault:
    """The first broken entry: ``code`` is gap, link or hash; ``problem`` is for people."""

    seq: int
    entry_id: int
    problem: str
    code: str = ""


@dataclass(frozen=True)
class ChainReport:
    """Result of a walk: entries checked, the head reached, and the first fault if any."""

    checked: int
    head_seq: int
    head_hash: str
    fault: ChainFault | None


def entries_in_order(*, chunk_size: int = 2000) -> Iterator[AuditEntry]:
    """All entries by ``seq``, fetched in keyset-paginated chunks (constant memory)."""
    after = -1
    while True:
        chunk = list(AuditEntry.objects.filter(seq__gt=after).order_by("seq")[:chunk_size])
        yield from chunk
        if len(chunk) < chunk_size:
            return
        after = chunk[-1].seq


def _fault(entry: AuditEntry, expected_seq: int, prev_hash: str) -> ChainFault | None:
    if entry.seq != expected_seq:
        return ChainFault(entry.seq, entry.pk, _("序号不连续：应为 #%(expected)s，实为 #%(found)s"
                                                 "（其间记录被删除或调换）")
                          % {"expected": expected_seq, "found": entry.seq}, "gap")
    if entry.prev_hash != prev_hash:
        return ChainFault(entry.seq, entry.pk, _("与前一条记录的哈希链接断开（前一条被改动、"
                                                 "删除或调换）"), "link")
    if entry_hash(**_fields(entry)) != entry.hash:
        return ChainFault(entry.seq, entry.pk, _("内容与其哈希不符（本条被改动）"), "hash")
    return None


def audit_chain_report(entries: Iterable[AuditEntry] | None = None) -> ChainReport:
    """Walk the chain from the genesis and stop at the first fault."""
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    for entry in entries_in_order() if entries is None else entries:
        fault = _fault(entry, expected_seq, prev_hash)
        if fault is not None:
            return ChainReport(checked, expected_seq - 1, prev_hash, fault)
        prev_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    return ChainReport(checked, expected_seq - 1, prev_hash, None)


def audit_verify_chain(entries: Iterable[AuditEntry] | None = None) -> ChainFault | None:
    """The first fault in the chain, or None if it is intact."""
    return audit_chain_report(entries).fault
