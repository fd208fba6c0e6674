"""portal.core.pdf: Chinese text really in the PDF, the font embedded as a subset, caller
text escaped, pagination with "第 x 页 共 y 页", metadata, and byte-identical output."""

from __future__ import annotations

import io
import logging
import re
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from portal.core.pdf import (
    MARGINS,
    DocumentSpec,
    Heading,
    KeyValueTable,
    ListTable,
    Text,
    format_date_zh,
    render_document,
    unsupported_characters,
)

BUREAU = "测试市行政审批服务局"
NUMBER = "测试审批受字〔2026〕第000123号"


def _spec(**overrides) -> DocumentSpec:
    values = {
        "title": "受理通知书", "number": NUMBER, "addressee": "张三", "bureau": BUREAU,
        "dated": date(2026, 11, 22), "footer_note": "注：本通知书一式两份。",
        "body": ["你（单位）申请的“食品经营许可”事项，本机关决定予以受理。",
                 KeyValueTable([("受理编号", "SL2026000123"), ("申请事项", "食品经营许可")]),
                 Heading("一、已收申请材料"),
                 ListTable(["序号", "材料名称"], [["1", "营业执照复印件"], ["2", "申请书"]]),
                 Text("以上为全部内容。", bold=True)],
    }
    return DocumentSpec(**{**values, **overrides})


def _reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def _flat(text: str) -> str:
    """Extracted text without the line breaks and spaces that wrapping puts in."""
    return re.sub(r"\s+", "", text)


def _pages(pdf: bytes) -> list[str]:
    return [_flat(page.extract_text()) for page in _reader(pdf).pages]


def test_title_number_addressee_body_tables_and_signature_are_in_the_text():
    text = "".join(_pages(render_document(_spec())))
    for expected in (BUREAU, "受理通知书", NUMBER, "张三：", "本机关决定予以受理", "受理编号",
                     "SL2026000123", "一、已收申请材料", "营业执照复印件", "以上为全部内容",
                     "2026年11月22日", "注：本通知书一式两份。", "第1页共1页"):
        assert expected in text


def test_every_font_is_an_embedded_truetype_subset_of_the_committed_font():
    reader = _reader(render_document(_spec()))
    fonts = [f.get_object() for page in reader.pages
             for f in page["/Resources"]["/Font"].values()]
    assert fonts
    names = set()
    for font in fonts:
        assert font["/Subtype"] == "/TrueType"
        assert "/FontFile2" in font["/FontDescriptor"]
        assert "/ToUnicode" in font
        names.add(str(font["/BaseFont"]))
    assert all(re.fullmatch(r"/[A-Z]{6}\+NotoSansSC-OneSeal(-Bold)?", n) for n in names)
    assert any(n.endswith("-Bold") for n in names)


def test_caller_markup_is_escaped_and_shown_literally():
    nasty = "<script>alert('x')</script> & A&B &amp; <b>粗</b> <br/>"
    pdf = render_document(_spec(addressee="A&B<公司>", title="标题<i>&",
                                body=[nasty, ListTable(["列<1>"], [["x & y"]]),
                                      KeyValueTable([("<键>", "值&")])]))
    text = "".join(_pages(pdf))
    for expected in ("<script>alert('x')</script>&A&B&amp;<b>粗</b><br/>", "A&B<公司>：",
                     "标题<i>&", "列<1>", "x&y", "<键>", "值&"):
        assert expected in text


def test_line_breaks_in_caller_text_become_line_breaks():
    page = _reader(render_document(_spec(body=["第一行\n第二行"]))).pages[0].extract_text()
    assert "第一行\n" in page


