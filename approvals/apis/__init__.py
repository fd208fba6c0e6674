"""REST API of the approvals app: catalogue and case workflow (``cases``), intake (``intake``)."""
