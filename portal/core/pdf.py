"""Official-looking Chinese PDF documents (notices, decisions) on reportlab (ADR 0014).

Owns the document layout every generated notice shares: A4, a title block (bureau name,
centred title, document number), the addressee, body blocks (paragraphs, headings,
key/value and list tables, photos and photo grids), a signature block bottom right (seal
label, issuer, date in Chinese format), an optional receipt line and footer note, a running
header from page 2, and "第 x 页 共 y 页" on every page.

The font is the committed OFL subset ``fonts/NotoSansSC-OneSeal*.ttf`` (GB 2312 and
more), registered once and embedded as subsets automatically, so the PDF shows the same
on any machine. Output is deterministic (``invariant=1``): the same spec gives the same
bytes, so a document's hash identifies it. All caller text is plain text: it is escaped
before it reaches reportlab's paragraph markup.
"""

from __future__ import annotations

import functools
import io
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib import textsplit as rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Image as RLImage
from reportlab.platypus import paragraph as rl_paragraph

logger = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "OneSealSans"
FONT_BOLD = "OneSealSans-Bold"
CREATOR = "OneSeal"
MARGINS = {"leftMargin": 28 * mm, "rightMargin": 26 * mm,
           "topMargin": 28 * mm, "bottomMargin": 24 * mm}
RULE = colors.HexColor("#444444")
SHADE = colors.HexColor("#F0F0F0")
#: Resolution photos are downscaled to for their drawn size (sharp in print, small in size).
IMAGE_DPI = 200
IMAGE_QUALITY = 82


@dataclass(frozen=True)
class Text:
    """A body paragraph; ``indent`` gives the Chinese two-character first-line indent."""

    text: str
    bold: bool = False
    indent: bool = True


@dataclass(frozen=True)
class Heading:
    """A section heading such as "一、已收申请材料"."""

    text: str


@dataclass(frozen=True)
class KeyValueTable:
    """Two columns: a shaded label and its value."""

    rows: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class ListTable:
    """A list with a header row (repeated on every page); ``widths`` are relative."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float] | None = None


@dataclass(frozen=True)
class Image:
    """A photo (JPEG or PNG bytes) with an optional caption below. Drawn ``width_mm`` wide
    (less when the frame is narrower, never taller than ``max_height_mm``), turned upright
    by its EXIF orientation and downscaled to ``IMAGE_DPI`` for that size before it is
    embedded, so a phone photo adds kilobytes, not megabytes. Bytes that are not a readable
    image are shown as a note instead of failing the document."""

    data: bytes
    caption: str = ""
    width_mm: float = 70
    max_height_mm: float = 90


@dataclass(frozen=True)
class ImageGrid:
    """Thumbnails side by side, ``columns`` to a row, each with its caption."""

    images: Sequence[Image]
    columns: int = 3


Block = str | Text | Heading | KeyValueTable | ListTable | Image | ImageGrid


@dataclass(frozen=True)
class DocumentSpec:
    """Everything one document says. ``bureau``/``issuer`` default to settings.BUREAU_NAME."""

    title: str
    body: Sequence[Block] = ()
    number: str = ""
    addressee: str = ""
    dated: date | None = None
    bureau: str | None = None
    issuer: str | None = None
    seal_label: str = ""
    receipt: bool = False
    footer_note: str = ""
    subject: str = ""
    keywords: Sequence[str] = field(default_factory=tuple)


def format_date_zh(value: date) -> str:
    """``date(2026, 11, 22)`` → ``"2026年11月22日"``."""
    return f"{value.year}年{value.month}月{value.day}日"


#: Chinese punctuation that must not start a line (reportlab's list is Japanese-centric).
NO_LINE_START = "，。、；：！？）》〉」』】〕”’…％·"


def _extend_line_start_rules() -> None:
    """Teach reportlab's CJK wrap the Chinese line-start prohibitions (they hang instead)."""
    for module in (rl_textsplit, rl_paragraph):  # one-fragment and many-fragment paths
        missing = "".join(c for c in NO_LINE_START if c not in module.ALL_CANNOT_START)
        module.ALL_CANNOT_START += missing


