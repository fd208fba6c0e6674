"""Intake pages: registration, the service guide, applying and editing, downloads, the
combined counter and agents. Each view validates input, selects with object-level checks,
calls one approvals service and renders the result."""
