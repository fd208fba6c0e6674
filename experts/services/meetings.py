"""Review meetings: set up the items when the draw is made, let each expert fill in and
submit their own score sheet, decide who may read which scores, aggregate, record the
chair's conclusion and attach the signed minutes to the case.

Independence: an expert reads only their own sheet until they have submitted it; after
that they read the others' once every attending expert has submitted (or the meeting is
over). The chair (after submitting) and the dispatcher read submitted sheets at any time;
other bureau staff once every sheet is in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.services.downloads import Download
from experts.models import (
    DrawStatus,
    Expert,
    ExpertDraw,
    Invitation,
    InvitationStatus,
    MeetingItem,
    MeetingMinutes,
    MeetingOutcome,
    MeetingStatus,
    ReviewMeeting,
    ScoreSheet,
)
from experts.permissions import can_view_meeting, is_dispatcher, meeting_expert
from experts.scoring import Aggregate, ItemSpec, aggregate
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.numbering import next_number

#: Items scored when the case has no inspection standard: (key, title, requirement, weight).
DEFAULT_ITEMS = (
    ("feasibility", gettext_lazy("方案可行性"),
     gettext_lazy("技术方案、工艺流程、实施计划和资源配置是否可行"), 40),
    ("safety", gettext_lazy("安全性"),
     gettext_lazy("安全防护、风险防控和应急处置措施是否充分有效"), 30),
    ("compliance", gettext_lazy("合规性"),
     gettext_lazy("是否符合法律法规、标准规范和许可条件"), 30),
)
ONE_DECIMAL = Decimal("0.1")


def meeting_create(draw: ExpertDraw) -> ReviewMeeting:
    """The meeting of a new draw, with its items copied from the case's standard."""
    from inspections.services.standards import case_standard

    version = case_standard(draw.case)
    meeting = ReviewMeeting.objects.create(draw=draw, standard_version=version)
    if version is not None and version.items.exists():
        rows = [MeetingItem(meeting=meeting, key=i.key, category=i.get_category_display(),
                            title=i.title, requirement=i.requirement, weight=i.weight,
                            veto=i.veto, order=n)
                for n, i in enumerate(version.items.order_by("order", "pk"), start=1)]
    else:
        rows = [MeetingItem(meeting=meeting, key=key, title=str(title),
                            requirement=str(requirement), weight=weight, order=n)
                for n, (key, title, requirement, weight) in enumerate(DEFAULT_ITEMS, start=1)]
    MeetingItem.objects.bulk_create(rows)
    return meeting


def attending(meeting: ReviewMeeting) -> list[Invitation]:
    """Accepted invitations of experts not marked absent."""
    return list(meeting.draw.invitations.filter(status=InvitationStatus.ACCEPTED)
                .exclude(attended=False).select_related("expert").order_by("pk"))


# ---------------------------------------------------------------- score sheets

def _score(raw, item: MeetingItem) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValueError(_("“{title}”的评分须为数字").format(title=item.title)) from None
    if not value.is_finite() or value != value.quantize(ONE_DECIMAL):
        raise ValueError(_("“{title}”的评分最多保留一位小数").format(title=item.title))
    if not 0 <= value <= item.weight:
        raise ValueError(_("“{title}”的评分须在 0–{w} 之间").format(title=item.title,
                                                                    w=item.weight))
    return value


def clean_scores(items: list[MeetingItem], scores: dict, *, complete: bool) -> dict:
    """{key: {"score": "8.5"|None, "comment": ""}}; every problem reported at once."""
    by_key = {i.key: i for i in items}
    problems, cleaned = [], {}
    unknown = set(scores) - set(by_key)
    if unknown:
        problems.append(_("评分表中有未知项目：{keys}").format(keys="、".join(sorted(unknown))))
    for item in items:
        raw = scores.get(item.key)
        entry = raw if isinstance(raw, dict) else {"score": raw}
        try:
            value = _score(entry.get("score"), item)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if value is None and complete:
            problems.append(_("“{title}”尚未评分").format(title=item.title))
        cleaned[item.key] = {"score": None if value is None else str(value),
                             "comment": str(entry.get("comment") or "").strip()[:500]}
    if problems:
        raise ApplicationError("；".join(problems) + "。", "invalid_scores",
                               extra={"problems": problems})
    return cleaned


