"""电子踏勘意见书: the PDF says what the inspection found (standard versions, every item,
rectification, photos with time and place, both inspectors, times, score and conclusion),
is numbered, stored with its hash and audited, and only the applicant's side and bureau
staff may download it.

The data is built by hand (no conduct services), so these tests do not depend on how a
conclusion is reached, only on what a confirmed conclusion contains.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import include, path, reverse
from django.utils import timezone
from pypdf import PdfReader

from approvals.models import AgentAuthorization
from inspections.models import (
    Assignment,
    Conclusion,
    InspectionReport,
    InspectionTask,
    ItemEvidence,
    Outcome,
    Result,
    TaskItem,
)
from inspections.services.report import report_create, report_download, report_render
from inspections.services.standards import standard_publish
from inspections.tiers import Mode, Tier
from portal.accounts.roles import Role
from portal.core.errors import ConflictError, PermissionRefused
from portal.core.models import AuditEntry
from tests.factories import ApplicantFactory, CaseFactory, MatterFactory, UserFactory, staff

# The report routes as inspections/urls.py mounts them (pages at the root, API at /api/v1/).
urlpatterns = [
    path("", include("inspections.web.urls_reports")),
    path("api/v1/", include("inspections.api.urls_reports")),
    path("", include("portal.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

ITEMS = [
    {"key": "health-cert", "category": "staff", "title": "从业人员健康证明",
     "requirement": "从业人员持有效健康证明上岗。", "weight": 10, "veto": True},
    {"key": "sink", "category": "premises", "title": "清洗消毒水池",
     "requirement": "设专用清洗、消毒水池，并有明显标识。" * 3, "weight": 20},
    {"key": "fridge", "category": "equipment", "title": "冷藏冷冻设施",
     "requirement": "冷藏设施温度保持在0–8℃。", "weight": 15},
    {"key": "records", "category": "management", "title": "进货查验记录",
     "requirement": "建立进货查验记录制度。", "weight": 5},
]
_case_numbers = itertools.count(1)


def png_bytes(size=(64, 48), colour=(30, 120, 200)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def pdf_images(data: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(data)).pages)


@dataclass
class Built:
    task: InspectionTask
    cases: list
    items: dict[str, TaskItem]
    inspectors: list
    conclusion: Conclusion
    photo: ItemEvidence
    labels: list[str]


def _version(matter, items, versions=2):
    version = None
    for n in range(versions):  # publish more than once: the report names the version used
        version = standard_publish(matter=matter, items=items, note=f"第{n + 1}版")
    return version


def _task(applicant, cases, dispatcher) -> InspectionTask:
    task = InspectionTask.objects.create(
        number=f"KY-2026-{InspectionTask.objects.count() + 1:06d}", applicant=applicant,
        mode=Mode.ONSITE, tier=Tier.GENERAL, promised_by=timezone.now() + timedelta(days=1),
        address="运城市盐湖区解放路100号", created_by=dispatcher)
    task.cases.add(*cases)
    return task


def _copy_items(task, pairs) -> dict[str, TaskItem]:
    """TaskItems as dispatch makes them: one per key, traced to every source item."""
    items: dict[str, TaskItem] = {}
    for case, version in pairs:
        for source in version.items.all():
            item = items.get(source.key)
            if item is None:
                item = items[source.key] = TaskItem.objects.create(
                    task=task, key=source.key, category=source.category, title=source.title,
                    requirement=source.requirement, method=source.method,
                    weight=source.weight, veto=source.veto, order=len(items) + 1)
            item.source_items.add(source)
            item.cases.add(case)
    return items


def _assign(task, dispatcher, names=("王勘验", "李勘验")) -> list:
    inspectors = [staff(Role.INSPECTOR, real_name=name) for name in names]
    for inspector in inspectors:
        Assignment.objects.create(task=task, inspector=inspector, method="manual",
                                  reason="测试指派", assigned_by=dispatcher,
                                  assigned_at=timezone.now())
    return inspectors


def stored_evidence(item, by, data=None, **extra) -> ItemEvidence:
    data = data if data is not None else png_bytes()
    evidence = ItemEvidence(item=item, purpose=extra.pop("purpose", "inspection"),
                            content_type=extra.pop("content_type", "image/png"), size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), uploaded_by=by,
                            original_name=extra.pop("original_name", "photo.png"), **extra)
    evidence.file.save("upload", ContentFile(data), save=True)
    return evidence


def _conclude(task, inspectors, outcome=Outcome.PASS, **extra) -> Conclusion:
    now = timezone.now()
    values = {"round": 1, "outcome": outcome, "score": Decimal("92.5"),
              "note": "经营场所布局合理，设施设备齐全。", "proposed_by": inspectors[0],
              "proposed_at": now - timedelta(minutes=5), "confirmed_by": inspectors[1],
              "confirmed_at": now}
    return Conclusion.objects.create(task=task, **{**values, **extra})


def build(*, matters=1) -> Built:
    dispatcher = staff(Role.DISPATCHER)
    applicant = ApplicantFactory(name="运城市喆味餐饮有限公司")
    pairs = []
    for n in range(matters):
        matter = MatterFactory(inspected=True, name=f"食品经营许可{n or ''}")
        case = CaseFactory(matter=matter, applicant=applicant,
                           number=f"SL2026{next(_case_numbers):08d}")
        items = ITEMS if n == 0 else [*ITEMS[:2], {
            "key": f"extra-{n}", "category": "system", "title": f"食品安全管理制度{n}",
            "requirement": "制定食品安全管理制度。", "weight": 10}]
        pairs.append((case, _version(matter, items, versions=2 - n)))
    task = _task(applicant, [c for c, _v in pairs], dispatcher)
    task.started_at = timezone.now() - timedelta(hours=1)
    task.save(update_fields=["started_at"])
    items = _copy_items(task, pairs)
    inspectors = _assign(task, dispatcher)
    for item in items.values():
        item.result, item.comment = Result.PASS, f"{item.title}现场核查符合"
        item.save()
    fridge = items["fridge"]
    fridge.rectify_required = True
    fridge.rectify_note = "已更换温度计并张贴温度记录表"
    fridge.rectify_verified = True
    fridge.rectify_comment = "整改到位"
    fridge.rectify_verified_by = inspectors[1]
    fridge.rectify_verified_at = timezone.now()
    fridge.save()
    items["records"].result = Result.NA
    items["records"].save()
    photo = stored_evidence(items["sink"], inspectors[0], captured_at=timezone.now(),
                   latitude=Decimal("35.026100"), longitude=Decimal("111.007200"),
                   accuracy_m=8)
    conclusion = _conclude(task, inspectors)
    return Built(task, [c for c, _v in pairs], items, inspectors, conclusion, photo,
                 [v.label for _c, v in pairs])


@pytest.fixture
def built() -> Built:
    return build()


def stored_bytes(report: InspectionReport) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


# ---------------------------------------------------------------- content

def test_report_names_version_items_inspectors_outcome_and_number(built):
    report = report_create(conclusion=built.conclusion)
    text = pdf_text(stored_bytes(report))
    assert re.fullmatch(rf"KYYJ-{timezone.localdate().year}-\d{{6}}", report.number)
    assert built.labels[0].endswith("-V2")
    for expected in ("电子踏勘意见书", report.number, built.labels[0], built.task.number,
                     "运城市喆味餐饮有限公司", "运城市盐湖区解放路100号", built.cases[0].number,
                     "食品经营许可", "现场勘验", "快速办（1个工作日）", "王勘验", "李勘验",
                     "92.5分", "80分", "勘验结论：合格。经营场所布局合理，设施设备齐全。",
                     "办件据此转入审批决定环节"):
        assert expected in text, expected
    for item in built.items.values():
        assert item.title in text and f"{item.title}现场核查符合" in text
    assert "不适用" in text and "符合" in text


def test_report_shows_who_proposed_and_who_confirmed_and_the_times(built):
    text = pdf_text(report_render(built.conclusion, number="KYYJ-T"))
    proposed = timezone.localtime(built.conclusion.proposed_at)
    started = timezone.localtime(built.task.started_at)
    assert f"结论提出人王勘验（{proposed.year}年{proposed.month}月{proposed.day}日" \
           f"{proposed:%H:%M}）" in text
    assert "结论确认人李勘验" in text
    assert f"开始勘验时间{started.year}年{started.month}月{started.day}日{started:%H:%M}" in text


def test_report_lists_rectification_and_its_verification(built):
    text = pdf_text(report_render(built.conclusion))
    assert "已更换温度计并张贴温度记录表" in text
    assert "核验通过" in text and "整改到位" in text


def test_photo_is_embedded_under_its_item_with_time_and_gps(built):
    pdf = report_render(built.conclusion)
    assert pdf_images(pdf) == 1
    text = pdf_text(pdf)
    sink = text.index("第2项清洗消毒水池")  # items numbered by category: staff, premises, ...
    assert text.index("勘验取证", sink) > sink
    assert "纬度35.026100，经度111.007200（±8米）" in text
    captured = timezone.localtime(built.photo.captured_at)
    assert f"拍摄：{captured.year}年{captured.month}月{captured.day}日" in text


def test_videos_are_listed_by_name_and_hash_not_embedded(built):
    video = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
    stored_evidence(built.items["fridge"], built.inspectors[0], data=video,
                    content_type="video/mp4", original_name="执法记录仪.mp4",
                    purpose="rectification")
    pdf = report_render(built.conclusion)
    text = pdf_text(pdf)
    assert "执法记录仪.mp4" in text
    assert hashlib.sha256(video).hexdigest() in text
    assert "整改材料" in text
    assert pdf_images(pdf) == 1


def test_merged_task_lists_every_standard_version():
    built = build(matters=2)
    text = pdf_text(report_render(built.conclusion))
    assert len(set(built.labels)) == 2
    for label in built.labels:
        assert label in text
    assert "食品安全管理制度1" in text
    assert all(case.number in text for case in built.cases)


def test_failed_veto_item_is_named_in_the_result(built):
    item = built.items["health-cert"]
    item.result, item.comment = Result.FAIL, "2名从业人员无健康证明"
    item.save()
    built.conclusion.outcome = Outcome.FAIL
    built.conclusion.save()
    text = pdf_text(report_render(built.conclusion))
    assert "不符合：1.从业人员健康证明" in text
    assert "勘验结论：不合格。" in text


def test_missing_optional_data_and_unreadable_photo_do_not_break_the_report():
    dispatcher = staff(Role.DISPATCHER)
    applicant = ApplicantFactory()
    matter = MatterFactory(inspected=True)
    case = CaseFactory(matter=matter, applicant=applicant)  # no case number yet
    task = _task(applicant, [case], dispatcher)
    task.address = ""
    task.save(update_fields=["address"])
    items = _copy_items(task, [(case, _version(matter, ITEMS[:1], versions=1))])
    photo = stored_evidence(items["health-cert"], dispatcher)
    photo.file.storage.delete(photo.file.name)
    broken = stored_evidence(items["health-cert"], dispatcher, data=b"\x89PNG\r\n\x1a\n broken")
    assert broken.pk
    inspector = staff(Role.INSPECTOR)
    conclusion = _conclude(task, [inspector, inspector], note="")  # nobody assigned any more
    report = report_create(conclusion=conclusion)
    text = pdf_text(stored_bytes(report))
    assert "（未编号）" in text and "未记录" in text and "［图片无法显示］" in text
    assert "本次勘验无须整改的项目" in text


def test_same_data_renders_the_same_bytes(built):
    assert report_render(built.conclusion, number="X") == report_render(built.conclusion,
                                                                        number="X")


# ---------------------------------------------------------------- create

def test_report_is_stored_with_its_hash_and_audited(built):
    report = report_create(conclusion=built.conclusion)
    data = stored_bytes(report)
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == report.sha256
    assert report.size == len(data)
    assert report.file.name == f"inspections/reports/{built.task.pk}/{report.sha256}.pdf"
    assert report.task == built.task and report.conclusion == built.conclusion
    entry = AuditEntry.objects.get(action="inspections.report_create")
    assert entry.actor_id == built.inspectors[1].pk
    assert entry.after["report"] == report.number and entry.after["sha256"] == report.sha256


def test_reports_are_numbered_in_sequence():
    first = report_create(conclusion=build().conclusion)
    second = report_create(conclusion=build().conclusion)
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


@pytest.mark.parametrize("change", [
    {"outcome": Outcome.RECTIFY}, {"confirmed_at": None, "confirmed_by": None},
    {"withdrawn_at": "now"},
])
def test_only_a_confirmed_final_conclusion_gets_a_report(built, change):
    for field, value in change.items():
        setattr(built.conclusion, field, timezone.now() if value == "now" else value)
    with pytest.raises(ConflictError) as refused:
        report_create(conclusion=built.conclusion)
    assert refused.value.code == "conclusion_not_final"
    assert not InspectionReport.objects.exists()


def test_a_conclusion_gets_one_report(built):
    report_create(conclusion=built.conclusion)
    with pytest.raises(ConflictError) as refused:
        report_create(conclusion=built.conclusion)
    assert refused.value.code == "report_exists"
    assert InspectionReport.objects.count() == 1


# ---------------------------------------------------------------- download

@pytest.fixture
def report(built) -> InspectionReport:
    return report_create(conclusion=built.conclusion)


def _downloads() -> int:
    return AuditEntry.objects.filter(action="inspections.report_download").count()


def test_applicant_downloads_the_stored_pdf_and_it_is_audited(client, report):
    client.force_login(report.task.applicant.user)
    response = client.get(reverse("inspection-report-download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert f"{report.number}.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == stored_bytes(report)
    entry = AuditEntry.objects.get(action="inspections.report_download")
    assert entry.actor_id == report.task.applicant.user_id
    assert entry.after == {"report": report.number, "sha256": report.sha256}


def test_stranger_cannot_download_and_nothing_is_audited(client, report):
    stranger = ApplicantFactory().user
    client.force_login(stranger)
    assert client.get(reverse("inspection-report-download",
                              args=[report.pk])).status_code == 403
    api = client.get(reverse("api-inspection-report-download", args=[report.pk]))
    assert api.status_code == 403 and api.json()["code"] == "permission_denied"
    with pytest.raises(PermissionRefused):
        report_download(report=report, by=stranger)
    assert _downloads() == 0


def test_authorised_agent_and_bureau_staff_may_download_through_the_api(client, report):
    agent = UserFactory(roles=[Role.AGENT])
    applicant = report.task.applicant
    AgentAuthorization.objects.create(applicant=applicant, agent=agent,
                                      granted_by=applicant.user)
    for user in (agent, staff(Role.REVIEWER)):
        client.force_login(user)
        response = client.get(reverse("api-inspection-report-download", args=[report.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == stored_bytes(report)
    assert _downloads() == 2


def test_unauthorised_agent_and_inactive_staff_are_refused(report):
    agent = UserFactory(roles=[Role.AGENT])
    former = staff(Role.REVIEWER, is_active=False)
    for user in (agent, former):
        with pytest.raises(PermissionRefused):
            report_download(report=report, by=user)


def test_anonymous_is_sent_to_login_and_unknown_report_is_404(client, report):
    url = reverse("inspection-report-download", args=[report.pk])
    assert client.get(url).status_code == 302
    assert client.get(reverse("api-inspection-report-download",
                              args=[report.pk])).status_code in (401, 403)
    client.force_login(report.task.applicant.user)
    assert client.get(reverse("inspection-report-download",
                              args=[report.pk + 999])).status_code == 404
    assert client.get(reverse("api-inspection-report-download",
                              args=[report.pk + 999])).status_code == 404
    assert _downloads() == 0
