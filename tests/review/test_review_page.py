"""The review page (/review/cases/<id>/): the form's answers beside the current materials
with download links and previews, an opinion per material and overall through
``review_opinion_add``, refusals shown as page messages with nothing typed lost (a problem
without text, the acceptor barred by the four-way separation), read-only for other staff,
never for applicants, and a flat query count however many materials and opinions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals.models import ReviewOpinion
from approvals.services import case_transition
from approvals.services.intake import material_upload
from approvals.services.review import review_opinion_add
from approvals.workflow import CaseStatus
from tests.factories import CaseFactory, MaterialFactory, MatterFactory, UserFactory
from tests.factories.workflow import drive
from tests.intake.conftest import FORM, FORM_OK, PNG, pdf_upload
from tests.review.conftest import logged_in, messages_of

pytestmark = pytest.mark.django_db

PROBLEM_NEEDS_TEXT = "存在问题时须写明审查意见。"
SEPARATION = "您已在本件承担“受理”职责，不能再承担“审查”职责"


def review_url(case) -> str:
    return reverse("review-case", args=[case.pk])


def draft_with_materials(count: int, *, png: bool = False):
    """A draft of a matter with a form and ``count`` required materials, all uploaded."""
    matter = MatterFactory(name="食品经营许可", form_schema=FORM)
    case = CaseFactory(matter=matter, form_data=dict(FORM_OK, opening_date="2026-12-01"),
                       title="好味道饭店")
    for i in range(count):
        req = MaterialFactory(matter=matter, name=f"材料{i + 1}号", required=True, order=i)
        upload = (pdf_upload("photo.png", PNG) if png and i == 0
                  else pdf_upload(f"scan-{i + 1}.pdf"))
        if png and i == 0:
            upload.content_type = "image/png"
        material_upload(case=case, requirement=req, upload=upload, by=case.applicant.user)
    return case


@pytest.fixture
def reviewing(crew):
    """A case under review by the crew's reviewer, with two PDFs and a PNG uploaded."""
    return drive(draft_with_materials(3, png=True), crew, CaseStatus.UNDER_REVIEW)


def materials_of(case):
    return list(case.materials.filter(is_current=True).order_by("requirement__order"))


def post_opinion(client, case, target, verdict, text=""):
    prefix = "overall" if target == "overall" else f"m{target}"
    return client.post(review_url(case), {"target": str(target), f"{prefix}-verdict": verdict,
                                          f"{prefix}-text": text})


def test_reviewer_sees_form_answers_and_materials_with_download_links(crew, reviewing):
    response = logged_in(crew.users["reviewer"]).get(review_url(reviewing))
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("店铺名称", "经营面积（平方米）", "主体业态", "拟开业日期"):
        assert label in html
    assert "好味道饭店" in html and "餐饮服务经营者" in html and "2026-12-01" in html
    for material in materials_of(reviewing):
        assert material.name in html and material.original_name in html
        assert reverse("intake-material-download", args=[material.pk]) in html
        assert f'name="m{material.pk}-verdict"' in html
    png, pdf = materials_of(reviewing)[:2]
    assert f'<img src="{reverse("review-material-preview", args=[png.pk])}"' in html
    assert f'<object data="{reverse("review-material-preview", args=[pdf.pk])}"' in html
    assert 'name="overall-verdict"' in html and "application/pdf" in html


def test_queue_rows_link_to_the_review_page(crew, reviewing):
    html = logged_in(crew.users["reviewer"]).get("/review/").content.decode()
    assert f'href="{review_url(reviewing)}"' in html


def test_reviewer_posts_a_material_problem_and_an_overall_conforms(crew, reviewing):
    client = logged_in(crew.users["reviewer"])
    material = materials_of(reviewing)[1]
    response = post_opinion(client, reviewing, material.pk, "problem", "营业执照已过期")
    assert response.status_code == 302
    assert response["Location"] == f"{review_url(reviewing)}#op-{material.pk}"
    response = post_opinion(client, reviewing, "overall", "conforms", "其余材料齐全")
    assert response.status_code == 302

    opinions = list(ReviewOpinion.objects.filter(case=reviewing).order_by("id"))
    assert [(o.material_id, o.verdict, o.text) for o in opinions] == [
        (material.pk, "problem", "营业执照已过期"), (None, "conforms", "其余材料齐全")]
    assert all(o.reviewer == crew.users["reviewer"] for o in opinions)

    response = client.get(review_url(reviewing))
    html = response.content.decode()
    assert "营业执照已过期" in html and "其余材料齐全" in html
    assert "审查员" in html
    approver_view = logged_in(crew.users["approver"]).get(review_url(reviewing))
    assert crew.users["reviewer"].real_name not in approver_view.content.decode()
    assert crew.users["reviewer"].username not in approver_view.content.decode()
    assert response.context["rp"].materials[1].opinions[0].opinion.text == "营业执照已过期"
    assert response.context["rp"].overall[0].opinion.verdict == "conforms"


