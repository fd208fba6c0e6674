"""Demo data for OneSeal: the catalogue, organisation and people as plain Python data
(``catalogue``, ``organisation``, ``people``), builders that load them idempotently
(``builders``, ``seed``), and demo cases driven through the real services (``cases``).

Loaded by ``manage.py seed_demo``; never under production settings.
"""
