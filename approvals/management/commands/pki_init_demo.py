"""``manage.py pki_init_demo [--dir DIR] [--force]``: the demo signing keys for licences.

Writes a demo root CA (``ca.pem``) and the bureau's signing certificate and key
(``bureau.p12``, PKCS#12 protected by ``ONESEAL_SIGNING_PASSPHRASE``) plus a README, at
the configured ``ONESEAL_SIGNING_P12`` / ``ONESEAL_SIGNING_TRUST_ROOT`` paths, or in
``--dir``. Idempotent: existing files are kept unless ``--force``. Refused when
``settings.ONESEAL_DEMO`` is false (production) unless ``--force``: a demo key with a
published passphrase must never sign real licences by accident.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from approvals.certificates import pki
from approvals.certificates.signing import signing_config


class Command(BaseCommand):
    help = _("生成演示用的签章证书：演示根证书 ca.pem 和本局签名证书 bureau.p12（已存在则不改动）。")

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None,
                            help=_("写入目录（默认：ONESEAL_SIGNING_P12 所配置的位置，即 var/pki）"))
        parser.add_argument("--force", action="store_true",
                            help=_("重新生成并覆盖已有文件；也允许在非演示环境中运行"))

    def handle(self, *args, **options):
        force = options["force"]
        if not getattr(settings, "ONESEAL_DEMO", False) and not force:
            raise CommandError(_("当前不是演示环境（ONESEAL_DEMO 未开启），拒绝生成演示签章证书。"
                                 "生产环境请配置 CA 签发的 ONESEAL_SIGNING_P12；确需生成请加 --force。"))
        config = signing_config()
        ca_path, p12_path = config.trust_root, config.p12
        if options["dir"] is not None:
            directory = Path(options["dir"]).resolve()
            ca_path, p12_path = directory / pki.CA_FILE, directory / pki.P12_FILE
        try:
            result = pki.create_demo_pki(ca_path=ca_path, p12_path=p12_path,
                                         bureau=settings.BUREAU_NAME,
                                         passphrase=config.passphrase, force=force)
        except FileExistsError as exc:
            raise CommandError(_("只找到一半的签章文件（{path}），另一半缺失；"
                                 "请加 --force 重新生成。").format(path=exc.args[0])) from exc
        except ValueError as exc:
            raise CommandError(_("已有的 {path} 无法用当前口令打开：{error}；"
                                 "请检查 ONESEAL_SIGNING_PASSPHRASE 或加 --force 重新生成。")
                               .format(path=p12_path, error=exc)) from exc
        if result.created:
            self.stdout.write(_("已生成演示签章证书（仅供演示，不得用于生产）："))
        else:
            self.stdout.write(_("演示签章证书已存在，未改动（加 --force 重新生成）："))
        self.stdout.write(f"  {_('签名证书')}: {result.p12_path}  CN={result.signer}")
        self.stdout.write(f"  {_('根证书')}: {result.ca_path}")
        if options["dir"] is not None and (p12_path != config.p12 or ca_path != config.trust_root):
            self.stdout.write(_("注意：签章使用 ONESEAL_SIGNING_P12={p12} 和 "
                                "ONESEAL_SIGNING_TRUST_ROOT={ca}，请按需配置。")
                              .format(p12=p12_path, ca=ca_path))