def test_a_problem_without_text_is_refused_and_the_form_is_kept(crew, reviewing):
    client = logged_in(crew.users["reviewer"])
    material = materials_of(reviewing)[0]
    response = post_opinion(client, reviewing, material.pk, "problem", "   ")
    assert response.status_code == 200
    assert PROBLEM_NEEDS_TEXT in messages_of(response)
    assert not ReviewOpinion.objects.filter(case=reviewing).exists()
    form = response.context["rp"].materials[0].form
    assert form.is_bound and form["verdict"].value() == "problem"
    html = response.content.decode()
    assert f'id="id_m{material.pk}-verdict_1" required checked' in html


def test_typed_text_is_kept_when_the_service_refuses(crew, reviewing):
    """A refusal after validation (here: the case left review meanwhile) re-renders the
    page with the verdict and the text the reviewer typed."""
    client = logged_in(crew.users["reviewer"])
    case_transition(case_id=reviewing.pk, name="send_to_decision", by=crew.users["reviewer"])
    response = post_opinion(client, reviewing, "overall", "conforms", "我写了很长的意见")
    assert response.status_code == 200
    assert "只有审查中的办件可以填写审查意见。" in messages_of(response)
    assert "我写了很长的意见" in response.content.decode()
    assert response.context["rp"].overall_form["text"].value() == "我写了很长的意见"


def test_the_acceptor_is_refused_by_the_separation_rule(crew):
    dual = UserFactory(roles=["clerk", "reviewer"])
    case = draft_with_materials(1)
    case_transition(case_id=case.pk, name="submit", by=case.applicant.user)
    case_transition(case_id=case.pk, name="accept", by=dual)
    case_transition(case_id=case.pk, name="start_review", by=crew.users["reviewer"])
    client = logged_in(dual)

    page = client.get(review_url(case)).content.decode()
    assert SEPARATION in page  # forewarned, the forms stay so the service decides

    material = materials_of(case)[0]
    response = post_opinion(client, case, material.pk, "conforms", "受理时已核对原件")
    assert response.status_code == 200
    assert any(SEPARATION in m for m in messages_of(response))
    assert "受理时已核对原件" in response.content.decode()
    assert not ReviewOpinion.objects.filter(case=case).exists()


def test_other_staff_see_opinions_read_only(crew, reviewing):
    review_opinion_add(case=reviewing, by=crew.users["reviewer"], verdict="problem",
                       text="场所平面图不清晰", material_id=materials_of(reviewing)[0].pk)
    client = logged_in(crew.users["approver"])
    response = client.get(review_url(reviewing))
    assert response.status_code == 200
    html = response.content.decode()
    assert "场所平面图不清晰" in html and "审查员" in html
    assert 'name="overall-verdict"' not in html and f'name="m{materials_of(reviewing)[0].pk}-verdict"' not in html
    assert response.context["rp"].overall_form is None
    response = post_opinion(client, reviewing, "overall", "conforms", "同意")
    assert response.status_code == 200
    assert not ReviewOpinion.objects.filter(case=reviewing, verdict="conforms").exists()
    # the case page shows the opinions read-only with a link to the review page
    case_page = client.get(reverse("case-detail", args=[reviewing.pk])).content.decode()
    assert "场所平面图不清晰" in case_page and review_url(reviewing) in case_page


def test_applicant_never_sees_opinions(crew, reviewing):
    review_opinion_add(case=reviewing, by=crew.users["reviewer"], verdict="problem",
                       text="内部意见：复核面积", material_id=None)
    client = logged_in(reviewing.applicant.user)
    assert client.get(review_url(reviewing)).status_code == 404
    material = materials_of(reviewing)[0]
    assert client.get(reverse("review-material-preview", args=[material.pk])).status_code == 404
    response = client.get(reverse("case-detail", args=[reviewing.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "内部意见：复核面积" not in html and review_url(reviewing) not in html
    assert 'id="review"' not in html


def test_preview_is_inline_and_may_be_framed_by_the_site(crew, reviewing):
    material = materials_of(reviewing)[1]
    response = logged_in(crew.users["reviewer"]).get(
        reverse("review-material-preview", args=[material.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def with_opinions(crew, count: int):
    case = drive(draft_with_materials(count), crew, CaseStatus.UNDER_REVIEW)
    reviewer = crew.users["reviewer"]
    for material in materials_of(case):
        review_opinion_add(case=case, by=reviewer, verdict="problem", text="请补充盖章",
                           material_id=material.pk)
        review_opinion_add(case=case, by=reviewer, verdict="conforms", material_id=material.pk)
    review_opinion_add(case=case, by=reviewer, verdict="conforms", text="总体符合")
    return case


def test_query_count_is_flat_in_materials_and_opinions(crew, django_assert_max_num_queries):
    small, large = with_opinions(crew, 2), with_opinions(crew, 8)
    client = logged_in(crew.users["reviewer"])
    client.get(review_url(small))  # warm the session and the caches
    with CaptureQueriesContext(connection) as two:
        response = client.get(review_url(small))
    assert response.context["rp"].opinion_count == 5
    with django_assert_max_num_queries(len(two)):
        response = client.get(review_url(large))
    assert len(response.context["rp"].materials) == 8
    assert response.context["rp"].opinion_count == 17
