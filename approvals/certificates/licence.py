"""The licence page (许可证 / 行业综合许可证): a pure renderer, data in, PDF bytes out.

Owns the licence's face: one A4 landscape page with a double border, the title (许可证,
or 行业综合许可证 when one licence carries several matters: 一业一证), the certificate
number, a two-column table of the printed fields (holder, USCC or masked ID, legal
representative, address, every matter, scope, validity, note), the issuing bureau and the
date bottom right with the bureau's seal (``seal.py``) stamped over them, and bottom left
a QR code of ``verify_url`` with "扫码核验" and a link annotation over it.

No database, no clock, no settings: the caller (``approvals.services.certificates``)
numbers, masks personal ID numbers and signs (``signing.py``). Text is drawn in the
embedded font (``portal.core.pdf``), output is deterministic (``invariant=1``).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from approvals.certificates.seal import SEAL_LABEL, draw_seal
from portal.core.pdf import (
    CREATOR,
    FONT,
    FONT_BOLD,
    format_date_zh,
    register_fonts,
    unsupported_characters,
)

logger = logging.getLogger(__name__)

PAGE = landscape(A4)
WIDTH, HEIGHT = PAGE
FRAME = colors.HexColor("#9A2A1F")  # border and title: the dark red of printed licences
INK = colors.HexColor("#1A1A1A")
LABEL_SHADE = colors.HexColor("#F6EFE6")
RULE = colors.HexColor("#8C6E5A")
CONTENT_X = 26 * mm  # left edge of the text area (the border sits at 10-13 mm)
CONTENT_WIDTH = WIDTH - 2 * CONTENT_X
TABLE_TOP = HEIGHT - 47 * mm
TABLE_BOTTOM = 62 * mm
SEAL_SIZE = 40 * mm
QR_SIZE = 27 * mm
#: Where the QR code and its link annotation are: (x, y, size) in points, origin bottom left.
QR_BOX = (CONTENT_X + 2 * mm, 24 * mm, QR_SIZE)
#: Centre of the seal: over the issuing bureau's name and the date (bottom right).
SEAL_CENTRE = (WIDTH - CONTENT_X - 44 * mm, 37 * mm)
#: The seal's square (x1, y1, x2, y2): ``sign_pdf(..., box=SEAL_BOX)`` puts the signature's
#: (blank) widget over the printed seal, so clicking the seal opens the signature panel.
SEAL_BOX = (SEAL_CENTRE[0] - SEAL_SIZE / 2, SEAL_CENTRE[1] - SEAL_SIZE / 2,
            SEAL_CENTRE[0] + SEAL_SIZE / 2, SEAL_CENTRE[1] + SEAL_SIZE / 2)
INTEGRATED_TITLE = "行业综合许可证"
SINGLE_TITLE = "许可证"
FONT_SIZES = (11.5, 11, 10.5, 10, 9.5, 9, 8.5, 8, 7.5)


@dataclass(frozen=True, kw_only=True)
class LicenceData:
    """What a licence says. ``holder_id``: the USCC of an organisation; a person's ID number
    comes masked from the caller. ``valid_until`` None means 长期. ``matters`` with more
    than one entry makes an integrated licence (行业综合许可证). ``note`` is e.g. "变更" or
    "延续"; ``version`` above 1 is printed with it. ``title`` overrides the default title
    (e.g. "食品经营许可证")."""

    bureau: str
    certificate_number: str
    holder_name: str
    holder_id: str
    legal_representative: str = ""
    address: str = ""
    matters: Sequence[str]
    scope: str = ""
    valid_from: date
    valid_until: date | None = None
    issued_on: date
    verify_url: str
    version: int = 1
    note: str = ""
    title: str = ""

    def __post_init__(self) -> None:
        if not self.matter_names:
            raise ValueError("a licence needs at least one matter")
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        if not self.verify_url:
            raise ValueError("a licence needs its verification URL")

    @property
    def matter_names(self) -> list[str]:
        """The matters as printed (trimmed, blanks dropped)."""
        return [m.strip() for m in self.matters if m.strip()]

    @property
    def integrated(self) -> bool:
        return len(self.matter_names) > 1


def licence_title(data: LicenceData) -> str:
    """``data.title``, else 行业综合许可证 for several matters, else 许可证."""
    return data.title or (INTEGRATED_TITLE if data.integrated else SINGLE_TITLE)


def validity_text(data: LicenceData) -> str:
    """"2026年11月22日至2031年11月21日", or "长期（自2026年11月22日起）"."""
    if data.valid_until is None:
        return f"长期（自{format_date_zh(data.valid_from)}起）"
    return f"{format_date_zh(data.valid_from)}至{format_date_zh(data.valid_until)}"


def _note_text(data: LicenceData) -> str:
    parts = [data.note.strip()] if data.note.strip() else []
    if data.version > 1:
        parts.append(f"本证为第{data.version}版，此前版本同时失效")
    return "；".join(parts)


def field_rows(data: LicenceData) -> list[tuple[str, str]]:
    """The printed fields, label → value, in order (empty optional rows left out)."""
    matters = data.matter_names
    matter_text = ("\n".join(f"{i}. {m}" for i, m in enumerate(matters, 1))
                   if len(matters) > 1 else matters[0])
    rows = [
        ("名　　称", data.holder_name),
        ("统一社会信用代码\n（身份证号码）", data.holder_id or "—"),
        ("法定代表人\n（负责人）", data.legal_representative or "—"),
        ("住　　所", data.address or "—"),
        ("许可事项", matter_text),
        ("许可范围", data.scope),
        ("有效期限", validity_text(data)),
        ("备　　注", _note_text(data)),
    ]
    return [(label, value) for label, value in rows
            if value or label not in ("许可范围", "备　　注")]


def _markup(text: str) -> str:
    return "<br/>".join(escape(line) for line in text.split("\n"))


def _value_cell(label: str, text: str, style: ParagraphStyle, width: float):
    """A value paragraph; a list of more than three matters goes in two columns
    (numbered down the first column, then the second)."""
    lines = text.split("\n")
    if label != "许可事项" or len(lines) <= 3:
        return Paragraph(_markup(text), style)
    half = (len(lines) + 1) // 2
    second = lines[half:] + [""] * (2 * half - len(lines))
    rows = [[Paragraph(_markup(a), style), Paragraph(_markup(b), style)]
            for a, b in zip(lines[:half], second, strict=True)]
    return Table(rows, colWidths=[width / 2, width / 2], style=TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, style.fontSize),  # not reportlab's Helvetica
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("VALIGN", (0, 0), (-1, -1), "TOP")]))


def _table(data: LicenceData, size: float, pad: float) -> Table:
    leading = size * 1.55
    label = ParagraphStyle("label", fontName=FONT_BOLD, fontSize=size, leading=leading,
                           alignment=TA_CENTER, textColor=INK, wordWrap="CJK")
    value = ParagraphStyle("value", fontName=FONT, fontSize=size, leading=leading,
                           alignment=TA_LEFT, textColor=INK, wordWrap="CJK")
    label_width = 44 * mm
    value_width = CONTENT_WIDTH - label_width
    cells = [[Paragraph(_markup(k), label), _value_cell(k, v, value, value_width - 16)]
             for k, v in field_rows(data)]
    style = TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, size),  # reportlab's default would be Helvetica
        ("GRID", (0, 0), (-1, -1), 0.7, RULE),
        ("BOX", (0, 0), (-1, -1), 1.2, RULE),
        ("BACKGROUND", (0, 0), (0, -1), LABEL_SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
    ])
    return Table(cells, colWidths=[label_width, value_width], style=style)


def _fitted_table(data: LicenceData) -> tuple[Table, float]:
    """The table at the largest font size that fits between the title and the footer,
    with its rows opened up (up to a limit) to use the space a short licence leaves."""
    available = TABLE_TOP - TABLE_BOTTOM
    for size in FONT_SIZES:
        pad = size * 0.4
        table = _table(data, size, pad)
        _, height = table.wrap(CONTENT_WIDTH, available)
        if height <= available:
            rows = len(field_rows(data))
            extra = min((available - height) / (2 * rows), size * 0.7)
            table = _table(data, size, pad + extra)
            return table, table.wrap(CONTENT_WIDTH, available)[1]
    logger.warning("licence %s: the fields do not fit one page even at %s pt",
                   data.certificate_number, FONT_SIZES[-1])
    return table, height


def _spaced(canvas: Canvas, text: str, centre_x: float, y: float, font: str, size: float,
            spacing: float) -> None:
    """Centred text with extra space between characters (title style)."""
    width = pdfmetrics.stringWidth(text, font, size) + spacing * (len(text) - 1)
    canvas.setFont(font, size)
    canvas.drawString(centre_x - width / 2, y, text, charSpace=spacing)


def _border(canvas: Canvas) -> None:
    canvas.setStrokeColor(FRAME)
    canvas.setLineWidth(2.6)
    canvas.rect(10 * mm, 10 * mm, WIDTH - 20 * mm, HEIGHT - 20 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(13 * mm, 13 * mm, WIDTH - 26 * mm, HEIGHT - 26 * mm)
    corner = 7 * mm  # small corner brackets inside the inner frame
    canvas.setLineWidth(1.4)
    for x, y, dx, dy in ((15, 15, 1, 1), (15, 0, 1, -1), (0, 15, -1, 1), (0, 0, -1, -1)):
        px = 15 * mm if x else WIDTH - 15 * mm
        py = 15 * mm if y else HEIGHT - 15 * mm
        canvas.line(px, py, px + dx * corner, py)
        canvas.line(px, py, px, py + dy * corner)


def _header(canvas: Canvas, data: LicenceData) -> None:
    title = licence_title(data)
    canvas.setFillColor(FRAME)
    spacing = 30 if len(title) <= 3 else 12
    _spaced(canvas, title, WIDTH / 2, HEIGHT - 33 * mm, FONT_BOLD, 30, spacing)
    canvas.setFillColor(INK)
    canvas.setFont(FONT, 11)
    canvas.drawRightString(CONTENT_X + CONTENT_WIDTH, TABLE_TOP + 3.5 * mm,
                           f"编号：{data.certificate_number}")
    if data.integrated:
        canvas.setFont(FONT, 10)
        canvas.drawString(CONTENT_X, TABLE_TOP + 3.5 * mm,
                          f"（一业一证，含{len(data.matter_names)}项许可）")


def draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """A QR code of ``url`` (error correction M, 4-module quiet zone) in the square at
    (x, y) with side ``size``, each dark module run a filled rectangle, plus a link."""
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(url)
    qr.make()
    count, border = qr.getModuleCount(), 4
    box = size / (count + 2 * border)
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    for r, row in enumerate(qr.modules):
        c = 0
        while c < count:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < count and row[c]:
                c += 1
            canvas.rect(x + (start + border) * box, y + size - (r + border + 1) * box,
                        (c - start) * box, box, stroke=0, fill=1)
    canvas.linkURL(url, (x, y, x + size, y + size), relative=0, thickness=0)


def _footer(canvas: Canvas, data: LicenceData) -> None:
    x, y, size = QR_BOX
    draw_qr(canvas, data.verify_url, x, y, size)
    canvas.setFillColor(INK)
    canvas.setFont(FONT_BOLD, 10.5)
    canvas.drawCentredString(x + size / 2, y - 5 * mm, "扫码核验")
    notes = [f"核验网址：{data.verify_url}",
             "本证照由发证机关以电子签名签发，电子证照与纸质证照具有同等法律效力。"]
    if data.integrated:
        notes.append("本证载明的各项许可事项与相应单项许可证具有同等效力。")
    canvas.setFont(FONT, 8.5)
    canvas.setFillColor(colors.HexColor("#555555"))
    for i, line in enumerate(notes):
        canvas.drawString(x + size + 6 * mm, y + size - 4 * mm - i * 5 * mm, line)
    _issuer(canvas, data)


def _issuer(canvas: Canvas, data: LicenceData) -> None:
    cx, cy = SEAL_CENTRE
    canvas.setFillColor(INK)
    canvas.setFont(FONT_BOLD, 13)
    canvas.drawCentredString(cx, cy + 2 * mm, data.bureau)
    left = cx - pdfmetrics.stringWidth(data.bureau, FONT_BOLD, 13) / 2
    canvas.setFont(FONT, 10.5)
    canvas.drawRightString(left - 1 * mm, cy + 2 * mm, "发证机关：")
    canvas.setFont(FONT, 12)
    canvas.drawCentredString(cx, cy - 7 * mm, format_date_zh(data.issued_on))
    draw_seal(canvas, cx, cy, SEAL_SIZE, bureau=data.bureau, label=SEAL_LABEL)


def _all_text(data: LicenceData) -> str:
    return "".join([data.bureau, data.certificate_number, data.holder_name, data.holder_id,
                    data.legal_representative, data.address, *data.matters, data.scope,
                    data.note, data.title])


def render_licence(data: LicenceData) -> bytes:
    """Render ``data`` to a one-page PDF (same data, same bytes; unsigned)."""
    register_fonts()
    missing = unsupported_characters(_all_text(data))
    if missing:
        logger.warning("licence %s: characters outside the embedded font: %s",
                       data.certificate_number, missing)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, invariant=1, pageCompression=1, lang="zh-CN",
                    initialFontName=FONT, initialFontSize=12)
    title = licence_title(data)
    canvas.setTitle(f"{title} {data.certificate_number}")
    canvas.setAuthor(data.bureau)
    canvas.setSubject(f"{title}：{data.holder_name}")
    canvas.setCreator(CREATOR)
    canvas.setKeywords([data.certificate_number, *data.matter_names])
    _border(canvas)
    _header(canvas, data)
    table, height = _fitted_table(data)
    table.drawOn(canvas, CONTENT_X, TABLE_TOP - height)
    _footer(canvas, data)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
