"""Identity validators: resident ID (GB 11643-1999) and USCC (GB 32100-2015) check digits,
and Chinese phone numbers. Pure functions plus Django validator wrappers."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^[1-9]\d{16}[\dX]$")

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def resident_id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_valid_resident_id(value: str) -> bool:
    value = (value or "").strip().upper()
    if not _ID_RE.match(value):
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or born > date.today():
        return False
    return resident_id_check_char(value[:17]) == value[17]


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def is_valid_uscc(value: str) -> bool:
    value = (value or "").strip().upper()
    if not _USCC_RE.match(value):
        return False
    return uscc_check_char(value[:17]) == value[17]


def validate_resident_id(value: str) -> None:
    if not is_valid_resident_id(value):
        raise ValidationError(_("居民身份证号码无效：请核对18位号码及末位校验码。"),
                              code="invalid_resident_id")


def validate_uscc(value: str) -> None:
    if value and not is_valid_uscc(value):
        raise ValidationError(_("统一社会信用代码无效：请核对18位代码及末位校验码。"),
                              code="invalid_uscc")


def validate_mobile(value: str) -> None:
    if value and not _PHONE_RE.match(value.strip()):
        raise ValidationError(_("电话号码格式不正确：请填写11位手机号或带区号的固定电话。"),
                              code="invalid_phone")


def validate_applicant_identity(kind: str, id_number: str) -> None:
    if kind == "person":
        validate_resident_id(id_number)
    elif kind == "organisation":
        if not id_number:
            raise ValidationError(_("请填写统一社会信用代码。"), code="invalid_uscc")
        validate_uscc(id_number)