def _sheet_expert(meeting: ReviewMeeting, by, expert: Expert | None) -> Expert:
    own = meeting_expert(by, meeting)
    if own is not None and (expert is None or expert.pk == own.pk):
        return own
    if expert is not None and is_dispatcher(by):
        return expert  # 代录: a paper sheet entered by the dispatcher, recorded as theirs
    raise PermissionRefused(_("只有接受邀请的评审专家可以评分。"), "permission_denied")


def sheet_save(*, meeting: ReviewMeeting, by, scores: dict, opinion: str = "",
               submit: bool = False, expert: Expert | None = None) -> ScoreSheet:
    """Save the expert's own sheet (a draft), or submit it (final, every item scored)."""
    expert = _sheet_expert(meeting, by, expert)
    with transaction.atomic():
        meeting = ReviewMeeting.objects.select_for_update(of=("self",)).select_related("draw") \
            .get(pk=meeting.pk)
        if not meeting.is_open:
            raise ConflictError(_("评审会已形成结论或已取消，不能再评分。"), "meeting_closed")
        invitation = meeting.draw.invitations.filter(expert=expert).first()
        if invitation is None or invitation.status != InvitationStatus.ACCEPTED:
            raise ConflictError(_("该专家未接受本次评审邀请。"), "not_accepted")
        if invitation.attended is False:
            raise ConflictError(_("该专家已登记为缺席，不能评分。"), "no_show")
        sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(
            meeting=meeting, expert=expert)
        if sheet.submitted:
            raise ConflictError(_("评分表已提交，不能修改。"), "sheet_submitted")
        sheet.scores = clean_scores(list(meeting.items.all()), scores or {}, complete=submit)
        sheet.opinion, sheet.entered_by = (opinion or "").strip()[:2000], by
        if submit:
            sheet.submitted_at = timezone.now()
            audit_log(action="experts.sheet_submit", actor=by, obj=meeting,
                      after={"expert": expert.pk, "on_behalf": by.pk != expert.user_id,
                             "scores": {k: v["score"] for k, v in sheet.scores.items()}})
        sheet.save()
    return sheet


# ---------------------------------------------------------------- who reads what

@dataclass
class MeetingView:
    """What one user may read of a meeting's scores."""

    expert: Expert | None
    own: ScoreSheet | None
    #: submitted sheets the user may read (their own included once submitted)
    sheets: list[ScoreSheet]
    aggregate: Aggregate | None
    all_in: bool
    waiting_for: list[str]

    @property
    def hidden(self) -> bool:
        return self.aggregate is None


def item_specs(items: list[MeetingItem]) -> list[ItemSpec]:
    return [ItemSpec(i.key, i.title, i.weight, i.veto) for i in items]


def sheet_values(sheet: ScoreSheet) -> dict[str, Decimal]:
    return {k: Decimal(v["score"]) for k, v in sheet.scores.items()
            if v.get("score") is not None}


def meeting_view(meeting: ReviewMeeting, user, *, items: list[MeetingItem] | None = None
                 ) -> MeetingView:
    if not can_view_meeting(user, meeting):
        raise ApplicationError(_("评审会不存在。"), "not_found", status=404)
    items = items if items is not None else list(meeting.items.all())
    sheets = list(meeting.sheets.select_related("expert").order_by("pk"))
    submitted = [s for s in sheets if s.submitted]
    present = attending(meeting)
    done = {s.expert_id for s in submitted}
    waiting = [i.expert.name for i in present if i.expert_id not in done]
    all_in = not meeting.is_open or (bool(present) and not waiting)
    expert = meeting_expert(user, meeting)
    own = next((s for s in sheets if expert and s.expert_id == expert.pk), None)
    if expert is not None:
        own_done = own is not None and own.submitted
        is_chair = meeting.chair_id == expert.pk
        may_read = own_done and (is_chair or all_in)
    else:
        may_read = is_dispatcher(user) or all_in
    visible = submitted if may_read else []
    result = (aggregate(item_specs(items), {s.expert_id: sheet_values(s) for s in visible})
              if may_read and visible else None)
    return MeetingView(expert, own, visible, result, all_in, waiting)


# ---------------------------------------------------------------- chair and conclusion

