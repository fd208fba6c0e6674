"""The minutes of a review meeting (专家评审会议纪要) as a signed PDF: the case and the
meeting, the expert panel (absent experts named), the per-item aggregate with its spread,
each expert's total, the chair's conclusion; laid out by ``portal.core.pdf`` and signed
with the bureau's key the way licences are (``approvals.certificates.signing``)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import InvitationStatus, ReviewMeeting
from experts.scoring import Aggregate
from portal.core.pdf import DocumentSpec, Heading, KeyValueTable, ListTable, Text, render_document


def _n(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")


def _notes(stats) -> str:
    notes = []
    if stats.divergent:
        notes.append(_("分歧较大"))
    if stats.veto_warning:
        notes.append(_("否决项预警"))
    return "、".join(notes)


def _panel(meeting: ReviewMeeting) -> tuple[list, list]:
    invitations = list(meeting.draw.invitations.filter(status=InvitationStatus.ACCEPTED)
                       .select_related("expert").order_by("pk"))
    present = [i.expert for i in invitations if i.attended is not False]
    absent = [i.expert for i in invitations if i.attended is False]
    return present, absent


def _basics(meeting: ReviewMeeting, present, absent) -> KeyValueTable:
    draw, case = meeting.draw, meeting.draw.case
    members = "；".join(f"{e.name}（{e.employer}{'，' + e.title if e.title else ''}）"
                       for e in present)
    rows = [(_("办件编号"), case.number or f"#{case.pk}"), (_("审批事项"), case.matter.name),
            (_("申请人"), case.applicant.name)]
    if case.title:
        rows.append((_("项目名称"), case.title))
    rows += [(_("评审方式"), draw.get_mode_display()),
             (_("评审时间"), timezone.localtime(draw.meeting_at).strftime("%Y-%m-%d %H:%M")),
             (_("评审地点"), draw.place or "—"),
             (_("专家抽取"), _("{number}（{field}，随机抽取，记录可重算核验）").format(
                 number=draw.number, field=draw.field.name)),
             (_("专家组组长"), meeting.chair.name if meeting.chair else "—"),
             (_("专家组成员"), members or "—")]
    if absent:
        rows.append((_("缺席专家"), "、".join(e.name for e in absent)))
    return KeyValueTable(rows)


def _aggregate_table(result: Aggregate) -> ListTable:
    rows = [[str(n), s.title, str(s.weight), _n(s.mean), _n(s.min), _n(s.max), _n(s.stdev),
             _notes(s)] for n, s in enumerate(result.items, start=1)]
    rows.append(["", _("合计"), str(result.max_total), _n(result.total_mean),
                 _n(result.total_min), _n(result.total_max), _n(result.total_stdev),
                 _("得分率 {p}%").format(p=_n(result.percent))])
    return ListTable([_("序号"), _("评审项目"), _("分值"), _("平均分"), _("最低"), _("最高"),
                      _("标准差"), _("备注")], rows, widths=[0.6, 3, 0.8, 1, 0.9, 0.9, 1, 1.6])


def minutes_spec(meeting: ReviewMeeting, *, number: str) -> DocumentSpec:
    from experts.scoring import aggregate
    from experts.services.meetings import item_specs, sheet_values

    present, absent = _panel(meeting)
    sheets = list(meeting.sheets.filter(submitted_at__isnull=False).select_related("expert")
                  .order_by("pk"))
    result = aggregate(item_specs(list(meeting.items.all())),
                       {s.expert_id: sheet_values(s) for s in sheets})
    experts = [[s.expert.name, s.expert.employer, _n(result.totals.get(s.expert_id)),
                timezone.localtime(s.submitted_at).strftime("%Y-%m-%d %H:%M")]
               for s in sheets]
    body = [
        Heading(_("一、基本情况")), _basics(meeting, present, absent),
        Heading(_("二、评分汇总")),
        Text(_("各位专家独立评分，提交前互不可见；下表按已提交的 {n} 份评分表汇总。").format(
            n=len(sheets))),
        _aggregate_table(result),
        Heading(_("三、专家评分")),
        ListTable([_("专家"), _("工作单位"), _("总分"), _("提交时间")], experts,
                  widths=[1.2, 3, 1, 1.6]),
        Heading(_("四、评审结论")),
        Text(_("评审结论：{outcome}").format(outcome=meeting.get_outcome_display()), bold=True),
        Text(meeting.conclusion),
    ]
    return DocumentSpec(
        title=_("专家评审会议纪要"), number=number, body=body,
        dated=timezone.localdate(meeting.concluded_at), seal_label=_("（电子签章）"),
        footer_note=_("本纪要由系统根据专家独立提交的评分汇总生成，经专家组组长确认结论，"
                      "并加盖{bureau}电子签章。").format(bureau=settings.BUREAU_NAME),
        subject=_("{case} 专家评审会议纪要").format(case=meeting.draw.case.number or ""),
        keywords=(meeting.draw.number, number))


def minutes_pdf(meeting: ReviewMeeting, *, number: str) -> bytes:
    """Render and sign the minutes (pyHanko runs outside any event loop)."""
    from approvals.certificates.signing import sign_pdf

    pdf = render_document(minutes_spec(meeting, number=number))
    return sign_pdf(pdf, reason=_("{bureau}专家评审会议纪要").format(bureau=settings.BUREAU_NAME),
                    location=settings.BUREAU_NAME)
