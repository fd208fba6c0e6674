"""The three counter notices of the acceptance stage (《中华人民共和国行政许可法》第三十二条).

Pure renderers: a frozen dataclass in, PDF bytes out (``portal.core.pdf``), no database
access and no clock, so the same input always gives the same bytes. Numbering and storage
belong to ``approvals.services.notices``; ``NOTICE_KINDS`` gives each kind's title and the
number prefix (示例审批受字〔2026〕第000123号).

- 受理通知书: accepted (第三十二条第一款第（五）项), with the promised time limit and any
  容缺 materials with their promise dates.
- 一次性告知书: every missing or defective material at once (第三十二条第一款第（四）项);
  the time limit counts from the resubmission of complete materials.
- 不予受理决定书: the reason and legal basis, and the remedies: 行政复议 within 60 days
  (《中华人民共和国行政复议法》) or 行政诉讼 within 6 months (《中华人民共和国行政诉讼法》).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from portal.core.pdf import (
    DocumentSpec,
    Heading,
    KeyValueTable,
    ListTable,
    Text,
    format_date_zh,
    render_document,
)

LAW = "《中华人民共和国行政许可法》"
SEAL_LABEL = "（行政审批专用章）"
COPIES = "注：本{title}一式两份，一份交申请人，一份由本机关存档。"
BUREAU_SUFFIXES = ("行政审批服务局", "行政审批局", "政务服务管理局", "政务服务和数据管理局",
                   "数据和政务服务局")


@dataclass(frozen=True)
class NoticeKind:
    code: str
    title: str
    prefix: str  # number prefix: 示例审批{prefix}字〔2026〕第000123号


NOTICE_KINDS: dict[str, NoticeKind] = {
    "acceptance": NoticeKind("acceptance", "受理通知书", "受"),
    "supplement": NoticeKind("supplement", "一次性告知书", "补"),
    "rejection": NoticeKind("rejection", "不予受理决定书", "不受"),
    "denial": NoticeKind("denial", "不予行政许可决定书", "不许"),
}


@dataclass(frozen=True)
class AcceptanceNotice:
    bureau: str
    number: str
    applicant_name: str
    case_number: str
    matter_name: str
    accepted_on: date
    promised_on: date | None = None
    promised_days: int | None = None  # working days, counted from acceptance
    materials: Sequence[str] = ()
    tolerated: Sequence[tuple[str, date | None]] = ()  # 容缺: (material, promised by)
    window: str = ""
    phone: str = ""
    inquiry: str = ""  # how to follow progress; a sensible default when empty


@dataclass(frozen=True)
class SupplementLine:
    material: str
    problem: str  # e.g. 缺少 / 不符合要求
    reason: str  # what exactly is wrong and what is required


@dataclass(frozen=True)
class SupplementNotice:
    bureau: str
    number: str
    applicant_name: str
    case_number: str
    matter_name: str
    issued_on: date
    items: Sequence[SupplementLine] = ()
    received_on: date | None = None
    resubmit: str = ""  # how and where to resubmit; a default from window/phone when empty
    resubmit_by: date | None = None
    note: str = ""
    window: str = ""
    phone: str = ""


@dataclass(frozen=True)
class RejectionDecision:
    bureau: str
    number: str
    applicant_name: str
    case_number: str
    matter_name: str
    decided_on: date
    reason: str = ""
    legal_basis: str = ""
    received_on: date | None = None
    redirect_to: str = ""  # the competent authority, when the matter is not ours (第一款第（二）项)
    review_body: str = ""  # 行政复议机关; default: the people's government of the same level
    court: str = ""
    window: str = ""
    phone: str = ""


def default_review_body(bureau: str) -> str:
    """运城市行政审批服务局 → 运城市人民政府 (行政复议法第二十四条: 本级人民政府)."""
    for suffix in BUREAU_SUFFIXES:
        if bureau.endswith(suffix) and len(bureau) > len(suffix):
            return bureau.removesuffix(suffix) + "人民政府"
    return "本机关的本级人民政府"


def _sentence(text: str) -> str:
    """Trim and drop closing punctuation, so templates can add their own "。"."""
    return text.strip().rstrip("。.;；，,")


def _when(value: date | None) -> str:
    return format_date_zh(value) if value else "—"


def _spec(kind: str, notice, body: list, dated: date) -> DocumentSpec:
    title = NOTICE_KINDS[kind].title
    return DocumentSpec(
        title=title, number=notice.number, addressee=notice.applicant_name, body=body,
        dated=dated, bureau=notice.bureau, seal_label=SEAL_LABEL, receipt=True,
        footer_note=COPIES.format(title=title), subject=f"{title}：{notice.matter_name}",
        keywords=tuple(k for k in (notice.number, notice.case_number) if k),
    )


def _contact_rows(notice) -> list[tuple[str, str]]:
    rows = [("办理窗口", notice.window), ("咨询电话", notice.phone)]
    return [(k, v) for k, v in rows if v]


def _time_limit(notice: AcceptanceNotice) -> str:
    parts = []
    if notice.promised_days:
        parts.append(f"{notice.promised_days}个工作日（自受理之日起计算）")
    if notice.promised_on:
        parts.append(f"于{format_date_zh(notice.promised_on)}前办结")
    return "，".join(parts)


def _acceptance_body(n: AcceptanceNotice) -> list:
    complete = ("除下列容缺材料外，申请材料齐全、符合法定形式" if n.tolerated
                else "申请材料齐全、符合法定形式")
    body: list = [
        f"你（单位）申请的“{n.matter_name}”事项，经审查，申请事项属于本机关职权范围，"
        f"{complete}。根据{LAW}第三十二条第一款第（五）项的规定，本机关决定予以受理。",
        KeyValueTable([(k, v) for k, v in [
            ("受理编号", n.case_number), ("申请人", n.applicant_name),
            ("申请事项", n.matter_name), ("受理日期", format_date_zh(n.accepted_on)),
            ("承诺办结时限", _time_limit(n)), *_contact_rows(n)] if v]),
        Heading("一、已收申请材料"),
    ]
    if n.materials:
        body.append(ListTable(["序号", "材料名称"],
                              [[str(i), m] for i, m in enumerate(n.materials, 1)], [1, 9]))
    else:
        body.append(Text("（无）"))
    return body


def _tolerated_body(n: AcceptanceNotice) -> list:
    return [
        Heading("二、容缺受理材料"),
        "以下材料按容缺方式受理。你（单位）已承诺在下列日期前补交，补齐前本机关不出具审批结果；"
        "逾期未补交的，按照容缺受理承诺书的约定处理。",
        ListTable(["序号", "容缺材料", "承诺补交日期"],
                  [[str(i), m, _when(d)] for i, (m, d) in enumerate(n.tolerated, 1)],
                  [1, 6, 3]),
    ]


def render_acceptance_notice(notice: AcceptanceNotice) -> bytes:
    """受理通知书."""
    n = notice
    body = _acceptance_body(n) + (_tolerated_body(n) if n.tolerated else [])
    inquiry = n.inquiry or (
        f"你（单位）可以凭受理编号{n.case_number}登录网上办事大厅查询办理进度"
        + (f"，或者拨打咨询电话{n.phone}查询" if n.phone else "") + "。")
    body += [Heading(f"{'三' if n.tolerated else '二'}、办理进度查询"), inquiry,
             "法定期限内需要听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的，"
             "所需时间不计算在办理时限内，本机关将书面告知。"]
    return render_document(_spec("acceptance", n, body, n.accepted_on))


def _resubmit(n: SupplementNotice) -> str:
    if n.resubmit:
        return n.resubmit
    where = f"，或者携带本告知书到{n.window}提交" if n.window else "，或者到本机关综合受理窗口提交"
    by = f"请于{format_date_zh(n.resubmit_by)}前" if n.resubmit_by else "请"
    ask = f"如有疑问，请拨打咨询电话{n.phone}。" if n.phone else ""
    return f"{by}按照上述要求补正后，通过网上办事大厅在线补交{where}。{ask}"


def render_supplement_notice(notice: SupplementNotice) -> bytes:
    """一次性告知书 (补正材料)."""
    n = notice
    received = f"于{format_date_zh(n.received_on)}" if n.received_on else ""
    ref = f"（申请编号：{n.case_number}）" if n.case_number else ""
    body: list = [
        f"你（单位）{received}提交的“{n.matter_name}”申请{ref}，经审查，申请材料不齐全或者"
        f"不符合法定形式。根据{LAW}第三十二条第一款第（四）项的规定，现将需要补正的全部内容"
        "一次性告知如下：",
        ListTable(["序号", "材料名称", "问题", "补正要求及理由"],
                  [[str(i), x.material, x.problem, x.reason] for i, x in enumerate(n.items, 1)],
                  [1.3, 4, 2.4, 7]),
        Text("本告知书为一次性告知，以上所列为需要补正的全部内容。", bold=True),
        _resubmit(n),
        "补正材料齐全、符合法定形式的，本机关将依法予以受理；本事项的办理时限自本机关收到"
        "全部补正材料之日起计算。",
    ]
    if n.note.strip():
        body.append(f"其他说明：{n.note.strip()}")
    return render_document(_spec("supplement", n, body, n.issued_on))


def _remedies(n: RejectionDecision) -> str:
    review_body = n.review_body or default_review_body(n.bureau)
    court = n.court or "有管辖权的人民法院"
    return (f"如不服本决定，你（单位）可以自收到本决定书之日起60日内，依照《中华人民共和国行政"
            f"复议法》的规定向{review_body}申请行政复议；也可以自收到本决定书之日起6个月内，"
            f"依照《中华人民共和国行政诉讼法》的规定向{court}提起行政诉讼。")


def render_rejection_decision(notice: RejectionDecision) -> bytes:
    """不予受理决定书."""
    n = notice
    received = f"于{format_date_zh(n.received_on)}" if n.received_on else ""
    ref = f"（申请编号：{n.case_number}）" if n.case_number else ""
    reason = _sentence(n.reason) or "你（单位）的申请不符合受理条件"
    basis = _sentence(n.legal_basis) or f"{LAW}第三十二条第一款"
    body: list = [
        f"你（单位）{received}提出的“{n.matter_name}”申请{ref}，经审查，{reason}。"
        f"根据{basis}的规定，本机关决定不予受理。",
    ]
    if n.redirect_to:
        body.append(f"该申请事项依法不属于本机关职权范围，请你（单位）向{n.redirect_to}提出申请。")
    body.append(_remedies(n))
    if n.phone:
        body.append(f"如有疑问，请拨打咨询电话{n.phone}。")
    return render_document(_spec("rejection", n, body, n.decided_on))


def render_denial_decision(notice: RejectionDecision) -> bytes:
    """不予行政许可决定书 (行政许可法 第三十八条第二款: reasons and remedies in writing)."""
    n = notice
    received = f"于{format_date_zh(n.received_on)}" if n.received_on else ""
    ref = f"（办件编号：{n.case_number}）" if n.case_number else ""
    reason = _sentence(n.reason) or "你（单位）的申请不符合法定条件、标准"
    basis = _sentence(n.legal_basis) or f"{LAW}第三十八条第二款"
    body: list = [
        f"你（单位）{received}提出的“{n.matter_name}”行政许可申请{ref}，本机关已依法受理并进行了审查。"
        f"经审查，{reason}。",
        f"根据{basis}的规定，本机关决定不予行政许可。",
        _remedies(n),
    ]
    if n.phone:
        body.append(f"如有疑问，请拨打咨询电话{n.phone}。")
    return render_document(_spec("denial", n, body, n.decided_on))
