"""Benchmarks: volume generators (``manage.py seed_bulk``) and measuring scripts."""
