"""Fixtures for intake tests: a matter with a form and materials, and real small files."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import MaterialFactory, MatterFactory

FORM = [
    {"name": "shop_name", "label": "店铺名称", "type": "text", "required": True},
    {"name": "floor_area", "label": "经营面积（平方米）", "type": "number", "required": True},
    {"name": "business_format", "label": "主体业态", "type": "select", "required": True,
     "choices": ["餐饮服务经营者", "食品销售经营者"]},
    {"name": "opening_date", "label": "拟开业日期", "type": "date", "required": False},
]
FORM_OK = {"shop_name": "好味道饭店", "floor_area": "120", "business_format": "餐饮服务经营者"}

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def pdf_upload(name: str = "scan.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def stream(body: bytes) -> io.BytesIO:
    return io.BytesIO(body)


@pytest.fixture
def food_matter(db):
    matter = MatterFactory(name="食品经营许可", code="SP-JY-T", form_schema=FORM,
                           commitment_eligible=True)
    matter.key = MaterialFactory(matter=matter, name="营业执照", required=True, order=1)
    matter.premises = MaterialFactory(matter=matter, name="经营场所使用证明", required=True,
                                      order=2)
    matter.tolerable = MaterialFactory(matter=matter, name="健康证明", required=True,
                                       tolerable=True, order=3)
    matter.optional = MaterialFactory(matter=matter, name="其他材料", required=False, order=4)
    return matter
