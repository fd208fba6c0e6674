"""Demo data for inspections: the inspection standards (踏勘标准) of the demo matters as
plain Python data with their loader (``standards``) and the guidance pictures drawn for
them (``figures``).

Loaded by ``manage.py seed_demo`` (through ``approvals.demo.seed``); never under
production settings.
"""
