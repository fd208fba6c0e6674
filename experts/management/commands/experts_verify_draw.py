"""``manage.py experts_verify_draw <draw id>``: recompute every round of an expert draw
from its record (eligible list, seed, number drawn) and compare with the recorded result
and the invitations sent. Exits 1 when anything differs, 2 when the draw does not exist.
The draw id is the one in the record page's address (/experts/draws/<id>/); the draw
number (ZJ-2026-00001) works too."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from experts.models import ExpertDraw
from experts.services.draws import draw_verify


class Command(BaseCommand):
    help = "Recompute an expert draw from its record; non-zero exit if the result differs."

    def add_arguments(self, parser):
        parser.add_argument("draw", help="draw id or number (ZJ-YYYY-NNNNN)")

    def handle(self, *args, **options):
        key = str(options["draw"]).strip()
        draw = (ExpertDraw.objects.filter(pk=int(key)).first() if key.isdigit()
                else ExpertDraw.objects.filter(number=key).first())
        if draw is None:
            raise CommandError(f"expert draw {key!r} not found", returncode=2)
        checks = draw_verify(draw)
        if not checks:
            raise CommandError(f"{draw.number}: no draw round recorded", returncode=1)
        for check in checks:
            status = "OK" if check.ok else "MISMATCH"
            self.stdout.write(f"{draw.number} round {check.number}: {status} "
                              f"recorded={check.recorded} recomputed={check.recomputed}")
            for problem in check.problems:
                self.stdout.write(f"  - {problem}")
        if not all(c.ok for c in checks):
            raise CommandError(f"{draw.number}: the recorded result does not follow from "
                               "the record", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"{draw.number}: verified, {len(checks)} "
                                             "round(s) recompute to the recorded result"))
