"""approvals.notices: the three counter notices of the acceptance stage say what the law
requires (行政许可法第三十二条), show the caller's data literally, and are deterministic."""

from __future__ import annotations

import io
import logging
import re
from datetime import date

from pypdf import PdfReader

from approvals.models import Notice
from approvals.notices import (
    NOTICE_KINDS,
    AcceptanceNotice,
    RejectionDecision,
    SupplementLine,
    SupplementNotice,
    default_review_body,
    render_acceptance_notice,
    render_rejection_decision,
    render_supplement_notice,
)

BUREAU = "运城市行政审批服务局"
COMMON = {"bureau": BUREAU, "applicant_name": "运城市喆味餐饮有限公司",
          "case_number": "SL20261122000123", "matter_name": "食品经营许可",
          "window": "综合受理窗口8号", "phone": "0359-12345"}


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _acceptance(**overrides) -> AcceptanceNotice:
    values = {**COMMON, "number": "运审受字〔2026〕第000123号", "accepted_on": date(2026, 11, 22),
              "promised_on": date(2026, 12, 4), "promised_days": 10,
              "materials": ["食品经营许可申请书", "营业执照复印件"],
              "tolerated": [("食品安全管理人员培训合格证明", date(2026, 12, 1))]}
    return AcceptanceNotice(**{**values, **overrides})


def _supplement(**overrides) -> SupplementNotice:
    values = {**COMMON, "number": "运审补字〔2026〕第000045号", "issued_on": date(2026, 11, 22),
              "items": [SupplementLine("营业执照复印件", "缺少", "请提交加盖公章的复印件一份"),
                        SupplementLine("卫生管理制度", "不符合要求", "未涵盖集中空调清洗消毒")]}
    return SupplementNotice(**{**values, **overrides})


def _rejection(**overrides) -> RejectionDecision:
    values = {**COMMON, "number": "运审不受字〔2026〕第000007号", "decided_on": date(2026, 11, 22),
              "reason": "申请事项依法不需要取得行政许可。",
              "legal_basis": "《中华人民共和国行政许可法》第三十二条第一款第（一）项"}
    return RejectionDecision(**{**values, **overrides})


def test_notice_kinds_match_the_notice_model_and_carry_number_prefixes():
    assert {code: kind.title for code, kind in NOTICE_KINDS.items()} == {
        "acceptance": "受理通知书", "supplement": "一次性告知书", "rejection": "不予受理决定书",
        "denial": "不予行政许可决定书"}
    assert {code: kind.prefix for code, kind in NOTICE_KINDS.items()} == {
        "acceptance": "受", "supplement": "补", "rejection": "不受", "denial": "不许"}
    assert set(NOTICE_KINDS) == set(Notice.Kind.values)
    assert all(kind.code == code for code, kind in NOTICE_KINDS.items())


def test_acceptance_notice_lists_case_time_limit_materials_tolerated_and_contact():
    text = _text(render_acceptance_notice(_acceptance()))
    for expected in (BUREAU, "受理通知书", "运审受字〔2026〕第000123号", "运城市喆味餐饮有限公司：",
                     "SL20261122000123", "食品经营许可", "2026年11月22日",
                     "第三十二条第一款第（五）项", "本机关决定予以受理", "10个工作日",
                     "于2026年12月4日前办结", "食品经营许可申请书", "营业执照复印件",
                     "容缺受理材料", "食品安全管理人员培训合格证明", "2026年12月1日",
                     "综合受理窗口8号", "0359-12345", "办理进度查询", "（行政审批专用章）"):
        assert expected in text


def test_acceptance_notice_without_tolerated_materials_has_no_tolerated_section():
    text = _text(render_acceptance_notice(_acceptance(tolerated=[], promised_days=None)))
    assert "容缺" not in text
    assert "申请材料齐全、符合法定形式" in text
    assert "二、办理进度查询" in text


