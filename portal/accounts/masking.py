"""Masking of personal data for lists and API output (full values only on audited views)."""

from __future__ import annotations


def mask_id_number(value: str) -> str:
    """Resident ID: keep the first 4 and last 4 characters (1101**********123X)."""
    value = value or ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """Mobile 138****1234; landline keeps the area code and the last 2 digits."""
    value = value or ""
    digits = value.replace("-", "")
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + "****" + digits[-4:]
    if len(value) <= 4:
        return "*" * len(value)
    head = value.split("-")[0] + "-" if "-" in value else value[:3]
    return head + "*" * (len(value) - len(head) - 2) + value[-2:]


def mask_identity(kind: str, value: str) -> str:
    """Organisations' USCC is public registration data; persons' ID numbers are masked."""
    return value if kind == "organisation" else mask_id_number(value)


def mask_name(name: str) -> str:
    """A natural person's name in a list: 张*明, 王*."""
    name = name or ""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
