"""Valid, deterministic identity numbers for demo and benchmark data (pure functions).

Resident IDs follow GB 11643-1999 and USCCs GB 32100-2015; the organisation-code part of a
USCC (digits 9-17) carries its own GB 11714 check digit, so the numbers look real to any
checker. Nothing here touches the database.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from portal.accounts.validators import USCC_CHARSET, resident_id_check_char, uscc_check_char

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_BODY_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # letters a USCC may carry
_MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
                    "151", "152", "153", "155", "156", "157", "158", "159", "177", "180",
                    "182", "183", "185", "186", "187", "188", "189", "199")
BULK_BIRTH_BASE = date(1955, 1, 1)
BULK_BIRTH_SPAN = 16_000  # days: persons born 1955-1998


def resident_id(region: str, born: date, seq: int) -> str:
    """A resident ID: 6-digit region code, birth date, 3-digit sequence (odd = male), check."""
    body = f"{region}{born:%Y%m%d}{seq % 1000:03d}"
    return body + resident_id_check_char(body)


def org_code(body8: str) -> str:
    """An organisation code (GB 11714): 8 characters and their check digit."""
    total = sum(_char_value(c) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body8 + {10: "X", 11: "0"}.get(check, str(check))


def _char_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def uscc(kind: str, region: str, body8: str) -> str:
    """A USCC: registration kind ("91" company, "92" sole trader, "52" private non-profit,
    "11" government body), region code, organisation code, check character."""
    first17 = f"{kind}{region}{org_code(body8)}"
    return first17 + uscc_check_char(first17)


def base31(number: int, width: int) -> str:
    """``number`` written with the USCC alphabet, left-padded to ``width`` characters."""
    digits = []
    for _ in range(width):
        number, rest = divmod(number, len(_ORG_BODY_CHARS))
        digits.append(_ORG_BODY_CHARS[rest])
    if number:
        raise ValueError("number too large for width")
    return "".join(reversed(digits))


def bulk_resident_id(region: str, serial: int) -> str:
    """A resident ID unique per ``serial`` (< 16 million) within a region."""
    born = BULK_BIRTH_BASE + timedelta(days=(serial // 1000) % BULK_BIRTH_SPAN)
    return resident_id(region, born, serial % 1000)


def bulk_uscc(kind: str, region: str, serial: int) -> str:
    """A USCC unique per ``serial``: organisation code "MA" + serial in base 31."""
    return uscc(kind, region, "MA" + base31(serial, 6))


def mobile_for(key: str) -> str:
    """A stable, realistic-looking mobile number derived from ``key``."""
    digest = int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16)
    prefix = _MOBILE_PREFIXES[digest % len(_MOBILE_PREFIXES)]
    return f"{prefix}{digest // 97 % 100_000_000:08d}"


__all__ = ["USCC_CHARSET", "bulk_resident_id", "bulk_uscc", "mobile_for", "org_code",
           "resident_id", "uscc"]
