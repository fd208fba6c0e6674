"""approvals.certificates.licence: the printed fields, the integrated licence's title and
matters, the embedded font, the QR code and its link (payload = verify_url), the seal,
validation of the data, and byte-identical output."""

from __future__ import annotations

import logging
import re
from datetime import date

import pytest
from pypdf.generic import ContentStream
from reportlab.graphics.barcode import qrencoder

from approvals.certificates.licence import (
    INTEGRATED_TITLE,
    QR_BOX,
    SINGLE_TITLE,
    field_rows,
    licence_title,
    render_licence,
    validity_text,
)
from tests.certificates.conftest import BUREAU, VERIFY_URL, flat_text, licence_data, reader

MATTERS = ["食品经营许可", "公共场所卫生许可", "酒类商品零售许可", "户外广告设施设置许可"]


def test_single_licence_shows_title_number_holder_fields_and_verification_hint():
    text = flat_text(render_licence(licence_data()))
    for expected in (SINGLE_TITLE, "编号：JY14108012026000123", "测试市好味道餐饮管理有限公司",
                     "91140802MA0K1234X5", "王建国", "测试市盐湖区河东东街188号", "许可事项",
                     "食品经营许可", "热食类食品制售；冷食类食品制售",
                     "2026年11月22日至2031年11月21日", "发证机关", BUREAU, "扫码核验",
                     VERIFY_URL):
        assert expected in text, expected
    assert INTEGRATED_TITLE not in text


def test_integrated_licence_is_titled_行业综合许可证_and_lists_every_matter():
    data = licence_data(matters=MATTERS)
    assert licence_title(data) == INTEGRATED_TITLE
    text = flat_text(render_licence(data))
    assert INTEGRATED_TITLE in text
    assert "含4项许可" in text
    for number, matter in enumerate(MATTERS, 1):
        assert f"{number}.{matter}" in text


def test_a_dozen_matters_and_a_long_scope_still_fit_one_page():
    matters = [f"第{i}项行政许可事项名称" for i in range(1, 13)]
    data = licence_data(matters=matters, scope="经营范围说明；" * 40)
    pdf = render_licence(data)
    assert len(reader(pdf).pages) == 1
    text = flat_text(pdf)
    assert all(m in text for m in matters)


def test_an_explicit_title_overrides_the_default():
    data = licence_data(title="食品经营许可证")
    assert "食品经营许可证" in flat_text(render_licence(data))


def test_open_ended_validity_reads_长期():
    data = licence_data(valid_until=None)
    assert validity_text(data) == "长期（自2026年11月22日起）"
    assert "长期（自2026年11月22日起）" in flat_text(render_licence(data))


def test_change_note_and_version_are_printed_in_the_remarks():
    data = licence_data(note="变更（许可范围）", version=2)
    text = flat_text(render_licence(data))
    assert "变更（许可范围）" in text
    assert "第2版" in text


def test_empty_optional_fields_print_a_dash_and_empty_remarks_are_left_out():
    rows = dict(field_rows(licence_data(legal_representative="", scope="")))
    assert rows["法定代表人\n（负责人）"] == "—"
    assert "许可范围" not in rows
    assert "备　　注" not in rows


@pytest.mark.parametrize("overrides", [
    {"matters": []}, {"matters": ["  "]}, {"valid_until": date(2026, 1, 1)}, {"verify_url": ""},
])
def test_incomplete_or_inconsistent_data_is_refused(overrides):
    with pytest.raises(ValueError):
        licence_data(**overrides)


def test_only_the_embedded_truetype_subsets_are_used():
    page = reader(render_licence(licence_data(matters=MATTERS))).pages[0]
    fonts = [f.get_object() for f in page["/Resources"]["/Font"].values()]
    assert len(fonts) == 2  # regular and bold, no Helvetica anywhere
    for font in fonts:
        assert font["/Subtype"] == "/TrueType"
        assert "/FontFile2" in font["/FontDescriptor"]
        assert re.fullmatch(r"/[A-Z]{6}\+NotoSansSC-OneSeal(-Bold)?", str(font["/BaseFont"]))


def test_landscape_a4_one_page_with_metadata():
    pdf_reader = reader(render_licence(licence_data()))
    assert len(pdf_reader.pages) == 1
    box = pdf_reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    meta = pdf_reader.metadata
    assert meta.title == "许可证 JY14108012026000123"
    assert meta.author == BUREAU
    assert meta.creator == "OneSeal"


def _link(pdf: bytes):
    annots = [a.get_object() for a in reader(pdf).pages[0]["/Annots"]]
    links = [a for a in annots if a["/Subtype"] == "/Link"]
    assert len(links) == 1
    return links[0]


def test_the_qr_area_links_to_the_verification_url():
    link = _link(render_licence(licence_data()))
    assert link["/A"]["/URI"] == VERIFY_URL
    x, y, size = QR_BOX
    rect = [float(v) for v in link["/Rect"]]
    assert rect == pytest.approx([x, y, x + size, y + size])


def _dark_modules(pdf: bytes, count: int) -> set[tuple[int, int]]:
    """The QR modules drawn in the link's square, read back from the content stream."""
    pdf_reader = reader(pdf)
    page = pdf_reader.pages[0]
    x0, y0, x1, y1 = (float(v) for v in _link(pdf)["/Rect"])
    box = (x1 - x0) / (count + 8)
    dark = set()
    for operands, operator in ContentStream(page.get_contents(), pdf_reader).operations:
        if operator != b"re":
            continue
        x, y, w, h = (float(v) for v in operands)
        inside = x0 - 0.01 <= x and x + w <= x1 + 0.01 and y0 - 0.01 <= y and y + h <= y1 + 0.01
        if not inside or abs(h - box) > 0.01:
            continue  # other drawing, or the white background square
        row = round((y1 - y - box) / box) - 4
        first = round((x - x0) / box) - 4
        dark |= {(row, col) for col in range(first, first + round(w / box))}
    return dark


def test_the_qr_code_encodes_exactly_the_verification_url():
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(VERIFY_URL)
    qr.make()
    count = qr.getModuleCount()
    expected = {(r, c) for r in range(count) for c in range(count) if qr.modules[r][c]}
    drawn = _dark_modules(render_licence(licence_data()), count)
    assert drawn == expected
    other = licence_data(verify_url=VERIFY_URL.replace("Xy7", "Zq3"))
    assert _dark_modules(render_licence(other), count) != expected


def test_the_seal_is_drawn_in_seal_red_with_its_purpose_and_multiply_ink():
    pdf = render_licence(licence_data())
    page = reader(pdf).pages[0]
    content = page.get_contents().get_data()
    assert b".843137 .14902 .117647 rg" in content  # SEAL_RED, #D7261E
    assert "行政审批专用章" in flat_text(pdf)
    states = page["/Resources"]["/ExtGState"]
    assert any(s.get_object().get("/BM") == "/Multiply" for s in states.values())


def test_same_data_gives_identical_bytes_and_different_data_different_bytes():
    assert render_licence(licence_data()) == render_licence(licence_data())
    assert render_licence(licence_data()) != render_licence(licence_data(holder_name="李四"))


def test_characters_outside_the_font_are_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="approvals.certificates.licence"):
        render_licence(licence_data(holder_name="𠀀记商行"))
    assert "𠀀" in caplog.text
