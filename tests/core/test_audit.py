"""The audit hash chain: an intact chain verifies; a changed, removed, swapped or reordered
entry is found and ``manage.py audit_verify`` exits non-zero naming the first bad seq.
On PostgreSQL the trigger refuses UPDATE and DELETE, and concurrent appends keep one chain."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from portal.core.audit import (
    GENESIS,
    audit_chain_report,
    audit_log,
    audit_verify_chain,
    entries_in_order,
)
from portal.core.models import AuditEntry, CalendarDay

CONTENT = ("actor_label", "action", "object_type", "object_id", "object_repr", "before",
           "after", "created_at")


@pytest.fixture
def chain(db) -> list[AuditEntry]:
    return [audit_log(action=f"test.step{i}", object_type="test", object_id=str(i),
                      before={"i": i - 1}, after={"i": i, "on": date(2026, 10, i)})
            for i in range(1, 6)]


@contextmanager
def tampering():
    """Let the test change rows; on PostgreSQL bypass the trigger inside this transaction."""
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    try:
        yield
    finally:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")


def verify_command() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def refused() -> CommandError:
    with pytest.raises(CommandError) as exc:
        verify_command()
    assert exc.value.returncode != 0
    return exc.value


# --- intact ---------------------------------------------------------------------------

def test_intact_chain_verifies(chain):
    assert audit_verify_chain() is None
    report = audit_chain_report()
    assert (report.checked, report.head_seq, report.head_hash) == (5, 5, chain[-1].hash)


def test_entries_link_from_the_genesis(chain):
    assert chain[0].prev_hash == GENESIS
    assert [e.prev_hash for e in chain[1:]] == [e.hash for e in chain[:-1]]


def test_summaries_are_stored_as_hashed(chain):
    assert AuditEntry.objects.get(seq=3).after == {"i": 3, "on": "2026-10-03"}


def test_empty_chain_verifies(db):
    assert audit_chain_report().checked == 0
    assert "共 0 条记录" in verify_command()


def test_command_prints_the_count_and_head_of_an_intact_chain(chain):
    out = verify_command()
    assert "共 5 条记录" in out and f"5:{chain[-1].hash}" in out


def test_walk_is_chunked_by_keyset(chain, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert [e.seq for e in entries_in_order(chunk_size=3)] == [1, 2, 3, 4, 5]
    assert audit_chain_report(entries_in_order(chunk_size=2)).checked == 5


def test_audit_log_records_the_object(db):
    row = CalendarDay.objects.get(date=date(2026, 10, 1))
    entry = audit_log(action="test.obj", obj=row)
    assert (entry.object_type, entry.object_id) == ("core.calendarday", str(row.pk))
    assert entry.actor_label == "system"


# --- tampering ------------------------------------------------------------------------

def test_changing_one_entrys_after_is_detected(chain):
    with tampering():
        AuditEntry.objects.filter(seq=3).update(after={"i": 300})
    fault = audit_verify_chain()
    assert (fault.seq, fault.entry_id, fault.code) == (3, chain[2].pk, "hash")
    error = refused()
    assert "#3" in str(error) and f"id={chain[2].pk}" in str(error)


def test_deleting_a_middle_entry_is_detected(chain):
    with tampering():
        AuditEntry.objects.filter(seq=3).delete()
    fault = audit_verify_chain()
    assert (fault.seq, fault.code) == (4, "gap")
    assert "#3" in fault.problem
    assert "#4" in str(refused())


def test_deleting_the_first_entry_is_detected(chain):
    with tampering():
        AuditEntry.objects.filter(seq=1).delete()
    assert audit_verify_chain().seq == 2


def test_swapping_two_entries_content_is_detected(chain):
    second, fourth = (AuditEntry.objects.get(seq=s) for s in (2, 4))
    with tampering():
        AuditEntry.objects.filter(seq=2).update(**{f: getattr(fourth, f) for f in CONTENT})
        AuditEntry.objects.filter(seq=4).update(**{f: getattr(second, f) for f in CONTENT})
    fault = audit_verify_chain()
    assert (fault.seq, fault.code) == (2, "hash")
    assert "#2" in str(refused())


def test_reordering_two_entries_is_detected(chain):
    with tampering():
        AuditEntry.objects.filter(seq=2).update(seq=1000)
        AuditEntry.objects.filter(seq=4).update(seq=2)
        AuditEntry.objects.filter(seq=1000).update(seq=4)
    fault = audit_verify_chain()
    assert (fault.seq, fault.code) == (2, "link")
    assert "#2" in str(refused())


def test_rehashed_entry_still_breaks_the_next_link(chain):
    from portal.core.audit import _fields, entry_hash

    forged = AuditEntry.objects.get(seq=3)
    forged.after = {"i": 300}
    with tampering():
        AuditEntry.objects.filter(seq=3).update(after=forged.after,
                                                hash=entry_hash(**_fields(forged)))
    fault = audit_verify_chain()
    assert (fault.seq, fault.code) == (4, "link")


def test_expected_head_detects_entries_cut_off_the_end(chain):
    head = f"5:{chain[-1].hash}"
    out = StringIO()
    call_command("audit_verify", "--expect-head", head, stdout=out)
    with tampering():
        AuditEntry.objects.filter(seq=5).delete()
    assert audit_verify_chain() is None  # the chain alone cannot see it
    with pytest.raises(CommandError) as exc:
        call_command("audit_verify", "--expect-head", head, stdout=out)
    assert exc.value.returncode != 0 and "#5" in str(exc.value)


def test_malformed_expected_head_is_refused(chain):
    with pytest.raises(CommandError):
        call_command("audit_verify", "--expect-head", "five", stdout=StringIO())


# --- PostgreSQL: the database itself refuses changes ----------------------------------

@pytest.mark.parametrize("statement", [
    "UPDATE core_auditentry SET action = 'forged' WHERE seq = 1",
    "DELETE FROM core_auditentry WHERE seq = 1",
])
def test_postgres_trigger_refuses_update_and_delete(on_postgres, chain, statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEntry.objects.get(seq=1).action == "test.step1"


def test_postgres_trigger_refuses_orm_update(on_postgres, chain):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=2).update(after={})


# --- PostgreSQL: concurrent appends ---------------------------------------------------

def _append_many(worker: int, count: int, barrier: threading.Barrier, errors: list) -> None:
    try:
        barrier.wait(timeout=60)
        for i in range(count):
            audit_log(action="test.concurrent", object_type="worker", object_id=f"{worker}-{i}")
    except Exception as exc:  # noqa: BLE001 - reported by the test
        errors.append(exc)
    finally:
        connection.close()


def test_concurrent_appends_do_not_fork_the_chain(on_postgres, transactional_db):
    base = AuditEntry.objects.count()
    barrier, errors = threading.Barrier(2), []
    threads = [threading.Thread(target=_append_many, args=(w, 20, barrier, errors))
               for w in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = audit_chain_report()
    assert report.fault is None and report.checked == base + 40
    assert AuditEntry.objects.filter(action="test.concurrent").count() == 40
    assert f"共 {base + 40} 条记录" in verify_command()
