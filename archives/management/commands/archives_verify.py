"""``manage.py archives_verify <package number | zip path>``: check a package in storage
(every file against its recorded SHA-256, the catalogue rows against the seal made at
binding) or an exported ZIP (every file against its manifest, the manifest against its
seal and the bureau's record). Prints each problem; exits 1 when anything is changed,
missing or extra, 2 when the package or file does not exist. ``--all`` checks every
package that is not destroyed (a periodic fixity check)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archives.models import ArchivePackage
from archives.services.verify import VerifyReport, package_verify


class Command(BaseCommand):
    help = "Verify an archive package or an exported ZIP; non-zero exit on any problem."

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", help="package number (档号) or path of a ZIP")
        parser.add_argument("--all", action="store_true", help="verify every package")

    def handle(self, *args, **options):
        target = (options.get("target") or "").strip()
        if options["all"]:
            reports = [package_verify(package=p) for p in ArchivePackage.objects.filter(
                status=ArchivePackage.Status.BOUND).select_related(
                "case__matter", "case__applicant", "bound_by").iterator(chunk_size=200)]
        elif not target:
            raise CommandError("give a package number, a ZIP path or --all", returncode=2)
        elif target.lower().endswith(".zip") or Path(target).is_file():
            if not Path(target).is_file():
                raise CommandError(f"{target}: no such file", returncode=2)
            reports = [package_verify(zip_file=target)]
        else:
            package = ArchivePackage.objects.filter(number=target).first()
            if package is None:
                raise CommandError(f"archive package {target!r} not found", returncode=2)
            reports = [package_verify(package=package)]
        for report in reports:
            self._print(report)
        failed = [r.number or target for r in reports if not r.ok]
        if failed:
            raise CommandError(f"verification failed: {', '.join(failed)}", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"{len(reports)} package(s) verified"))

    def _print(self, report: VerifyReport) -> None:
        status = "OK" if report.ok else "FAILED"
        self.stdout.write(f"{report.number or '?'}: {status}, {report.checked} file(s) checked")
        for problem in report.problems:
            self.stdout.write(f"  - {problem.kind}: {problem.path} {problem.detail}")
