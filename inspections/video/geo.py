"""Distance on the earth for the location check (精准定位): the applicant's browser
position against the premises' coordinates. Both are WGS-84 as browsers report them; a
map service's GCJ-02 coordinates differ by a few hundred metres and must be converted
before they are stored as premises coordinates."""

from __future__ import annotations

import math
from decimal import Decimal

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)


def distance_m(lat1: Decimal | float, lon1: Decimal | float, lat2: Decimal | float,
               lon2: Decimal | float) -> int:
    """Great-circle (haversine) distance in whole metres."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h))))


def premises_distance(task, latitude, longitude) -> int | None:
    """Metres from ``task``'s premises, or None when they have no coordinates."""
    if not task.has_premises_position:
        return None
    return distance_m(latitude, longitude, task.premises_latitude, task.premises_longitude)
