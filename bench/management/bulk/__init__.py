"""The bulk generator behind ``manage.py seed_bulk``.

``paths`` (which transitions a case goes through), ``calendar`` (fast working-day
arithmetic), ``timeline`` (when each step happens) and ``rows`` (the rows a case produces)
are pure; ``population`` creates staff and applicants, ``writers`` inserts rows (PostgreSQL
COPY or Django ``bulk_create``) and ``run`` drives the batches.
"""
