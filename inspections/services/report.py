"""电子踏勘意见书: the PDF made from a task's final, confirmed conclusion, kept with the task
(and so with its cases) and handed out to the applicant side and bureau staff.

``report_render`` gathers what the report says from the database and draws it with
``portal.core.pdf``: the standard version(s) used, every item with its result, any
rectification and its verification, the photos under their item (videos and documents by
name and SHA-256), both inspectors, the times, the score against the pass line and the
conclusion. ``report_create`` numbers, stores, hashes and audits it inside the caller's
transaction (the conclusion service); ``report_download`` checks who may read it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from approvals.permissions import acts_for_applicant
from approvals.services.downloads import Download
from inspections.models import (
    Category,
    Conclusion,
    InspectionReport,
    InspectionTask,
    ItemEvidence,
    Outcome,
    Result,
    StandardItem,
    StandardVersion,
    TaskItem,
)
from inspections.tiers import Mode
from portal.core.audit import audit_log
from portal.core.errors import ConflictError, PermissionRefused
from portal.core.numbering import next_number
from portal.core.pdf import (
    DocumentSpec,
    Heading,
    Image,
    ImageGrid,
    KeyValueTable,
    ListTable,
    Text,
    format_date_zh,
    render_document,
)

logger = logging.getLogger(__name__)

TITLE = "电子踏勘意见书"
FINAL_OUTCOMES = (Outcome.PASS, Outcome.FAIL)
REQUIREMENT_CHARS = 150
DASH = "—"
#: 序号, 项目, 要求, 分值, 否决项, 结果, 意见: narrow columns still fit their 2-3 character header
CHECKLIST_WIDTHS = (0.075, 0.2, 0.28, 0.075, 0.1, 0.1, 0.17)


# ---------------------------------------------------------------- gathering

def _moment(value: datetime | None) -> str:
    if value is None:
        return DASH
    local = timezone.localtime(value)
    return f"{format_date_zh(local.date())} {local:%H:%M}"


def _name(user) -> str:
    return str(user) if user is not None else DASH


def _items(task: InspectionTask) -> list[TaskItem]:
    """The checklist by category, then order, with sources and evidence prefetched."""
    sources = StandardItem.objects.select_related("version__standard")
    evidence = ItemEvidence.objects.order_by("uploaded_at", "pk")
    items = (TaskItem.objects.filter(task=task)
             .select_related("rectify_verified_by")
             .prefetch_related(Prefetch("source_items", queryset=sources),
                               Prefetch("evidence", queryset=evidence)))
    rank = {c: n for n, c in enumerate(Category.values)}
    return sorted(items, key=lambda i: (rank.get(i.category, len(rank)), i.order, i.pk))


def _versions(items: Sequence[TaskItem]) -> list[StandardVersion]:
    found = {s.version.pk: s.version for item in items for s in item.source_items.all()}
    return sorted(found.values(), key=lambda v: v.label)


def _pass_line(versions: Sequence[StandardVersion]) -> str:
    scores = {v.pass_score for v in versions}
    if not scores:
        return DASH
    if len(scores) == 1:
        return _("{score}分").format(score=scores.pop())
    return "；".join(_("{label}：{score}分").format(label=v.label, score=v.pass_score)
                    for v in versions)


def _read(evidence: ItemEvidence) -> bytes:
    """The stored bytes of a photo; empty (drawn as a note) when storage cannot give them."""
    try:
        with evidence.file.open("rb") as handle:
            return handle.read()
    except Exception as exc:  # noqa: BLE001 - any storage backend's failure: note, not crash
        logger.warning("report: evidence %s not readable: %s", evidence.pk, exc)
        return b""


# ---------------------------------------------------------------- body blocks

def _summary(task, conclusion, number, cases, versions, inspectors) -> list:
    version_labels = "、".join(f"{v.label}（{v.standard.title}）" for v in versions) or DASH
    rows = [
        (_("意见书编号"), number or DASH), (_("勘验任务编号"), task.number),
        (_("申请人"), task.applicant.name), (_("勘验地址"), task.address or DASH),
        (_("勘验方式"), str(task.get_mode_display())),
        (_("服务档次"), str(task.get_tier_display())),
        (_("踏勘标准版本"), version_labels), (_("合格分数线"), _pass_line(versions)),
        (_("开始勘验时间"), _moment(task.started_at)),
        (_("结论确认时间"), _moment(conclusion.confirmed_at)),
        *_video_rows(task),
        (_("勘验人员"), "、".join(inspectors) or DASH),
        (_("结论提出人"), f"{_name(conclusion.proposed_by)}（{_moment(conclusion.proposed_at)}）"),
        (_("结论确认人"), f"{_name(conclusion.confirmed_by)}（{_moment(conclusion.confirmed_at)}）"),
    ]
    intro = _("{inspectors}{start}对{applicant}位于{address}的场所进行了{mode}，依据踏勘标准"
              "{labels}逐项核查，勘验意见如下：").format(
        inspectors="、".join(inspectors) or _("勘验人员"),
        start=_("于{at}").format(at=_moment(task.started_at)) if task.started_at else "",
        applicant=task.applicant.name, address=task.address or _("申请地址"),
        mode=task.get_mode_display(), labels="、".join(v.label for v in versions) or DASH)
    case_rows = [[str(n), c.number or _("（未编号）"), c.matter.name]
                 for n, c in enumerate(cases, 1)]
    return [intro, KeyValueTable(rows), Heading(_("一、涉及办件")),
            ListTable([_("序号"), _("办件编号"), _("事项名称")], case_rows, [1, 4, 6])
            if case_rows else Text(_("（无）"))]


def _position(latitude, longitude, accuracy_m) -> str:
    where = _("纬度 {lat}，经度 {lon}").format(lat=latitude, lon=longitude)
    if accuracy_m is not None:
        where += _("（±{m}米）").format(m=accuracy_m)
    return where


def _video_rows(task: InspectionTask) -> list[tuple[str, str]]:
    """精准定位 and calls given up, for a task held (partly) by video."""
    from inspections.video.services import location_off_premises

    locations = list(task.call_locations.order_by("received_at", "pk"))
    fallbacks = list(task.call_fallbacks.select_related("by").order_by("at", "pk"))
    if task.mode != Mode.VIDEO and not locations and not fallbacks:
        return []
    rows = [(_("经营场所坐标"), _position(task.premises_latitude, task.premises_longitude, None)
             if task.has_premises_position else _("未标注"))]
    if locations:
        last = locations[-1]
        text = _("{where}，{at}上报").format(
            where=_position(last.latitude, last.longitude, last.accuracy_m),
            at=_moment(last.received_at))
        distances = [x.distance_m for x in locations if x.distance_m is not None]
        if last.distance_m is not None:
            text += _("；距登记经营场所约{m}米").format(m=last.distance_m)
            text += _("（与经营场所不符）") if location_off_premises(last) else _("（相符）")
        if len(locations) > 1:
            text += _("；通话期间共上报{n}次").format(n=len(locations))
            if distances:
                text += _("，距离{low}～{high}米").format(low=min(distances), high=max(distances))
        rows.append((_("申请人现场定位"), text))
    else:
        rows.append((_("申请人现场定位"), _("未上报")))
    for f in fallbacks:
        text = f"{f.get_kind_display()}（{_moment(f.at)}，{_name(f.by)}）：{f.reason}"
        if f.resume_at:
            text += _("；约定{at}继续").format(at=_moment(f.resume_at))
        rows.append((_("视频勘验未完成"), text))
    return rows


def _checklist(numbered: list[tuple[int, TaskItem]]) -> list:
    body: list = [Heading(_("二、逐项勘验结果"))]
    header = [_("序号"), _("勘验项目"), _("标准要求"), _("分值"), _("否决项"), _("结果"),
              _("勘验意见")]
    for n, (value, label) in enumerate(Category.choices, 1):
        rows = [[str(k), i.title, Truncator(i.requirement).chars(REQUIREMENT_CHARS),
                 str(i.weight), _("是") if i.veto else "",
                 str(i.get_result_display()) if i.result else _("未记录"), i.comment]
                for k, i in numbered if i.category == value]
        if rows:
            body += [Text(f"（{_chinese_number(n)}）{label}", bold=True, indent=False),
                     ListTable(header, rows, CHECKLIST_WIDTHS)]
    if not numbered:
        body.append(Text(_("（无勘验项目）")))
    return body


def _chinese_number(n: int) -> str:
    return "一二三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n)


def _verification(item: TaskItem) -> str:
    if item.rectify_verified is None:
        return _("未核验")
    verdict = _("核验通过") if item.rectify_verified else _("核验未通过")
    who = [p for p in (_name(item.rectify_verified_by) if item.rectify_verified_by else "",
                       _moment(item.rectify_verified_at) if item.rectify_verified_at else "")
           if p]
    return "\n".join([verdict, " ".join(who)]) if who else verdict


def _rectification(numbered: list[tuple[int, TaskItem]]) -> list:
    rows = [[str(k), i.title, i.rectify_note or DASH, _verification(i), i.rectify_comment]
            for k, i in numbered if i.rectify_required]
    if not rows:
        return [Heading(_("三、整改情况")), Text(_("本次勘验无须整改的项目。"))]
    return [Heading(_("三、整改情况")),
            ListTable([_("序号"), _("勘验项目"), _("整改说明"), _("核验结果"), _("核验意见")],
                      rows, [0.08, 0.18, 0.3, 0.22, 0.22])]


def _caption(e: ItemEvidence) -> str:
    lines = [str(e.get_purpose_display())]
    if e.captured_at:
        lines.append(_("拍摄：{at}").format(at=_moment(e.captured_at)))
    if e.latitude is not None and e.longitude is not None:
        where = _("纬度 {lat}，经度 {lon}").format(lat=e.latitude, lon=e.longitude)
        if e.accuracy_m is not None:
            where += _("（±{m}米）").format(m=e.accuracy_m)
        lines.append(where)
    return "\n".join(lines)


def _evidence(task: InspectionTask, numbered: list[tuple[int, TaskItem]]) -> list:
    body: list = [Heading(_("四、勘验影像及取证文件"))]
    for k, item in numbered:
        rows = list(item.evidence.all())
        if not rows:
            continue
        body.append(Text(_("第{n}项　{title}").format(n=k, title=item.title), bold=True,
                         indent=False))
        photos = [Image(_read(e), _caption(e)) for e in rows if e.is_image]
        if photos:
            body.append(ImageGrid(photos, columns=3))
        files = [[str(e.get_purpose_display()),
                  _("视频") if e.is_video else _("文件"),
                  (e.original_name or e.file.name.rsplit("/", 1)[-1]) + "\n" + _caption(e),
                  e.sha256] for e in rows if not e.is_image]
        if files:
            body.append(ListTable([_("用途"), _("类型"), _("文件名"), _("SHA-256")], files,
                                  [1.8, 1.2, 4.4, 5.6]))
    recordings = [r for r in task.recordings.select_related("started_by")
                  .order_by("started_at", "pk") if r.file]
    if recordings:
        body.append(Text(_("视频勘验录像"), bold=True, indent=False))
        rows = [[f"{_moment(r.started_at)}\n{_moment(r.ended_at)}",
                 f"{r.get_status_display()}\n{_name(r.started_by)}",
                 _("{mb} MB，{n}段").format(mb=f"{r.size / 1048576:.1f}", n=r.chunk_count)
                 + (_("，缺失{n}段").format(n=len(r.missing_chunks)) if r.missing_chunks else ""),
                 r.sha256] for r in recordings]
        body.append(ListTable([_("起止时间"), _("状态/录制人"), _("大小"), _("SHA-256")], rows,
                              [3, 2.4, 2, 5.6]))
    if len(body) == 1:
        body.append(Text(_("（无）")))
    return body


def _result(conclusion: Conclusion, numbered, versions, inspectors) -> list:
    vetoes = [f"{k}.{i.title}" for k, i in numbered if i.veto and i.result == Result.FAIL]
    rows = [(_("适用项得分率"), _("{score}分").format(score=conclusion.score)),
            (_("合格分数线"), _pass_line(versions)),
            (_("否决项"), _("不符合：{items}").format(items="、".join(vetoes)) if vetoes
             else _("无不符合")),
            (_("勘验结论"), str(conclusion.get_outcome_display()))]
    note = conclusion.note.strip()
    return [Heading(_("五、勘验得分与结论")), KeyValueTable(rows),
            Text(_("勘验结论：{outcome}。").format(outcome=conclusion.get_outcome_display())
                 + note, bold=True),
            Text(_("勘验人员：{names}（经双人确认）").format(
                names="、".join(inspectors) or DASH), indent=False)]


# ---------------------------------------------------------------- render / create

def report_render(conclusion: Conclusion, *, number: str = "") -> bytes:
    """The report's PDF bytes (the same data gives the same bytes)."""
    task = InspectionTask.objects.select_related("applicant").get(pk=conclusion.task_id)
    cases = list(task.cases.select_related("matter").order_by("number", "pk"))
    numbered = list(enumerate(_items(task), 1))
    versions = _versions([i for _k, i in numbered])
    inspectors = [str(a.inspector) for a in task.assignments.filter(released_at__isnull=True)
                  .select_related("inspector").order_by("assigned_at", "pk")]
    body = [*_summary(task, conclusion, number, cases, versions, inspectors),
            *_checklist(numbered), *_rectification(numbered), *_evidence(task, numbered),
            *_result(conclusion, numbered, versions, inspectors)]
    moment = conclusion.confirmed_at or conclusion.proposed_at
    return render_document(DocumentSpec(
        title=TITLE, number=number, body=body, bureau=settings.BUREAU_NAME,
        dated=timezone.localdate(moment) if moment else None,
        footer_note=_("注：本意见书已归入上述办件，办件据此转入审批决定环节。"),
        subject=f"{TITLE}：" + "、".join(sorted({c.matter.name for c in cases})),
        keywords=tuple(k for k in (number, task.number, *(c.number for c in cases)) if k)))


