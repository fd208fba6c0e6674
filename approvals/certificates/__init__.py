"""Licences as signed PDFs (出证): the page, the seal, the signature and the demo PKI.

- ``licence``: ``LicenceData`` → ``render_licence`` (pure: no database, clock or settings).
- ``seal``: the bureau's single approval seal (一枚印章) as vector graphics.
- ``signing``: ``sign_pdf`` / ``validate_pdf`` with pyHanko and the configured PKCS#12.
- ``pki``: a demo root CA and bureau signing certificate (``manage.py pki_init_demo``).

Numbering, storage, lifecycle and the verification page belong to
``approvals.services.certificates`` and its views. See docs/adr/0016.
"""
