"""Documents generated when a package is bound and owned by it: the application form as
it stood at closing (JSON: there is no form-version table, the audit entries of its
edits are archived with the audit record), the review opinions (PDF), the status history
(PDF) and every audit entry about the case, its inspection tasks and expert draws (JSON,
with their chain hashes so they can be checked against the live chain). Output is
deterministic: the same records give the same bytes."""

from __future__ import annotations

import datetime as dt
import json

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Case, CaseStatusChange, ReviewOpinion
from archives.models import DocumentKind
from archives.services.collect import Source
from portal.core.models import AuditEntry
from portal.core.pdf import DocumentSpec, KeyValueTable, ListTable, Text, render_document

K = DocumentKind
JSON = "application/json"
PDF = "application/pdf"


def canonical_json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2,
                      default=str).encode("utf-8")


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _local(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _day(value: dt.datetime | None) -> dt.date:
    return timezone.localtime(value).date() if value else timezone.localdate()


def form_snapshot(case: Case) -> Source:
    """申请表: each field of the matter's form with its label and answer, and what else the
    applicant declared (告知承诺, 容缺 promises, the one-time supplement list)."""
    schema = case.matter.form_schema or []
    known = {spec["name"] for spec in schema}
    fields = [{"name": s["name"], "label": s.get("label", s["name"]),
               "value": case.form_data.get(s["name"])} for s in schema]
    fields += [{"name": k, "label": k, "value": v} for k, v in sorted(case.form_data.items())
               if k not in known]
    commitment = getattr(case, "commitment", None)
    supplement = getattr(case, "supplement_request", None)
    data = {
        "case": case.number, "matter": {"code": case.matter.code, "name": case.matter.name},
        "applicant": {"name": case.applicant.name, "kind": case.applicant.kind,
                      "id_number": case.applicant.id_number},
        "title": case.title, "address": case.address, "channel": case.channel,
        "submitted_at": _iso(case.submitted_at), "accepted_at": _iso(case.accepted_at),
        "decided_at": _iso(case.decided_at), "closed_at": _iso(case.closed_at),
        "form": fields,
        "commitment": {"signer": commitment.signer_name, "text": commitment.text,
                       "signed_at": _iso(commitment.signed_at)} if commitment else None,
        "tolerated": [{"material": d.requirement.name, "promise_date": d.promise_date,
                       "fulfilled_at": _iso(d.fulfilled_at)}
                      for d in case.deficiencies.select_related("requirement").order_by("id")],
        "supplement": {"requested_at": _iso(supplement.requested_at), "note": supplement.note,
                       "items": [{"material": i.material_name, "problem": i.problem,
                                  "reason": i.reason} for i in supplement.items.all()]}
        if supplement else None,
    }
    return Source(kind=K.FORM, title=_("申请表（办结时表单数据快照）"),
                  doc_date=_day(case.submitted_at or case.created_at), content_type=JSON,
                  data=canonical_json(data))


def opinions(case: Case) -> Source | None:
    rows = list(ReviewOpinion.objects.filter(case=case).select_related("material", "reviewer")
                .order_by("created_at", "id"))
    if not rows:
        return None
    table = ListTable(header=[_("序号"), _("审查对象"), _("结论"), _("审查意见"), _("审查人"),
                              _("时间")], widths=[0.6, 2, 1, 3.4, 1.2, 1.6],
                      rows=[[str(n), r.material.name if r.material else _("整体意见"),
                             r.get_verdict_display(), r.text or "—", str(r.reviewer),
                             _local(r.created_at)] for n, r in enumerate(rows, 1)])
    pdf = render_document(DocumentSpec(
        title=_("审查意见表"), number=case.number or "",
        body=[KeyValueTable([(_("办件编号"), case.number or ""), (_("事项"), case.matter.name),
                             (_("申请人"), case.applicant.name)]), table],
        dated=_day(rows[-1].created_at), keywords=(case.number or "",)))
    return Source(kind=K.OPINION, title=_("审查意见表"), doc_date=_day(rows[-1].created_at),
                  content_type=PDF, data=pdf)


def history(case: Case) -> Source:
    rows = list(CaseStatusChange.objects.filter(case=case).select_related("actor")
                .order_by("at", "id"))
    last = rows[-1].at if rows else case.closed_at
    table = ListTable(header=[_("时间"), _("办理环节"), _("状态"), _("经办角色"), _("经办人"),
                              _("意见")], widths=[1.6, 1.4, 2, 1.2, 1.2, 2.6],
                      rows=[[_local(r.at), r.action_label,
                             f"{r.get_from_status_display() or '—'} → "
                             f"{r.get_to_status_display()}",
                             r.get_actor_role_display() or "—", str(r.actor), r.note or "—"]
                            for r in rows])
    pdf = render_document(DocumentSpec(
        title=_("办理过程记录"), number=case.number or "",
        body=[KeyValueTable([(_("办件编号"), case.number or ""), (_("事项"), case.matter.name),
                             (_("申请人"), case.applicant.name)]), table,
              Text(_("以上记录取自系统状态历史，逐条追加、不可修改。"), indent=False)],
        dated=_day(last), keywords=(case.number or "",)))
    return Source(kind=K.HISTORY, title=_("办理过程记录"), doc_date=_day(last),
                  content_type=PDF, data=pdf)


def audit_scope(case: Case) -> Q:
    """Audit entries about the case, its inspection tasks, its expert draws and meetings."""
    task_ids = [str(pk) for pk in case.inspection_tasks.values_list("pk", flat=True)]
    draws = list(case.expert_draws.values_list("pk", "meeting__pk"))
    scope = Q(object_type="approvals.case", object_id=str(case.pk))
    if task_ids:
        scope |= Q(object_type="inspections.inspectiontask", object_id__in=task_ids)
    if draws:
        scope |= Q(object_type="experts.expertdraw", object_id__in=[str(d) for d, _m in draws])
        meetings = [str(m) for _d, m in draws if m]
        if meetings:
            scope |= Q(object_type="experts.reviewmeeting", object_id__in=meetings)
    return scope


def audit(case: Case) -> Source:
    entries = [{"seq": e.seq, "at": _iso(e.created_at), "actor": e.actor_label,
                "action": e.action, "object_type": e.object_type, "object_id": e.object_id,
                "object": e.object_repr, "before": e.before, "after": e.after,
                "request_id": e.request_id, "prev_hash": e.prev_hash, "hash": e.hash}
               for e in AuditEntry.objects.filter(audit_scope(case)).order_by("seq")]
    data = {"case": case.number, "entries": entries,
            "note": "hash = SHA-256 of the entry in the bureau's audit chain "
                    "(portal.core.audit); check with manage.py audit_verify"}
    return Source(kind=K.AUDIT, title=_("审计记录（{n} 条）").format(n=len(entries)),
                  doc_date=timezone.localdate(), content_type=JSON, data=canonical_json(data))


def generated(case: Case) -> list[Source]:
    return [doc for doc in (form_snapshot(case), opinions(case), history(case), audit(case))
            if doc is not None]
