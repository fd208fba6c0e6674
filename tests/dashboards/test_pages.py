"""The pages render (overview, map) with their figures, links and help texts, the API
returns the same figures, and the shipped GeoJSON covers every demo district."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from approvals.demo.organisation import DISTRICTS
from portal.dashboards import geo
from tests.dashboards.conftest import logged_in

pytestmark = pytest.mark.django_db

MARCH = {"period": "month", "date": "2025-03-15"}
GEOJSON = Path(settings.BASE_DIR) / "static" / "geo" / "yuncheng-districts.geojson"


def test_the_shipped_geojson_covers_every_demo_district():
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    shipped = {f["properties"]["code"]: f["properties"]["name"] for f in data["features"]}
    assert shipped == dict(DISTRICTS)
    for feature in data["features"]:
        ring = feature["geometry"]["coordinates"][0]
        assert len(ring) >= 4 and ring[0] == ring[-1]
    assert GEOJSON.read_text(encoding="utf-8") == geo.geojson_text()  # regenerated = shipped


def test_voronoi_cells_tile_the_outline_without_overlap():
    def area(poly):
        return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2)
                       in zip(poly, poly[1:] + poly[:1], strict=True))) / 2
    cells = geo.cells()
    assert sum(area(c) for c in cells.values()) == pytest.approx(area(list(geo.OUTLINE)))
    assert all(area(c) > 0.01 for c in cells.values())


def test_overview_renders_cards_rates_links_and_definitions(dated, supervisor,
                                                            django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        response = logged_in(supervisor).get(reverse("dashboards-overview"),
                                             {**MARCH, "dim": "district"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "按时办结率" in html and "75.0%" in html and "退件率" in html
    assert "vendor/echarts/echarts.min.js" in html and "js/dashboards.js" in html
    assert "metric=on_time" in html and "district=140802" in html
    assert "盐湖区" in html and "指标口径" in html
    assert "办结日不晚于承诺办结日期的办结件。" in html  # definitions shown as help text


def test_map_page_renders_with_the_geojson_and_both_measures(dated, supervisor):
    client = logged_in(supervisor)
    for measure in ("volume", "on_time"):
        response = client.get(reverse("dashboards-map"), {**MARCH, "measure": measure})
        assert response.status_code == 200
        html = response.content.decode()
        assert "geo/yuncheng-districts.geojson" in html and "dash-map-data" in html
        assert "盐湖区" in html and "66.7%" in html
    bad = client.get(reverse("dashboards-map"), {"measure": "heat"})
    assert bad.status_code == 400 and "地图指标" in bad.content.decode()


def test_api_returns_the_same_figures_as_the_selectors(dated, supervisor):
    client = logged_in(supervisor)
    summary = client.get(reverse("api-dashboards-summary"), MARCH).json()
    assert summary["applications"] == 10 and summary["on_time_rate"] == 75.0
    assert summary["avg_workdays"]["review"] == 2.75
    rows = client.get(reverse("api-dashboards-breakdown"), {**MARCH, "dim": "matter"}).json()
    assert {r["key"]: r["applications"] for r in rows} == {"A": 4, "B": 3, "C": 3}
    assert len(client.get(reverse("api-dashboards-trend"), MARCH).json()) == 12
    assert client.get(reverse("api-dashboards-deadlines"), MARCH).json()["overdue"] == 4
    mapped = client.get(reverse("api-dashboards-map"), MARCH).json()
    assert {r["code"] for r in mapped} == {"140802", "140821"}
    workload = client.get(reverse("api-dashboards-workload"), MARCH).json()
    assert workload[0]["total"] >= 10