@functools.cache
def register_fonts() -> tuple[str, str]:
    """Register the embedded regular and bold faces once; return their names."""
    _extend_line_start_rules()
    pdfmetrics.registerFont(TTFont(FONT, FONT_DIR / "NotoSansSC-OneSeal.ttf"))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, FONT_DIR / "NotoSansSC-OneSeal-Bold.ttf"))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                  boldItalic=FONT_BOLD)
    return FONT, FONT_BOLD


def unsupported_characters(text: str) -> str:
    """The characters of ``text`` the embedded font cannot draw (each once, in order)."""
    register_fonts()
    char_to_glyph = pdfmetrics.getFont(FONT).face.charToGlyph
    seen = dict.fromkeys(c for c in text if c.isprintable() and ord(c) not in char_to_glyph)
    return "".join(c for c in seen if c != "\xa0")


def _markup(text: str) -> str:
    """Plain text → paragraph markup: escape &, <, > and keep line breaks."""
    return "<br/>".join(escape(line) for line in text.split("\n"))


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=12, leading=20, wordWrap="CJK",
                          alignment=TA_JUSTIFY)
    return {
        "bureau": ParagraphStyle("bureau", base, fontName=FONT_BOLD, fontSize=16, leading=24,
                                 alignment=TA_CENTER),
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=22, leading=32,
                                alignment=TA_CENTER, spaceBefore=4),
        "number": ParagraphStyle("number", base, fontSize=11, alignment=TA_RIGHT,
                                 spaceBefore=4, spaceAfter=8),
        "addressee": ParagraphStyle("addressee", base, alignment=TA_LEFT, spaceAfter=2),
        "body": ParagraphStyle("body", base, firstLineIndent=24, spaceAfter=4),
        "flush": ParagraphStyle("flush", base, spaceAfter=4),
        "heading": ParagraphStyle("heading", base, fontName=FONT_BOLD, spaceBefore=8,
                                  spaceAfter=4, alignment=TA_LEFT, keepWithNext=1),
        "cell": ParagraphStyle("cell", base, fontSize=10.5, leading=15, alignment=TA_LEFT),
        "cell_head": ParagraphStyle("cell_head", base, fontName=FONT_BOLD, fontSize=10.5,
                                    leading=15, alignment=TA_CENTER),
        "sign": ParagraphStyle("sign", base, alignment=TA_CENTER),
        "note": ParagraphStyle("note", base, fontSize=10, leading=16, alignment=TA_LEFT),
        "caption": ParagraphStyle("caption", base, fontSize=9, leading=13, alignment=TA_CENTER,
                                  spaceBefore=2),
    }


