"""Settings split: base (shared), local (embedded default), production, test.

Environment variables are read only in ``portal.settings.env``.
"""