def test_long_chinese_paragraph_wraps_and_punctuation_never_starts_a_line():
    per_line = int((A4[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]) // 12)
    # one of these puts the comma exactly where a line would break (frame padding aside)
    body = [Text("字" * n + "，" + "字" * 5 + "。", indent=False)
            for n in range(per_line - 3, per_line + 1)]
    body.append(Text("审" * (per_line * 3), indent=False))
    page = _reader(render_document(_spec(body=body))).pages[0].extract_text()
    lines = [line.strip() for line in page.splitlines()]
    assert not any(line.startswith(("，", "。")) for line in lines)
    assert sum(1 for line in lines if line and set(line) == {"审"}) >= 3


def test_long_list_paginates_with_page_x_of_y_and_repeats_the_header_row():
    rows = [[str(i), f"第{i}项材料：营业执照复印件（加盖公章）"] for i in range(1, 121)]
    pages = _pages(render_document(_spec(body=[ListTable(["序号", "材料名称"], rows, [1, 6])])))
    total = len(pages)
    assert total >= 3
    for number, text in enumerate(pages, 1):
        assert f"第{number}页共{total}页" in text
        assert "材料名称" in text
    assert "第120项材料" in pages[-1]
    assert "2026年11月22日" in pages[-1]
    assert NUMBER in pages[1]  # running header from page 2


def test_same_spec_gives_identical_bytes():
    assert render_document(_spec()) == render_document(_spec())


def test_a_different_spec_gives_different_bytes():
    assert render_document(_spec()) != render_document(_spec(addressee="李四"))


def test_metadata_names_the_title_the_bureau_and_oneseal():
    meta = _reader(render_document(_spec(subject="受理通知书：食品经营许可"))).metadata
    assert meta.title == "受理通知书"
    assert meta.author == BUREAU
    assert meta.subject == "受理通知书：食品经营许可"
    assert meta.creator == "OneSeal"


def test_bureau_and_issuer_default_to_the_settings_bureau_name(settings):
    settings.BUREAU_NAME = "默认县行政审批服务局"
    pdf = render_document(_spec(bureau=None))
    assert "".join(_pages(pdf)).count("默认县行政审批服务局") == 2  # header and signature
    assert _reader(pdf).metadata.author == "默认县行政审批服务局"


def test_format_date_zh_has_no_leading_zeros():
    assert format_date_zh(date(2026, 1, 5)) == "2026年1月5日"
    assert format_date_zh(date(2026, 11, 22)) == "2026年11月22日"


def test_font_covers_gb2312_and_common_name_characters_but_reports_others():
    assert unsupported_characters("张三李四王五，喆堃鄠邑区〔〕（）①№℃ ASCII é") == ""
    assert unsupported_characters("𠀀𠀀张") == "𠀀"


def test_rendering_text_outside_the_font_logs_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="portal.core.pdf"):
        render_document(_spec(addressee="𠀀"))
    assert "𠀀" in caplog.text


def test_an_unknown_body_block_is_refused():
    with pytest.raises(TypeError):
        render_document(_spec(body=[42]))


# ---------------------------------------------------------------- images

def _photo(size=(4000, 3000), fmt="JPEG", mode="RGB", exif_orientation=None) -> bytes:
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    img = PILImage.new(mode, size, (200, 30, 30) if mode == "RGB" else (0, 0, 200, 128))
    kwargs = {}
    if exif_orientation:
        exif = PILImage.Exif()
        exif[0x0112] = exif_orientation
        kwargs["exif"] = exif
    img.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def _images(pdf: bytes) -> list:
    return [image for page in _reader(pdf).pages for image in page.images]


def test_a_large_photo_is_embedded_downscaled_with_its_caption():
    from portal.core.pdf import IMAGE_DPI, Image

    photo = _photo()
    pdf = render_document(_spec(body=["现场照片：", Image(photo, "门头照片 2026年11月22日",
                                                          width_mm=60)]))
    (image,) = _images(pdf)
    longest = max(image.image.size)
    assert longest <= 60 / 25.4 * IMAGE_DPI + 1  # downscaled to the drawn width at IMAGE_DPI
    assert image.image.size[0] / image.image.size[1] == pytest.approx(4 / 3, rel=0.01)
    assert len(pdf) < len(photo) + 60_000
    assert "门头照片2026年11月22日" in "".join(_pages(pdf))


def test_a_photo_is_turned_upright_by_its_exif_orientation():
    from portal.core.pdf import Image

    pdf = render_document(_spec(body=[Image(_photo((400, 200), exif_orientation=6))]))
    (image,) = _images(pdf)
    width, height = image.image.size
    assert height > width


def test_an_image_grid_puts_transparent_pngs_and_jpegs_side_by_side():
    from portal.core.pdf import Image, ImageGrid

    grid = ImageGrid([Image(_photo((80, 40), "PNG", "RGBA"), "图1"),
                      Image(_photo((800, 600)), "图2"), Image(_photo((600, 800)), "图3"),
                      Image(_photo((300, 300)), "图4")], columns=3)
    pdf = render_document(_spec(body=[grid, "以上为现场照片。"]))
    assert len(_images(pdf)) == 4
    text = "".join(_pages(pdf))
    assert all(f"图{n}" in text for n in range(1, 5))
    assert render_document(_spec(body=[grid])) == render_document(_spec(body=[grid]))


def test_unreadable_image_bytes_become_a_note_not_a_failure(caplog):
    from portal.core.pdf import Image, ImageGrid

    with caplog.at_level(logging.WARNING, logger="portal.core.pdf"):
        pdf = render_document(_spec(body=[ImageGrid([Image(b"not a picture", "坏图")]),
                                          Image(b"", "空图")]))
    text = "".join(_pages(pdf))
    assert "［图片无法显示］坏图" in text and "［图片无法显示］空图" in text
    assert _images(pdf) == []
    assert "坏图" in caplog.text


def test_an_empty_image_grid_renders_nothing():
    from portal.core.pdf import ImageGrid

    pdf = render_document(_spec(body=[ImageGrid([]), "正文"]))
    assert _images(pdf) == [] and "正文" in "".join(_pages(pdf))
