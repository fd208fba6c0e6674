"""Generators of valid (check-digit correct) resident IDs and USCCs for tests."""

from __future__ import annotations

import random
from datetime import date, timedelta

from portal.accounts.validators import USCC_CHARSET, resident_id_check_char, uscc_check_char


def resident_id(rng: random.Random | None = None, *, region: str = "140802") -> str:
    rng = rng or random.Random()
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 45))
    body = f"{region}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + resident_id_check_char(body)


def uscc(rng: random.Random | None = None) -> str:
    rng = rng or random.Random()
    body = "91" + "140802" + "".join(rng.choice(USCC_CHARSET) for _ in range(9))
    return body + uscc_check_char(body)
