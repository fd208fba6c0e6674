"""``manage.py audit_verify``: walk the audit hash chain and report the first broken entry.

Exit status 0 and the entry count when the chain is intact; non-zero with the first bad
entry (seq, id, problem) when an entry was changed, removed or reordered. The head printed
on success can be kept elsewhere and passed back with ``--expect-head SEQ:HASH`` to detect
entries cut off the end of the chain or a chain rebuilt from scratch.
"""

from __future__ import annotations

import re

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.core.audit import audit_chain_report
from portal.core.models import AuditEntry

HEAD = re.compile(r"^(\d+):([0-9a-f]{64})$")


def parse_head(value: str) -> tuple[int, str]:
    match = HEAD.match(value.strip().lower())
    if not match:
        raise CommandError(_("--expect-head 的格式应为 序号:64位哈希，收到：%(value)s")
                           % {"value": value})
    return int(match.group(1)), match.group(2)


class Command(BaseCommand):
    help = "校验审计记录哈希链（全过程留痕防篡改）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--expect-head", default="",
                            help="此前记录的链头 序号:哈希，校验其仍在链中")

    def handle(self, *args, **options) -> None:
        expected = parse_head(options["expect_head"]) if options["expect_head"] else None
        report = audit_chain_report()
        if report.fault is not None:
            f = report.fault
            raise CommandError(_("审计链在 #%(seq)s（id=%(id)s）处断开：%(problem)s；"
                                 "此前 %(checked)s 条完好。")
                               % {"seq": f.seq, "id": f.entry_id, "problem": f.problem,
                                  "checked": report.checked}, returncode=2)
        if expected is not None:
            self.check_anchor(*expected)
        self.stdout.write(_("审计链完整：共 %(count)s 条记录。") % {"count": report.checked})
        if report.checked:
            self.stdout.write(_("链头：%(seq)s:%(hash)s") % {"seq": report.head_seq,
                                                           "hash": report.head_hash})

    def check_anchor(self, seq: int, digest: str) -> None:
        entry = AuditEntry.objects.filter(seq=seq).only("hash").first()
        if entry is None or entry.hash != digest:
            raise CommandError(_("审计链与此前记录的链头 #%(seq)s 不符：链尾记录被删除，"
                                 "或整条链被重算。") % {"seq": seq}, returncode=3)