def meeting_set_chair(*, meeting: ReviewMeeting, by, expert: Expert) -> ReviewMeeting:
    if not is_dispatcher(by):
        raise PermissionRefused(_("只有勘验调度员可以指定专家组组长。"), "permission_denied")
    with transaction.atomic():
        meeting = ReviewMeeting.objects.select_for_update().get(pk=meeting.pk)
        if not meeting.is_open:
            raise ConflictError(_("评审会已形成结论或已取消。"), "meeting_closed")
        if expert.pk not in {i.expert_id for i in attending(meeting)}:
            raise ApplicationError(_("组长须为已接受邀请且到会的专家。"), "invalid_chair")
        meeting.chair = expert
        meeting.save(update_fields=["chair"])
        audit_log(action="experts.chair", actor=by, obj=meeting, after={"chair": expert.pk})
    return meeting


def _check_conclusion(meeting: ReviewMeeting, by, outcome: str, conclusion: str) -> None:
    if meeting.chair_id is None:
        raise ConflictError(_("请先指定专家组组长。"), "no_chair")
    chair_user = meeting.chair.user_id
    if not (is_dispatcher(by) or (chair_user is not None and chair_user == by.pk)):
        raise PermissionRefused(_("只有专家组组长可以填写评审结论。"), "permission_denied")
    if not meeting.is_open or meeting.draw.status != DrawStatus.OPEN:
        raise ConflictError(_("评审会已形成结论或已取消。"), "meeting_closed")
    if meeting.draw.invitations.filter(status=InvitationStatus.PENDING).exists():
        raise ConflictError(_("尚有专家未答复邀请，请待答复或超时补抽后再形成结论。"),
                            "invitations_pending")
    present = attending(meeting)
    done = set(meeting.sheets.filter(submitted_at__isnull=False)
               .values_list("expert_id", flat=True))
    waiting = [i.expert.name for i in present if i.expert_id not in done]
    if not present or waiting:
        raise ConflictError(_("尚有专家未提交评分：{names}。").format(
            names="、".join(waiting) or _("无到会专家")), "sheets_missing")
    if outcome not in MeetingOutcome.values:
        raise ApplicationError(_("请选择评审结论。"), "invalid",
                               extra={"errors": {"outcome": _("请选择评审结论。")}})
    if not conclusion:
        raise ApplicationError(_("请填写评审意见。"), "invalid",
                               extra={"errors": {"conclusion": _("请填写评审意见。")}})


def meeting_conclude(*, meeting: ReviewMeeting, by, outcome: str,
                     conclusion: str) -> MeetingMinutes:
    """The chair's conclusion: the meeting ends, the minutes are signed and attached."""
    from experts.minutes import minutes_pdf
    from experts.services.draws import expert_review_clock

    conclusion = (conclusion or "").strip()
    with transaction.atomic():
        ExpertDraw.objects.select_for_update().filter(pk=meeting.draw_id).first()
        meeting = ReviewMeeting.objects.select_for_update(of=("self",)).select_related(
            "draw__case__matter", "draw__case__applicant", "chair").get(pk=meeting.pk)
        _check_conclusion(meeting, by, outcome, conclusion)
        meeting.outcome, meeting.conclusion = outcome, conclusion[:5000]
        meeting.concluded_by, meeting.concluded_at = by, timezone.now()
        meeting.status = MeetingStatus.CONCLUDED
        meeting.save(update_fields=["outcome", "conclusion", "concluded_by", "concluded_at",
                                    "status"])
        ExpertDraw.objects.filter(pk=meeting.draw_id).update(status=DrawStatus.CLOSED)
        expert_review_clock(meeting.draw.case, stop=False)
        year = timezone.localdate().year
        number = f"PS-{year}-{next_number(f'expert-minutes:{year}'):05d}"
        pdf = minutes_pdf(meeting, number=number)
        minutes = MeetingMinutes(meeting=meeting, case=meeting.draw.case, number=number,
                                 sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf))
        minutes.file.save(f"{number}.pdf", ContentFile(pdf), save=False)
        minutes.save()
        audit_log(action="experts.conclude", actor=by, obj=meeting.draw.case,
                  after={"meeting": meeting.pk, "outcome": outcome, "minutes": number,
                         "sha256": minutes.sha256})
    return minutes


def minutes_download(*, minutes: MeetingMinutes, by) -> Download:
    """The signed minutes to whoever may see the meeting; every hand-out is audited."""
    if not can_view_meeting(by, minutes.meeting):
        raise ApplicationError(_("纪要不存在。"), "not_found", status=404)
    audit_log(action="experts.minutes_view", actor=by, obj=minutes.case,
              after={"minutes": minutes.number, "sha256": minutes.sha256})
    return Download(minutes.file, f"{minutes.number}.pdf", "application/pdf")
