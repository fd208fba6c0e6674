"""Plausible application-form answers for a matter's ``form_schema`` (pure functions).

Used by the demo cases (deterministic: first choice, typical figures) and by the bulk
generator (varied with a seeded ``random.Random``).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

#: Typical (low, high) figures by field name; other number fields get (1, 20).
NUMBER_RANGES: dict[str, tuple[int, int]] = {
    "floor_area": (30, 600), "staff_count": (2, 40), "daily_capacity": (300, 5000),
    "vehicle_count": (2, 12), "lab_area": (10, 40), "plant_area": (200, 3000),
    "warehouse_area": (40, 800), "capital": (50, 2000), "shop_area": (30, 200),
    "store_area": (20, 500), "storage_tons": (5, 200), "beds": (0, 60),
    "dental_chairs": (0, 12), "building_area": (150, 3000), "equipment_count": (1, 6),
    "funds": (50, 500), "teachers": (5, 40), "daily_volume": (2, 60), "outlets": (1, 3),
    "sign_area": (2, 30), "months": (12, 60),
}
PERSON_NAMES = ("王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周强", "吴敏",
                "薛永红", "畅晓东", "卫文华", "柴志刚", "景晓燕", "师海峰")
_PERSON_FIELDS = {"safety_manager", "pharmacist", "quality_manager", "technician",
                  "safety_officer", "hygiene_manager", "principal", "protection_officer"}
_TEXT_SAMPLES = {
    "scope": "按申请范围经营", "delivery_area": "盐湖区中小学校及机关单位食堂",
    "product_names": "挂面（GB/T 40636）", "capacity": "日产2吨", "chemicals": "乙醇、丙酮、甲苯",
    "departments": "口腔科；医学影像科（X线诊断专业）", "equipment": "口腔CT 1台；牙片机 1台",
    "trades": "中式烹调师；保育师；电工", "practice_scope": "内科专业",
    "old_institution": "运城市第一医院", "new_institution": "运城市中心医院",
    "location": "临街门头", "warehouse": "无", "storage_address": "无",
    "health_cert_no": "晋运健字2024-00318", "pharmacist_reg_no": "1441140802000318",
    "school_name": "启航职业培训学校",
}


def _number(name: str, rng: random.Random | None) -> int:
    low, high = NUMBER_RANGES.get(name, (1, 20))
    return rng.randint(low, high) if rng else (low + high) // 2


def _text(name: str, rng: random.Random | None) -> str:
    if name in _PERSON_FIELDS:
        return rng.choice(PERSON_NAMES) if rng else PERSON_NAMES[0]
    return _TEXT_SAMPLES.get(name, "详见申请材料")


def field_answer(spec: dict, rng: random.Random | None = None, today: date | None = None):
    """One answer for one field specification."""
    kind, name = spec["type"], spec["name"]
    if kind == "select":
        return rng.choice(spec["choices"]) if rng else spec["choices"][0]
    if kind == "number":
        return _number(name, rng)
    if kind == "date":
        day = (today or date.today()) + timedelta(days=rng.randint(7, 60) if rng else 14)
        return day.isoformat()
    return _text(name, rng)


def sample_form_data(schema: list[dict], *, rng: random.Random | None = None,
                     overrides: dict | None = None, today: date | None = None) -> dict:
    """Answers for every required field (and optional ones when a rng says so)."""
    data = {}
    for spec in schema:
        if spec.get("required") or (rng is not None and rng.random() < 0.3):
            data[spec["name"]] = field_answer(spec, rng, today)
    data.update(overrides or {})
    return data
