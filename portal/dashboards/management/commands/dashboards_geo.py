"""Write the schematic district map (static/geo/yuncheng-districts.geojson)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.dashboards.geo import geojson_text

TARGET = Path(settings.BASE_DIR) / "static" / "geo" / "yuncheng-districts.geojson"


class Command(BaseCommand):
    help = _("生成统计看板区划地图的示意 GeoJSON（非测绘边界）")

    def handle(self, *args, **options):
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        TARGET.write_text(geojson_text(), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(_("已写入 {path}").format(path=TARGET)))