def report_number() -> str:
    """e.g. KYYJ-2026-000123 (per year, gap-free within committed transactions)."""
    year = timezone.localdate().year
    return f"KYYJ-{year}-{next_number(f'inspection-report:{year}'):06d}"


def report_create(*, conclusion: Conclusion) -> InspectionReport:
    """Render, number, store and audit the report of a confirmed final conclusion."""
    if (conclusion.confirmed_at is None or conclusion.withdrawn_at is not None
            or conclusion.outcome not in FINAL_OUTCOMES):
        raise ConflictError(_("只有经双人确认的最终结论（合格或不合格）才能生成电子踏勘意见书。"),
                            "conclusion_not_final")
    with transaction.atomic():
        if InspectionReport.objects.filter(conclusion=conclusion).exists():
            raise ConflictError(_("该勘验结论已生成电子踏勘意见书。"), "report_exists")
        number = report_number()
        pdf = report_render(conclusion, number=number)
        report = InspectionReport(task_id=conclusion.task_id, conclusion=conclusion,
                                  number=number, size=len(pdf),
                                  sha256=hashlib.sha256(pdf).hexdigest())
        report.file.save(f"{number}.pdf", ContentFile(pdf), save=True)
        audit_log(action="inspections.report_create", actor=conclusion.confirmed_by,
                  obj=report.task, after={"report": number, "sha256": report.sha256,
                                          "conclusion": conclusion.pk,
                                          "outcome": conclusion.outcome})
    return report


def report_get(*, report_id: int) -> InspectionReport:
    report = (InspectionReport.objects.select_related("task__applicant")
              .filter(pk=report_id).first())
    if report is None:
        raise Http404
    return report


def report_may_read(user, report: InspectionReport) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_bureau_staff or acts_for_applicant(user, report.task.applicant)


def report_download(*, report: InspectionReport, by) -> Download:
    """Hand out the report to the applicant's side or bureau staff; every view is audited."""
    if not report_may_read(by, report):
        raise PermissionRefused(_("您无权查看该电子踏勘意见书。"), "permission_denied")
    audit_log(action="inspections.report_download", actor=by, obj=report.task,
              after={"report": report.number, "sha256": report.sha256})
    return Download(report.file, f"{report.number}.pdf", "application/pdf")