def test_acceptance_notice_tolerated_material_without_a_date_shows_a_dash():
    text = _text(render_acceptance_notice(_acceptance(tolerated=[("租赁合同原件", None)])))
    assert "租赁合同原件—" in text


def test_supplement_notice_lists_every_item_once_and_counts_time_from_resubmission():
    text = _text(render_supplement_notice(_supplement(note="可一次提交")))
    for expected in ("一次性告知书", "运审补字〔2026〕第000045号", "运城市喆味餐饮有限公司：",
                     "第三十二条第一款第（四）项", "营业执照复印件", "缺少",
                     "请提交加盖公章的复印件一份", "卫生管理制度", "不符合要求",
                     "未涵盖集中空调清洗消毒", "本告知书为一次性告知，以上所列为需要补正的全部内容",
                     "综合受理窗口8号", "办理时限自本机关收到全部补正材料之日起计算",
                     "其他说明：可一次提交"):
        assert expected in text


def test_supplement_notice_can_name_how_and_by_when_to_resubmit():
    text = _text(render_supplement_notice(_supplement(resubmit_by=date(2026, 12, 10))))
    assert "请于2026年12月10日前按照上述要求补正后" in text
    custom = _text(render_supplement_notice(_supplement(resubmit="请到三楼302室提交。")))
    assert "请到三楼302室提交。" in custom


def test_rejection_decision_gives_reason_basis_and_both_remedies_with_time_limits():
    text = _text(render_rejection_decision(_rejection()))
    for expected in ("不予受理决定书", "运审不受字〔2026〕第000007号", "申请事项依法不需要取得行政许可。",
                     "根据《中华人民共和国行政许可法》第三十二条第一款第（一）项的规定",
                     "本机关决定不予受理", "60日", "《中华人民共和国行政复议法》",
                     "向运城市人民政府申请行政复议", "6个月", "《中华人民共和国行政诉讼法》",
                     "提起行政诉讼"):
        assert expected in text
    assert "。。" not in text


def test_rejection_decision_names_the_competent_authority_review_body_and_court():
    text = _text(render_rejection_decision(_rejection(
        redirect_to="运城市市场监督管理局", review_body="山西省人民政府", court="运城市盐湖区人民法院")))
    assert "请你（单位）向运城市市场监督管理局提出申请" in text
    assert "向山西省人民政府申请行政复议" in text
    assert "向运城市盐湖区人民法院提起行政诉讼" in text


def test_rejection_decision_without_reason_or_basis_still_reads_correctly():
    text = _text(render_rejection_decision(_rejection(reason="", legal_basis="")))
    assert "你（单位）的申请不符合受理条件" in text
    assert "根据《中华人民共和国行政许可法》第三十二条第一款的规定" in text


def test_review_body_defaults_to_the_government_of_the_same_level():
    assert default_review_body("运城市行政审批服务局") == "运城市人民政府"
    assert default_review_body("西安市未央区行政审批服务局") == "西安市未央区人民政府"
    assert default_review_body("某某局") == "本机关的本级人民政府"


def test_applicant_text_is_shown_literally_not_as_markup():
    name = "A&B <script>公司</script>"
    text = _text(render_supplement_notice(_supplement(
        applicant_name=name, items=[SupplementLine("<材料>", "缺少", "x < y & z")])))
    assert "A&B<script>公司</script>：" in text
    assert "<材料>" in text and "x<y&z" in text


def test_each_notice_renders_identically_twice():
    assert render_acceptance_notice(_acceptance()) == render_acceptance_notice(_acceptance())
    assert render_supplement_notice(_supplement()) == render_supplement_notice(_supplement())
    assert render_rejection_decision(_rejection()) == render_rejection_decision(_rejection())


def test_names_outside_gb2312_render_without_missing_glyph_warnings(caplog):
    with caplog.at_level(logging.WARNING, logger="portal.core.pdf"):
        render_acceptance_notice(_acceptance(applicant_name="王喆（西安市鄠邑区）"))
    assert caplog.text == ""