def _table_style(header: bool) -> TableStyle:
    commands = [
        ("FONT", (0, 0), (-1, -1), FONT, 10.5),  # reportlab's default would be Helvetica
        ("GRID", (0, 0), (-1, -1), 0.6, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    shade = ("BACKGROUND", (0, 0), (-1, 0)) if header else ("BACKGROUND", (0, 0), (0, -1))
    return TableStyle([*commands, (*shade, SHADE)])


def _key_value(table: KeyValueTable, width: float) -> Table:
    s = _styles()
    data = [[Paragraph(_markup(str(k)), s["cell_head"]),
             Paragraph(_markup(str(v)), s["cell"])]
            for k, v in table.rows]
    return Table(data, colWidths=[width * 0.26, width * 0.74], style=_table_style(False),
                 spaceBefore=4, spaceAfter=8)


def _list(table: ListTable, width: float) -> Table:
    s = _styles()
    weights = list(table.widths or [1] * len(table.header))
    widths = [width * w / sum(weights) for w in weights]
    data = [[Paragraph(_markup(h), s["cell_head"]) for h in table.header]]
    data += [[Paragraph(_markup(str(c)), s["cell"]) for c in row] for row in table.rows]
    return Table(data, colWidths=widths, repeatRows=1, style=_table_style(True),
                 spaceBefore=4, spaceAfter=8)


def _thumbnail(data: bytes, box: tuple[int, int]) -> tuple[bytes, int, int]:
    """Upright, at most ``box`` pixels, as JPEG on white (transparency flattened)."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    with PILImage.open(io.BytesIO(data)) as opened:
        opened.draft("RGB", (max(box), max(box)))  # JPEG: decode at a reduced scale
        img = ImageOps.exif_transpose(opened)
        img.thumbnail(box)
        if img.mode not in ("RGB", "L"):
            rgba = img.convert("RGBA")
            img = PILImage.new("RGB", rgba.size, "white")
            img.paste(rgba, mask=rgba.getchannel("A"))
        out = io.BytesIO()
        img.save(out, "JPEG", quality=IMAGE_QUALITY, optimize=True)
        return out.getvalue(), img.width, img.height


def _image(block: Image, width: float) -> list[Flowable]:
    """The picture and its caption; a note when the bytes are not a readable image."""
    from PIL import Image as PILImage

    s = _styles()
    draw_w, max_h = min(block.width_mm * mm, width), block.max_height_mm * mm
    box = (math.ceil(draw_w / 72 * IMAGE_DPI), math.ceil(max_h / 72 * IMAGE_DPI))
    try:
        jpeg, px_w, px_h = _thumbnail(block.data, box)
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError) as exc:
        logger.warning("PDF image not drawn (%s): %s", block.caption, exc)
        return [Paragraph(_markup("［图片无法显示］" + block.caption), s["caption"])]
    draw_h = draw_w * px_h / px_w
    if draw_h > max_h:
        draw_w, draw_h = draw_w * max_h / draw_h, max_h
    parts: list[Flowable] = [RLImage(io.BytesIO(jpeg), width=draw_w, height=draw_h)]
    if block.caption:
        parts.append(Paragraph(_markup(block.caption), s["caption"]))
    return parts


def _grid(grid: ImageGrid, width: float) -> Flowable:
    if not grid.images:
        return Spacer(1, 0)
    columns = max(1, grid.columns)
    cell = width / columns
    cells: list = [_image(image, cell - 8) for image in grid.images]
    cells += [""] * (-len(cells) % columns)
    rows = [cells[i:i + columns] for i in range(0, len(cells), columns)]
    return Table(rows, colWidths=[cell] * columns, hAlign="LEFT", spaceBefore=4, spaceAfter=8,
                 style=[("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 4),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                        ("TOPPADDING", (0, 0), (-1, -1), 4),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])


def _block(block: Block, width: float):
    s = _styles()
    if isinstance(block, str):
        block = Text(block)
    if isinstance(block, Text):
        text = _markup(block.text)
        return Paragraph(f"<b>{text}</b>" if block.bold else text,
                         s["body"] if block.indent else s["flush"])
    if isinstance(block, Heading):
        return Paragraph(_markup(block.text), s["heading"])
    if isinstance(block, KeyValueTable):
        return _key_value(block, width)
    if isinstance(block, ListTable):
        return _list(block, width)
    if isinstance(block, Image):
        return KeepTogether(_image(block, width))
    if isinstance(block, ImageGrid):
        return _grid(block, width)
    raise TypeError(f"unknown block {type(block).__name__}")


def _signature(spec: DocumentSpec, issuer: str) -> list:
    s = _styles()
    lines = [spec.seal_label, issuer, format_date_zh(spec.dated) if spec.dated else ""]
    data = [[Paragraph(_markup(line), s["sign"])] for line in lines if line]
    width = max(pdfmetrics.stringWidth(line, FONT, 12) for line in lines) + 16
    table = Table(data, colWidths=[width + 24], hAlign="RIGHT",
                  style=[("FONT", (0, 0), (-1, -1), FONT, 12),
                         ("RIGHTPADDING", (0, 0), (-1, -1), 24)])
    return [Spacer(1, 20), table]


class _ReceiptLine(Flowable):
    """签收人：______　签收日期：____年__月__日, with drawn rules (spaces would collapse)."""

    parts = (("签收人：", 0), ("", 90), ("签收日期：", 30), ("", 42), ("年", 0), ("", 24),
             ("月", 0), ("", 24), ("日", 0))

    def wrap(self, available_width, available_height):
        return available_width, 34

    def draw(self):
        canvas, x = self.canv, 0.0
        canvas.setFont(FONT, 12)
        canvas.setLineWidth(0.6)
        for text, rule in self.parts:
            if text:
                canvas.drawString(x, 6, text)
                x += pdfmetrics.stringWidth(text, FONT, 12)
            elif rule:
                canvas.line(x + 2, 4, x + rule - 2, 4)
                x += rule


def _story(spec: DocumentSpec, bureau: str, issuer: str, width: float) -> list:
    s = _styles()
    story = [Paragraph(_markup(bureau), s["bureau"]), Paragraph(_markup(spec.title), s["title"])]
    story.append(Paragraph(_markup(spec.number), s["number"]) if spec.number else Spacer(1, 12))
    if spec.addressee:
        story.append(Paragraph(_markup(spec.addressee.rstrip("：:") + "："), s["addressee"]))
    for block, following in zip(spec.body, [*spec.body[1:], None], strict=True):
        flowable = _block(block, width)
        if isinstance(flowable, Paragraph) and isinstance(
                following, KeyValueTable | ListTable | Image | ImageGrid):
            flowable.keepWithNext = 1  # an introduction stays with its table or pictures
        story.append(flowable)
    closing = _closing(spec, issuer, story)  # takes the last paragraph off the story
    return [*story, KeepTogether(closing)]


def _closing(spec: DocumentSpec, issuer: str, story: list) -> list:
    """Signature, receipt and note kept on one page, with the last paragraph of the body
    (a signature page never stands without text, GB/T 9704)."""
    closing = [story.pop()] if spec.body and isinstance(story[-1], Paragraph) else []
    closing += _signature(spec, issuer)
    if spec.receipt:
        closing.append(_ReceiptLine())
    if spec.footer_note:
        closing += [Spacer(1, 10), Paragraph(_markup(spec.footer_note), _styles()["note"])]
    return closing


def _all_text(spec: DocumentSpec, bureau: str) -> str:
    parts = [bureau, spec.title, spec.number, spec.addressee, spec.footer_note, spec.seal_label]
    for block in spec.body:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, Text | Heading):
            parts.append(block.text)
        elif isinstance(block, KeyValueTable):
            parts += [str(cell) for row in block.rows for cell in row]
        elif isinstance(block, ListTable):
            parts += [*block.header, *(str(c) for row in block.rows for c in row)]
        elif isinstance(block, Image):
            parts.append(block.caption)
        elif isinstance(block, ImageGrid):
            parts += [image.caption for image in block.images]
    return "".join(parts)


def _canvas_maker(bureau: str, running: str):
    """A canvas that knows the page total when it saves: "第 x 页 共 y 页" + running header."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(self._pageNumber, total)
                super().showPage()
            super().save()

        def _decorate(self, page: int, total: int) -> None:
            width, height = self._pagesize
            self.setFont(FONT, 9)
            self.setFillColor(colors.black)
            self.drawCentredString(width / 2, 14 * mm, f"第 {page} 页 共 {total} 页")
            if page > 1:
                top = height - 18 * mm
                self.setFillColor(colors.HexColor("#555555"))
                self.drawString(MARGINS["leftMargin"], top, bureau)
                self.drawRightString(width - MARGINS["rightMargin"], top, running)
                self.setStrokeColor(RULE)
                self.setLineWidth(0.5)
                self.line(MARGINS["leftMargin"], top - 3 * mm,
                          width - MARGINS["rightMargin"], top - 3 * mm)

    return NumberedCanvas


def _settings_bureau() -> str:
    from django.conf import settings

    return settings.BUREAU_NAME


def render_document(spec: DocumentSpec) -> bytes:
    """Render ``spec`` to PDF bytes (same spec, same bytes)."""
    register_fonts()
    bureau = spec.bureau if spec.bureau is not None else _settings_bureau()
    issuer = spec.issuer if spec.issuer is not None else bureau
    missing = unsupported_characters(_all_text(spec, bureau) + issuer)
    if missing:
        logger.warning("PDF %r: characters outside the embedded font: %s", spec.title, missing)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, **MARGINS, title=spec.title, author=bureau,
        subject=spec.subject or spec.title, creator=CREATOR, keywords=list(spec.keywords),
        invariant=1, pageCompression=1, lang="zh-CN", displayDocTitle=1,
        initialFontName=FONT, initialFontSize=12,
    )
    running = " ".join(p for p in (spec.title, spec.number) if p)
    frame_width = doc.width - 12  # the frame pads 6 pt on each side
    doc.build(_story(spec, bureau, issuer, frame_width),
              canvasmaker=_canvas_maker(bureau, running))
    return buffer.getvalue()
