"""Approvals: the catalogue (matters, materials, bundles), the case and its workflow,
review, decision, certificates and deadlines."""
